import type { OrderRow } from "../orders/orders.repo";
import { transitionOrder } from "../orders/transition";
import { type DeskCtx, loadForWrite } from "./desk.access";

/**
 * Pharmacy-side cancellation before the last hand-over (patient unreachable, stock never
 * coming…). A ready order's pickup code dies with it; an order awaiting stock keeps what was
 * already supplied (its supply lines count exactly that from now on).
 */
export async function cancelDeskOrder(ctx: DeskCtx, id: string, reason: string): Promise<OrderRow> {
  const { order } = await loadForWrite(ctx, id, "write");
  return transitionOrder(ctx, order, "cancel", { source: "desk", note: reason, changes: { pickupCodeHash: null }, audit: { reason } });
}
