import { z } from "@hono/zod-openapi";
import { PageMeta, PageQuery } from "../../http/pagination";
import { FindingSchema } from "../../signing/findings.schema";
import { SignedContentSummary } from "../../signing/signed-content";
import { Verification } from "../../signing/verification";
import { REVIEW_REASON_CODES } from "./desk.labels";
import { ORDER_STATUSES } from "../orders/order-state";

export const OrderStatus = z.enum(ORDER_STATUSES).openapi("OrderStatus");
export const ReviewReasonCode = z.enum(REVIEW_REASON_CODES).openapi("ReviewReasonCode", { description: "处方点评 category.reason (医院处方点评管理规范（试行）art. 17-19)" });

export const OrderIdParam = z.object({ id: z.string().min(1).max(64).openapi({ param: { name: "id", in: "path" } }) });

export const OrderListQuery = z.object({
  status: OrderStatus.optional().openapi({ description: "without it every status but `scheduled` (later instalments are not work yet)" }),
  pharmacyId: z.string().min(1).max(64).optional().openapi({ description: "admins only; a pharmacist always sees their own pharmacy" }),
  ...PageQuery,
});

export const OrderCursor = z.object({ c: z.string(), i: z.string() });

const PickupSite = z.object({ id: z.string(), name: z.string(), address: z.string() });

export const DeskOrder = z
  .object({
    id: z.string(),
    prescriptionId: z.string(),
    pharmacyId: z.string(),
    patientId: z.string(),
    reference: z.string().openapi({ description: "the patient's code for the public status lookup" }),
    status: OrderStatus,
    mode: z.enum(["pickup", "delivery"]),
    instalment: z.number().int(),
    instalments: z.number().int(),
    supplyFrom: z.string(),
    days: z.number().int(),
    releaseOn: z.string(),
    pickupSiteId: z.string().nullable(),
    address: z.object({ region: z.string(), line: z.string(), phone: z.string() }).nullable(),
    items: z.array(z.object({ drugCode: z.string(), genericName: z.string(), packages: z.number().int() })),
    carrier: z.string().nullable(),
    trackingNo: z.string().nullable(),
    rejectReason: z
      .string()
      .nullable()
      .openapi({ description: "a ReviewReasonCode when the desk rejected; an external pharmacy's callback reports its own code" }),
    rejectNote: z.string().nullable(),
    /** wrong pickup codes since the code was (re)issued */
    pickupAttempts: z.number().int(),
    pickupCodeValid: z.boolean().openapi({ description: "a pickup code is issued and not voided by too many wrong attempts" }),
    version: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi("DeskOrder");
export type DeskOrder = z.infer<typeof DeskOrder>;

export const OrderPage = z.object({ items: z.array(DeskOrder), ...PageMeta }).openapi("DeskOrderPage");

export const OrderEvent = z
  .object({
    at: z.string(),
    fromStatus: OrderStatus.nullable(),
    toStatus: OrderStatus,
    actorId: z.string(),
    actorRole: z.string(),
    source: z.enum(["desk", "callback", "system", "doctor"]),
    note: z.string().nullable(),
  })
  .openapi("OrderEvent");

export const DeskOrderDetail = DeskOrder.extend({
  pickupSite: PickupSite.nullable(),
  patient: z.object({ id: z.string(), name: z.string(), gender: z.string(), birthDate: z.string() }).nullable(),
  prescription: z.object({
    id: z.string(),
    status: z.string(),
    kind: z.string(),
    writtenAt: z.string(),
    prescriberId: z.string(),
    institutionId: z.string(),
    days: z.number().int(),
    formularyVersion: z.number().int(),
    contentHash: z.string(),
    cancelReason: z.string().nullable(),
    verification: Verification,
    content: SignedContentSummary.nullable().openapi({ description: "null when the stored content cannot be read (then it does not verify either)" }),
  }),
  findings: z.array(FindingSchema).openapi({ description: "the rule warnings shown to the doctor at signing, stored with the prescription" }),
  timeline: z.array(OrderEvent),
}).openapi("DeskOrderDetail");
export type DeskOrderDetail = z.infer<typeof DeskOrderDetail>;

export const ReviewInput = z
  .object({
    decision: z.enum(["approve", "reject"]),
    reasonCode: ReviewReasonCode.optional(),
    note: z.string().trim().min(1).max(500).optional().openapi({ description: "for the doctor; no patient data beyond what the prescription holds" }),
  })
  .strict()
  .superRefine((r, ctx) => {
    if (r.decision === "reject" && !r.reasonCode) ctx.addIssue({ code: "custom", path: ["reasonCode"], message: "a rejection needs a 处方点评 reason code (GET /orders/review-reasons)" });
    if (r.decision === "approve" && r.reasonCode) ctx.addIssue({ code: "custom", path: ["reasonCode"], message: "an approval carries no reason code" });
  })
  .openapi("ReviewInput");
export type ReviewInput = z.infer<typeof ReviewInput>;

export const ShipInput = z
  .object({
    carrier: z.string().trim().min(1).max(50),
    trackingNo: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9-]{4,40}$/, "4-40 letters, digits or dashes"),
  })
  .strict()
  .openapi("ShipInput");

export const HandoverInput = z
  .object({ pickupCode: z.string().regex(/^\d{6}$/, "the 6-digit pickup code") })
  .strict()
  .openapi("HandoverInput");

export const CancelInput = z
  .object({ reason: z.string().trim().min(1).max(500) })
  .strict()
  .openapi("DeskCancelInput");

export const PickupCodeIssued = z
  .object({
    order: DeskOrder,
    pickupCode: z.string().openapi({ description: "shown once: only its salted SHA-256 is stored; the patient also gets it by SMS" }),
  })
  .openapi("PickupCodeIssued");

export const ReviewReasonList = z
  .object({
    categories: z.array(
      z.object({
        code: z.enum(["non_standard", "inappropriate", "abnormal"]),
        label: z.string(),
        reasons: z.array(z.object({ code: ReviewReasonCode, label: z.string() })),
      }),
    ),
  })
  .openapi("ReviewReasonList");

export const StatusQuery = z.object({
  code: z.string().max(64).optional().openapi({ description: "the order's reference, as given to the patient" }),
});

/** What anyone holding the order id and its reference may learn: logistics only, nothing medical. */
export const PatientOrderStatus = z
  .object({
    status: OrderStatus,
    statusText: z.string(),
    updatedAt: z.string(),
    mode: z.enum(["pickup", "delivery"]),
    pickupSite: z.object({ name: z.string(), address: z.string() }).optional(),
    carrier: z.string().optional(),
    trackingNo: z.string().optional(),
  })
  .openapi("PatientOrderStatus");
export type PatientOrderStatus = z.infer<typeof PatientOrderStatus>;
