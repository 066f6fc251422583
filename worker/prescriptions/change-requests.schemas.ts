import { z } from "@hono/zod-openapi";
import { PageMeta, PageQuery } from "../http/pagination";
import { ChangeRequest } from "../pharmacy/fulfilment";
import { CHANGE_REQUEST_STATUSES } from "../../schema/enums";
import { Prescription } from "./prescriptions.schemas";

export const ChangeRequestIdParam = z.object({ id: z.string().min(1).max(64).openapi({ param: { name: "id", in: "path" } }) });

export const ChangeRequestListQuery = z.object({
  status: z.enum(CHANGE_REQUEST_STATUSES).optional().openapi({ description: "`open`: waiting for the doctor's decision" }),
  institutionId: z.string().min(1).max(64).optional().openapi({ description: "admins only; a doctor always sees their own institution's" }),
  ...PageQuery,
});

export const ChangeRequestCursor = z.object({ c: z.string(), i: z.string() });

export const ChangeRequestPage = z.object({ items: z.array(ChangeRequest), ...PageMeta }).openapi("ChangeRequestPage");

export const DeclineInput = z
  .object({ note: z.string().trim().min(1).max(500).openapi({ description: "why, for the pharmacy (shown on the order's timeline)" }) })
  .strict()
  .openapi("ChangeRequestDeclineInput");

export const AcceptInput = z
  .object({ note: z.string().trim().min(1).max(500).optional() })
  .strict()
  .openapi("ChangeRequestAcceptInput");
export type AcceptInput = z.infer<typeof AcceptInput>;

export const AcceptedChange = z
  .object({
    changeRequest: ChangeRequest,
    prescription: Prescription.openapi({ description: "the new signed prescription; it `replaces` the old one and holds the moved orders" }),
  })
  .openapi("AcceptedChange");
export type AcceptedChange = z.infer<typeof AcceptedChange>;

export { ChangeRequest };
