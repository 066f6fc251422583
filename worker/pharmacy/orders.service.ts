import { auditStatement } from "../audit/audit.repo";
import type { Ctx } from "../context";
import { expectChanged, isGuardFailure } from "../db/guard";
import type { OutboxMessage } from "../env";
import { ApiError } from "../http/problem";
import { notificationsFor } from "./notifications";
import { orderCancelledMessage } from "./order-plan";
import { nextStatus, type OrderAction, type OrderStatus } from "./order-state";
import { insertNotification, insertOrderEvent, insertOutbox, type OrderRow, orderQuery, updateOrderIfVersion } from "./orders.repo";
import { enqueueOutbox } from "./outbox";

export interface PharmacyCtx extends Ctx {
  queue: Queue<OutboxMessage>;
}

export interface TransitionOptions {
  /** desk | callback | system | doctor */
  source: "desk" | "callback" | "system" | "doctor";
  note?: string | null;
  /** columns set together with the status (carrier, pickup code hash, reject reason…) */
  changes?: Partial<OrderRow>;
  /** notification params (no medical data), e.g. the pickup code */
  notify?: Record<string, string>;
  /** extra statements that must commit with the transition (e.g. a callback event id) */
  also?: Parameters<Ctx["db"]["batch"]>[0][number][];
}

export async function loadOrder(ctx: Pick<Ctx, "db">, id: string): Promise<OrderRow> {
  const [order] = await orderQuery(ctx.db, id);
  if (!order) throw new ApiError("not-found", `no order ${id}`);
  return order;
}

/**
 * Applies one transition of the state machine in ONE batch: the versioned update (a
 * concurrent transition makes it change nothing, the guard then rolls everything back:
 * exactly one wins, the other gets 409), the timeline event, the patient notification,
 * the cancellation message for an external pharmacy, and the audit row.
 */
export async function transitionOrder(ctx: PharmacyCtx, order: OrderRow, action: OrderAction, opts: TransitionOptions): Promise<OrderRow> {
  const to = nextStatus(order.status as OrderStatus, action, order.mode as "pickup" | "delivery");
  if (!to) throw new ApiError("conflict", `cannot ${action} an order that is ${order.status}${action === "ready" || action === "ship" ? ` (${order.mode})` : ""}`);
  const at = ctx.now.toISOString();
  const changes: Partial<OrderRow> = { ...opts.changes, status: to, updatedAt: at };
  const outbox = action === "cancel" && opts.source !== "callback" && (await isExternal(ctx, order)) ? [orderCancelledMessage(order, opts.note ?? "", at)] : [];
  try {
    await ctx.db.batch([
      updateOrderIfVersion(ctx.db, order, changes),
      expectChanged(ctx.db),
      insertOrderEvent(ctx.db, { orderId: order.id, at, fromStatus: order.status, toStatus: to, actorId: ctx.actor.sub, actorRole: ctx.actor.role, source: opts.source, note: opts.note ?? null }),
      ...notificationsFor(order, to, at, opts.notify).map((n) => insertNotification(ctx.db, n)),
      ...outbox.map((o) => insertOutbox(ctx.db, o)),
      auditStatement(ctx, { action: `order.${action}`, entityType: "order", entityId: order.id, before: { status: order.status, version: order.version }, after: { status: to, version: order.version + 1 } }),
      ...(opts.also ?? []),
    ]);
  } catch (err) {
    if (isGuardFailure(err)) throw new ApiError("conflict", "the order changed meanwhile; reload it");
    throw err;
  }
  await enqueueOutbox(ctx.queue, outbox.map((o) => o.id));
  return { ...order, ...changes, version: order.version + 1 } as OrderRow;
}

async function isExternal(ctx: Pick<Ctx, "db">, order: OrderRow): Promise<boolean> {
  const row = await ctx.db.query.pharmacies.findFirst({ columns: { integration: true }, where: (p, { eq }) => eq(p.id, order.pharmacyId) });
  return row?.integration === "external";
}
