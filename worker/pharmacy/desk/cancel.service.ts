import { closeOpenChangeRequestsOfOrder } from "../orders/change-requests.repo";
import type { OrderRow } from "../orders/orders.repo";
import { transitionOrder } from "../orders/transition";
import { type DeskCtx, loadForWrite } from "./desk.access";

/**
 * Pharmacy-side cancellation before the last hand-over (patient unreachable, stock never
 * coming…). A ready order's pickup code dies with it; an order awaiting stock keeps what was
 * already supplied (its supply lines count exactly that from now on); an order waiting for
 * the doctor's decision withdraws its change request in the same batch (else the doctor's
 * inbox keeps a request that no decision can close).
 */
export async function cancelDeskOrder(ctx: DeskCtx, id: string, reason: string): Promise<OrderRow> {
  const { order } = await loadForWrite(ctx, id, "write");
  const withdraw =
    order.status === "change_requested"
      ? [closeOpenChangeRequestsOfOrder(ctx.db, order.id, { status: "withdrawn", decidedBy: ctx.actor.sub, decidedAt: ctx.now.toISOString(), decisionNote: reason })]
      : [];
  return transitionOrder(ctx, order, "cancel", { source: "desk", note: reason, changes: { pickupCodeHash: null }, also: withdraw, audit: { reason } });
}
