import { z } from "@hono/zod-openapi";
import { ORDER_STATUSES } from "../orders/order-state";

/**
 * The statuses an external pharmacy reports; each maps to one action of the state machine
 * (callbacks.service.ts). `returned`: the pharmacy cannot fulfil the order; it takes the
 * return path (to the next eligible pharmacy once, else back to the doctor).
 */
export const CallbackStatus = z.enum(["approved", "rejected", "dispensing", "ready_for_pickup", "picked_up", "shipped", "delivered", "cancelled", "returned"]);
export type CallbackStatus = z.infer<typeof CallbackStatus>;

const Text = (max: number) => z.string().trim().min(1).max(max);

/**
 * A status report, signed over its raw bytes (X-Signature). Unknown fields are ignored, so
 * a pharmacy may add its own without breaking the contract.
 */
export const CallbackEvent = z
  .object({
    eventId: z
      .string()
      .regex(/^[\x21-\x7e]{1,128}$/, "1-128 visible ASCII characters")
      .openapi({ description: "unique per event at the pharmacy: a replayed eventId changes nothing", example: "evt_20261125_000123" }),
    orderId: Text(64).openapi({ example: "ord_mhx2k3abcdefgh" }),
    status: CallbackStatus,
    at: z.iso.datetime({ offset: true }).openapi({ description: "when it happened at the pharmacy (kept in the note; the timeline uses the receipt time)" }),
    note: Text(500).optional(),
    reasonCode: Text(64).optional().openapi({ description: "required with rejected; with returned, the pharmacy's own code (kept with the return reason)" }),
    carrier: Text(64).optional().openapi({ description: "required with shipped" }),
    trackingNo: Text(64).optional().openapi({ description: "required with shipped" }),
  })
  .superRefine((e, ctx) => {
    if (e.status === "rejected" && !e.reasonCode) ctx.addIssue({ code: "custom", path: ["reasonCode"], message: "a rejection needs a reasonCode" });
    if (e.status === "shipped" && !e.carrier) ctx.addIssue({ code: "custom", path: ["carrier"], message: "a shipment needs a carrier" });
    if (e.status === "shipped" && !e.trackingNo) ctx.addIssue({ code: "custom", path: ["trackingNo"], message: "a shipment needs a trackingNo" });
  })
  .openapi("PharmacyCallbackEvent");
export type CallbackEvent = z.infer<typeof CallbackEvent>;

export const CallbackResult = z
  .object({
    eventId: z.string(),
    orderId: z.string(),
    status: z.enum(ORDER_STATUSES).openapi({ description: "the order's status after this event" }),
    duplicate: z.boolean().openapi({ description: "true when this eventId was already applied: nothing changed" }),
  })
  .openapi("PharmacyCallbackResult");
export type CallbackResult = z.infer<typeof CallbackResult>;
