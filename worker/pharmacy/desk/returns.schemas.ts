import { z } from "@hono/zod-openapi";
import { DeskOrder } from "./desk.schemas";
import { CONSENT_METHOD_CODES, DESK_RETURN_REASON_CODES, DESK_RETURN_REASONS } from "./returns.labels";

export const ReturnReasonCode = z
  .enum(DESK_RETURN_REASON_CODES)
  .openapi("ReturnReasonCode", { description: Object.entries(DESK_RETURN_REASONS).map(([code, label]) => `${code} ${label}`).join("; ") });

export const ReturnInput = z
  .object({
    reasonCode: ReturnReasonCode,
    note: z.string().trim().min(1).max(300).optional().openapi({ description: "for the next pharmacy or the doctor; required with `other`" }),
  })
  .strict()
  .superRefine((r, ctx) => {
    if (r.reasonCode === "other" && !r.note) ctx.addIssue({ code: "custom", path: ["note"], message: "say why with `other` (其他原因需说明)" });
  })
  .openapi("ReturnInput");
export type ReturnInput = z.infer<typeof ReturnInput>;

export const Consent = z
  .object({
    method: z.enum(CONSENT_METHOD_CODES).openapi({ description: "phone 电话确认, in_person 当面确认, sms 短信确认, app 应用内确认" }),
    note: z.string().trim().min(1).max(200).optional().openapi({ description: "e.g. who confirmed, the call's time; no medical data" }),
    confirmedAt: z.iso
      .datetime({ offset: true })
      .optional()
      .openapi({ description: "when the patient agreed (default: now); not in the future, at most 30 days ago" }),
  })
  .strict()
  .openapi("PickupSiteConsent");
export type Consent = z.infer<typeof Consent>;

export const ChangeSiteInput = z
  .object({
    pickupSiteId: z.string().trim().min(1).max(64),
    consent: Consent,
  })
  .strict()
  .openapi("ChangeSiteInput");
export type ChangeSiteInput = z.infer<typeof ChangeSiteInput>;

/** The order after a return or a site change, with where it went. */
export const ReturnedOrder = DeskOrder.extend({
  reroutes: z.number().int().openapi({ description: "times the order went to another pharmacy (at most 1)" }),
  returnedBy: z.string().nullable().openapi({ description: "the pharmacy that returned it last" }),
  returnReason: z.string().nullable().openapi({ description: "`<ReturnReasonCode>` or `<code>: <text>`; pharmacy_rejected / pharmacy_returned come from an external pharmacy" }),
}).openapi("ReturnedOrder");

export const ReturnResult = z
  .object({
    outcome: z.enum(["rerouted", "returned", "site_changed"]).openapi({
      description: "rerouted: pending review at another pharmacy (once per order); returned: back to the prescribing doctor; site_changed: another window of the same pharmacy",
    }),
    toPharmacyId: z.string().nullable(),
    reasons: z.array(z.string()).openapi({ description: "returned: why no other pharmacy could take it" }),
    order: ReturnedOrder,
  })
  .openapi("ReturnResult");
export type ReturnResult = z.infer<typeof ReturnResult>;

export const ReturnReasonList = z
  .object({
    reasons: z.array(z.object({ code: z.string(), label: z.string() })).openapi({ description: "what the desk may give as reasonCode" }),
    consentMethods: z.array(z.object({ code: z.string(), label: z.string() })).openapi({ description: "how a patient's consent to another pickup site was given" }),
  })
  .openapi("ReturnReasonList");
