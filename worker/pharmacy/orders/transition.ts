import { auditStatement } from "../../audit/audit.repo";
import type { Ctx } from "../../context";
import { commitGuarded } from "../../db/guard";
import type { OutboxMessage } from "../../env";
import { ApiError } from "../../errors/problem";
import { recomputeSupply } from "../../signing/signed-prescriptions.repo";
import { DOCTOR_TEMPLATES, notificationsFor } from "../notifications/notifications";
import { insertDoctorNotice } from "../notifications/notifications.repo";
import { enqueueOutbox } from "../outbox/enqueue";
import { orderCancelledMessage } from "./order-plan";
import { illegalTransition, nextStatus, type OrderAction } from "./order-state";
import { guardedOrderUpdate, insertNotification, insertOrderEvent, insertOutbox, type OrderRow, orderQuery } from "./orders.repo";

export interface PharmacyCtx extends Ctx {
  queue: Queue<OutboxMessage>;
}

export type BatchStatement = Parameters<Ctx["db"]["batch"]>[0][number];

export interface TransitionOptions {
  source: "desk" | "callback" | "system" | "doctor";
  note?: string | null;
  /** columns set together with the status (carrier, pickup code hash, reject reason…) */
  changes?: Partial<OrderRow>;
  /** notification params (no medical data), e.g. the pickup code */
  notify?: Record<string, string>;
  /** tells apart two notices of one status on one order (a restocked order is ready twice) */
  notifyKey?: string;
  /** params of the prescribing doctor's inbox notice (reason codes, notes) */
  doctorNotice?: Record<string, string>;
  /** the order's pharmacy runs its own system: a cancellation is sent to it (not when it reported the cancellation itself) */
  externalPharmacy?: boolean;
  /** extra statements that must commit with the transition (e.g. a callback event id) */
  also?: BatchStatement[];
  /** what the audit row adds to the status change */
  audit?: Record<string, unknown>;
}

export const CHANGED_MEANWHILE = "the order changed meanwhile; reload it";

export async function loadOrder(ctx: Pick<Ctx, "db">, id: string): Promise<OrderRow> {
  const [order] = await orderQuery(ctx.db, id);
  if (!order) throw new ApiError("not-found", `no order ${id}`);
  return order;
}

/** The 409 of an illegal action, before side work (codes, hashes) that only a legal transition needs. */
export function assertLegal(order: OrderRow, action: OrderAction): void {
  if (!nextStatus(order.status, action, order.mode)) throw new ApiError("conflict", illegalTransition(order.status, action, order.mode));
}

/**
 * The statements of one transition of the state machine: the versioned update (a
 * concurrent transition makes it change nothing and the guard rolls the whole batch back),
 * the timeline event, the patient's notification, the doctor's inbox notice, the
 * cancellation message for an external pharmacy, the supply lines brought in step, and the
 * audit row. Callers that must commit more in the same batch use this; others transitionOrder.
 */
export function transitionStatements(ctx: PharmacyCtx, order: OrderRow, action: OrderAction, opts: TransitionOptions) {
  const to = nextStatus(order.status, action, order.mode);
  if (!to) throw new ApiError("conflict", illegalTransition(order.status, action, order.mode));
  const at = ctx.now.toISOString();
  const changes: Partial<OrderRow> = { ...opts.changes, status: to, updatedAt: at, ...(to === "pending_review" ? { pendingSince: at } : {}) };
  const next = { ...order, ...changes, version: order.version + 1 } as OrderRow;
  const outbox = action === "cancel" && opts.source !== "callback" && opts.externalPharmacy ? [orderCancelledMessage(order, opts.note ?? "", at)] : [];
  const doctorTemplate = DOCTOR_TEMPLATES[to];
  const statements: BatchStatement[] = [
    ...guardedOrderUpdate(ctx.db, order, changes),
    insertOrderEvent(ctx.db, { orderId: order.id, at, fromStatus: order.status, toStatus: to, actorId: ctx.actor.sub, actorRole: ctx.actor.role, source: opts.source, note: opts.note ?? null }),
    ...notificationsFor(next, to, at, opts.notify, opts.notifyKey).map((n) => insertNotification(ctx.db, n)),
    ...(doctorTemplate ? [insertDoctorNotice(ctx.db, next, doctorTemplate, { reference: order.reference, ...opts.doctorNotice }, at)] : []),
    ...outbox.map((o) => insertOutbox(ctx.db, o)),
    recomputeSupply(ctx.db, order.prescriptionId),
    auditStatement(ctx, {
      action: `order.${action}`,
      entityType: "order",
      entityId: order.id,
      before: { status: order.status, version: order.version },
      after: { status: to, version: order.version + 1, ...opts.audit },
    }),
    ...(opts.also ?? []),
  ];
  return { next, statements, outboxIds: outbox.map((o) => o.id) };
}

/** Applies one transition in ONE batch (see transitionStatements): exactly one of two concurrent ones wins, the other gets 409. */
export async function transitionOrder(ctx: PharmacyCtx, order: OrderRow, action: OrderAction, opts: TransitionOptions): Promise<OrderRow> {
  const { next, statements, outboxIds } = transitionStatements(ctx, order, action, opts);
  await commitGuarded(ctx.db, statements as [BatchStatement, ...BatchStatement[]], CHANGED_MEANWHILE);
  await enqueueOutbox(ctx.queue, outboxIds);
  return next;
}
