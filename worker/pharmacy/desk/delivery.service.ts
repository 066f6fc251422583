import { completePrescriptionWhenSupplied } from "../../signing/signed-prescriptions.repo";
import type { OrderRow } from "../orders/orders.repo";
import { assertLegal, transitionOrder } from "../orders/transition";
import { type DeskCtx, loadForWrite } from "./desk.access";
import { handOverRound, roundKey } from "./supply";

/*
 * Delivery: the dispensed packages go to the carrier (ship) and reach the patient
 * (deliver). Like a hand-over at the window, a delivery moves them into supplied; when part
 * was held the order then waits for stock, and a restock round ships again.
 */

export async function shipOrder(ctx: DeskCtx, id: string, input: { carrier: string; trackingNo: string }): Promise<OrderRow> {
  const { order } = await loadForWrite(ctx, id, "write");
  return transitionOrder(ctx, order, "ship", {
    source: "desk",
    note: `${input.carrier} ${input.trackingNo}`,
    changes: { carrier: input.carrier, trackingNo: input.trackingNo },
    notify: { carrier: input.carrier, trackingNo: input.trackingNo },
    notifyKey: roundKey(order.dispenseRounds),
  });
}

export async function deliverOrder(ctx: DeskCtx, id: string): Promise<OrderRow> {
  const { order } = await loadForWrite(ctx, id, "write");
  assertLegal(order, "deliver");
  const { items, complete } = handOverRound(order.items);
  return transitionOrder(ctx, order, complete ? "deliver" : "deliver_partial", {
    source: "desk",
    changes: { items },
    notifyKey: roundKey(order.dispenseRounds),
    also: complete ? [completePrescriptionWhenSupplied(ctx.db, order.prescriptionId)] : [],
    audit: { round: order.dispenseRounds, complete },
  });
}
