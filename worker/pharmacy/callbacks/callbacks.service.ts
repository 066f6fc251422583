/**
 * Status callbacks from external pharmacies (API.md "Orders"): POST
 * /pharmacy-callbacks/{pharmacyId}, signed with that pharmacy's shared secret.
 *
 * Answers, in the order they are checked:
 * - 404 the pharmacy does not exist or is not external (its secret is what authenticates);
 * - 401 X-Signature missing or malformed, MAC mismatch over the raw body, or timestamp more
 *   than 300 s old or ahead: a captured request cannot be replayed later;
 * - 400 the body is not a valid event;
 * - 200 `{ duplicate: true }` the eventId was already applied: nothing changes (a pharmacy
 *   retrying after a lost answer must be able to stop), 409 if it was used for another order;
 * - 404 the order is not this pharmacy's (existence does not leak across pharmacies);
 * - 409 the status is not a legal next step from the order's current status;
 * - 200 `{ duplicate: false }` applied: the transition, its timeline event, notification,
 *   audit row and the eventId commit in ONE batch, so a replay can never apply twice.
 *
 * `returned` (the pharmacy cannot fulfil the order) is the return path of a desk return
 * (orders/order-return.ts): the order goes to the next eligible pharmacy once, or back to
 * the doctor with the pharmacy's reason; the routing data rides in the lookup's batch.
 */
import type { Db } from "../../db";
import type { Principal } from "../../http/auth";
import { ApiError } from "../../errors/problem";
import { checkSignatureHeader, macMatches, type ParsedSignature } from "../../lib/hmac";
import { commitGuarded } from "../../db/guard";
import { enqueueOutbox } from "../outbox/enqueue";
import { type ReturnRouting, returnReasonText, returnRoutingOf, returnRoutingQueries, returnStatements } from "../orders/order-return";
import { type CallbackEventRow, callbackEventQuery, insertCallbackEvent, isDuplicateCallbackEvent } from "./callbacks.repo";
import type { CallbackEvent, CallbackResult, CallbackStatus } from "./callbacks.schemas";
import type { OrderAction, OrderStatus } from "../orders/order-state";
import { completePrescriptionWhenSupplied } from "../../signing/signed-prescriptions.repo";
import { type OrderRow, orderQuery } from "../orders/orders.repo";
import { assertLegal, CHANGED_MEANWHILE, type PharmacyCtx, type TransitionOptions, transitionOrder } from "../orders/transition";
import { pharmacyRecordQuery } from "../pharmacies/pharmacies.repo";

const ACTION_OF: Record<CallbackStatus, OrderAction> = {
  approved: "approve",
  rejected: "reject",
  dispensing: "dispense",
  ready_for_pickup: "ready",
  picked_up: "handover",
  shipped: "ship",
  delivered: "deliver",
  cancelled: "cancel",
  returned: "return",
};

const SIGNATURE_PROBLEMS = {
  malformed: "send X-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, t + \".\" + body)>",
  expired: "the X-Signature timestamp is more than 300 s old",
  future: "the X-Signature timestamp is more than 300 s ahead",
  mismatch: "the X-Signature does not match the body",
} as const;

/** An external pharmacy and its request's signature header, checked before the body is read. */
export interface CallbackSender {
  pharmacy: { id: string; name: string; sharedSecret: string };
  signature: ParsedSignature;
}

/**
 * First half of a callback's authentication, before a byte of the body is read: the
 * pharmacy exists and is external (404), the X-Signature header is well-formed and current
 * (401). An unknown sender cannot make the worker read its body.
 */
export async function identifyCallbackSender(db: Db, pharmacyId: string, header: string | undefined, now: Date): Promise<CallbackSender> {
  const [pharmacy] = await pharmacyRecordQuery(db, pharmacyId);
  if (pharmacy?.integration !== "external" || !pharmacy.sharedSecret) throw new ApiError("not-found", `no external pharmacy ${pharmacyId}`);
  const check = checkSignatureHeader(header, now);
  if (!check.ok) throw new ApiError("unauthorized", SIGNATURE_PROBLEMS[check.reason]);
  return { pharmacy: { id: pharmacy.id, name: pharmacy.name, sharedSecret: pharmacy.sharedSecret }, signature: check.signature };
}

/** Second half, over the (capped) raw body: the MAC; the pharmacy as the principal its changes are recorded under. */
export async function authenticateCallback(sender: CallbackSender, rawBody: string): Promise<Principal> {
  if (!(await macMatches(sender.pharmacy.sharedSecret, sender.signature, rawBody))) throw new ApiError("unauthorized", SIGNATURE_PROBLEMS.mismatch);
  return { sub: `pharmacy:${sender.pharmacy.id}`, role: "pharmacist", org: sender.pharmacy.id, name: sender.pharmacy.name };
}

function transitionOptions(ctx: PharmacyCtx, pharmacyId: string, order: OrderRow, event: CallbackEvent): TransitionOptions {
  const note = `${event.note ?? ""} [pharmacy time ${event.at}]`.trim();
  const changes: Partial<OrderRow> = {};
  if (event.status === "rejected") Object.assign(changes, { rejectReason: event.reasonCode ?? null, rejectNote: event.note ?? null });
  if (event.status === "shipped") Object.assign(changes, { carrier: event.carrier ?? null, trackingNo: event.trackingNo ?? null });
  // the uncollected expiry counts from here, as for a desk's ready order
  if (event.status === "ready_for_pickup") Object.assign(changes, { readyAt: ctx.now.toISOString() });
  const supplied = event.status === "picked_up" || event.status === "delivered";
  return {
    source: "callback",
    note,
    changes,
    also: [
      insertCallbackEvent(ctx.db, { pharmacyId, eventId: event.eventId, orderId: order.id, receivedAt: ctx.now.toISOString() }),
      ...(supplied ? [completePrescriptionWhenSupplied(ctx.db, order.prescriptionId)] : []),
    ],
  };
}

/** The event and the order in one round trip; for a return, also what a re-route needs. */
async function lookUp(ctx: PharmacyCtx, pharmacyId: string, event: CallbackEvent): Promise<{ seen: CallbackEventRow | undefined; order: OrderRow | undefined; routing: ReturnRouting | null }> {
  if (event.status === "returned") {
    const [[seen], [order], pharmacies, sites, prescriptions] = await ctx.db.batch([
      callbackEventQuery(ctx.db, pharmacyId, event.eventId),
      orderQuery(ctx.db, event.orderId),
      ...returnRoutingQueries(ctx.db, event.orderId),
    ]);
    return { seen, order, routing: returnRoutingOf(pharmacies, sites, prescriptions) };
  }
  const [[seen], [order]] = await ctx.db.batch([callbackEventQuery(ctx.db, pharmacyId, event.eventId), orderQuery(ctx.db, event.orderId)]);
  return { seen, order, routing: null };
}

/** `returned`: the order leaves this pharmacy by the return path, with the event id in the same batch. */
async function applyReturn(ctx: PharmacyCtx, pharmacyId: string, order: OrderRow, event: CallbackEvent, routing: ReturnRouting): Promise<OrderRow> {
  assertLegal(order, "return");
  const returnReason = returnReasonText("pharmacy_returned", [event.reasonCode, event.note].filter(Boolean).join(" "));
  const plan = returnStatements(ctx, order, routing, {
    source: "callback",
    returnReason,
    note: `${returnReason} [pharmacy time ${event.at}]`,
    also: [insertCallbackEvent(ctx.db, { pharmacyId, eventId: event.eventId, orderId: order.id, receivedAt: ctx.now.toISOString() })],
  });
  await commitGuarded(ctx.db, plan.statements, CHANGED_MEANWHILE);
  await enqueueOutbox(ctx.queue, plan.outboxIds);
  return plan.next;
}

/** The answer to an eventId already applied, or null when it is new. */
function replayOf(found: Awaited<ReturnType<typeof lookUp>>, event: CallbackEvent): CallbackResult | null {
  if (!found.seen) return null;
  if (found.seen.orderId !== event.orderId) throw new ApiError("conflict", `eventId ${event.eventId} was already used for another order`);
  return { eventId: event.eventId, orderId: event.orderId, status: (found.order?.status ?? "cancelled") as OrderStatus, duplicate: true };
}

/** Applies one authenticated status report (see the top of this file for every answer). */
export async function receiveCallback(ctx: PharmacyCtx, pharmacyId: string, event: CallbackEvent): Promise<CallbackResult> {
  const found = await lookUp(ctx, pharmacyId, event);
  const replay = replayOf(found, event);
  if (replay) return replay;
  const { order } = found;
  if (!order || order.pharmacyId !== pharmacyId) throw new ApiError("not-found", `no order ${event.orderId} at pharmacy ${pharmacyId}`);
  try {
    const next =
      event.status === "returned" && found.routing
        ? await applyReturn(ctx, pharmacyId, order, event, found.routing)
        : await transitionOrder(ctx, order, ACTION_OF[event.status], transitionOptions(ctx, pharmacyId, order, event));
    return { eventId: event.eventId, orderId: order.id, status: next.status as OrderStatus, duplicate: false };
  } catch (err) {
    // the same event arriving twice at once: the loser's batch rolled back on the event's
    // primary key or on the order's version; if the winner recorded this eventId, it is a replay
    if (isDuplicateCallbackEvent(err) || (err instanceof ApiError && err.code === "conflict")) {
      const again = replayOf(await lookUp(ctx, pharmacyId, event), event);
      if (again) return again;
    }
    throw err;
  }
}
