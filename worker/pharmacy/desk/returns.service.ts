import { auditStatement } from "../../audit/audit.repo";
import { commitGuarded } from "../../db/guard";
import { ApiError } from "../../errors/problem";
import { enqueueOutbox } from "../outbox/enqueue";
import { type ReturnPlan, type ReturnRouting, returnReasonText, returnRoutingOf, returnRoutingQueries, returnStatements, rerouteStatements } from "../orders/order-return";
import type { OrderStatus } from "../orders/order-state";
import { guardedOrderUpdate, insertOrderEvent, type OrderRow, orderQuery, pharmacistQuery, pharmacyQuery } from "../orders/orders.repo";
import { MAX_REROUTES, rerouteOrder } from "../orders/routing";
import { assertLegal, CHANGED_MEANWHILE } from "../orders/transition";
import { authorize, type DeskCtx } from "./desk.access";
import { toDeskOrder } from "./desk.service";
import { CONSENT_METHODS, DESK_RETURN_REASONS } from "./returns.labels";
import type { ChangeSiteInput, Consent, ReturnInput, ReturnResult } from "./returns.schemas";

/*
 * Returns and pickup-site changes at the desk. Any registered pharmacist of the order's
 * pharmacy may return an order (that it cannot be fulfilled here is a fact of stock,
 * transport or reach, not a pharmaceutical judgement that needs a 药师) or record the
 * patient's consent to another window.
 *
 * Each action is two round trips: one read batch (the caller's registration, their
 * pharmacy, the order, and the pharmacies, sites and prescription a re-route needs) and
 * one guarded write batch.
 */

/** Before dispensing only: once drugs are dispensed they sit at this pharmacy's window. */
const CHANGE_SITE_STATUSES: readonly OrderStatus[] = ["scheduled", "pending_review", "approved"];
/** Moving to another pharmacy is a re-route: only from where the state machine allows one. */
const REROUTE_SITE_STATUSES: readonly OrderStatus[] = ["pending_review", "approved"];
/** A consent older than this is not the patient's current wish; ask again. */
const MAX_CONSENT_AGE_DAYS = 30;
/** Clocks of staff devices drift; a consent a few minutes "ahead" is still now. */
const CONSENT_CLOCK_SKEW_MS = 5 * 60_000;

/** One round trip: who is asking, the order, and everything a re-route may need. */
async function loadForReturn(ctx: DeskCtx, id: string): Promise<{ order: OrderRow; routing: ReturnRouting }> {
  const [pharmacistRows, pharmacyRows, orderRows, pharmacies, sites, prescriptions] = await ctx.db.batch([
    pharmacistQuery(ctx.db, ctx.actor.sub),
    pharmacyQuery(ctx.db, ctx.actor.org),
    orderQuery(ctx.db, id),
    ...returnRoutingQueries(ctx.db, id),
  ]);
  const order = authorize(ctx, id, { pharmacist: pharmacistRows[0], pharmacy: pharmacyRows[0], order: orderRows[0] }, "write");
  return { order, routing: returnRoutingOf(pharmacies, sites, prescriptions) };
}

function resultOf(plan: Pick<ReturnPlan, "next" | "toPharmacy" | "reasons">, outcome: ReturnResult["outcome"]): ReturnResult {
  const o = plan.next;
  return { outcome, toPharmacyId: plan.toPharmacy?.id ?? null, reasons: plan.reasons, order: { ...toDeskOrder(o), reroutes: o.reroutes, returnedBy: o.returnedBy, returnReason: o.returnReason } };
}

async function commit(ctx: DeskCtx, plan: ReturnPlan): Promise<void> {
  await commitGuarded(ctx.db, plan.statements, CHANGED_MEANWHILE);
  await enqueueOutbox(ctx.queue, plan.outboxIds);
}

/**
 * The pharmacy cannot fulfil the order. Nothing dispensed yet (pending review, approved):
 * it goes to the next eligible pharmacy, once per order; a pickup order only moves with
 * the patient's consent (change-site), so a returned pickup goes back to the doctor. Held
 * for the doctor (change_requested) or partly handed over (awaiting_stock): back to the
 * doctor, who sees the reason.
 */
export async function returnDeskOrder(ctx: DeskCtx, id: string, input: ReturnInput): Promise<ReturnResult> {
  const { order, routing } = await loadForReturn(ctx, id);
  assertLegal(order, "return");
  const returnReason = returnReasonText(input.reasonCode, input.note);
  const plan = returnStatements(ctx, order, routing, {
    source: "desk",
    returnReason,
    note: `${DESK_RETURN_REASONS[input.reasonCode]}（${returnReason}）`,
  });
  await commit(ctx, plan);
  return resultOf(plan, plan.outcome);
}

function consentRecord(ctx: DeskCtx, consent: Consent) {
  const confirmedAt = consent.confirmedAt ? new Date(consent.confirmedAt) : ctx.now;
  const issue = (message: string) => new ApiError("validation-failed", "Invalid body", [{ path: "consent.confirmedAt", message }]);
  if (confirmedAt.getTime() > ctx.now.getTime() + CONSENT_CLOCK_SKEW_MS) throw issue("the patient's consent cannot be in the future");
  if (confirmedAt.getTime() < ctx.now.getTime() - MAX_CONSENT_AGE_DAYS * 86_400_000) throw issue(`a consent older than ${MAX_CONSENT_AGE_DAYS} days is stale: confirm with the patient again`);
  return { method: consent.method, note: consent.note ?? null, confirmedAt: confirmedAt.toISOString(), recordedBy: ctx.actor.sub };
}

/**
 * The patient agreed to collect at another window. The same pharmacy's window: only the
 * site changes (timeline event with the consent, audit row). Another pharmacy's window: a
 * re-route, counted against the once-per-order rule, with the consent recorded. Only before
 * dispensing: a dispensed order's drugs are at the old window (cancel it, or let the
 * patient collect there).
 */
export async function changePickupSite(ctx: DeskCtx, id: string, input: ChangeSiteInput): Promise<ReturnResult> {
  const { order, routing } = await loadForReturn(ctx, id);
  if (order.mode !== "pickup") throw new ApiError("conflict", "only a pickup order has a pickup site; this one is delivered");
  if (!CHANGE_SITE_STATUSES.includes(order.status)) {
    throw new ApiError("conflict", `the pickup site changes only before dispensing (${CHANGE_SITE_STATUSES.join(", ")}); this order is ${order.status}`);
  }
  const site = routing.sites.find((s) => s.id === input.pickupSiteId);
  if (!site) throw new ApiError("unprocessable", `no pickup site ${input.pickupSiteId}`, [{ path: "pickupSiteId", message: "not a pickup site of the consortium" }]);
  if (site.id === order.pickupSiteId) throw new ApiError("conflict", `the order is already for pickup at ${site.id}`);
  const consent = consentRecord(ctx, input.consent);
  const note = `患者同意更换取药点（${CONSENT_METHODS[consent.method]}，${consent.confirmedAt}）：${order.pickupSiteId ?? "-"} → ${site.id}${consent.note ? `；${consent.note}` : ""}`;
  if (site.pharmacyId === order.pharmacyId) return moveWithinPharmacy(ctx, order, site.id, note, consent);

  if (!REROUTE_SITE_STATUSES.includes(order.status)) throw new ApiError("conflict", `a ${order.status} order moves to another pharmacy only once released (pending_review or approved)`);
  if (order.reroutes >= MAX_REROUTES) {
    throw new ApiError("conflict", "the order already went to another pharmacy once; it cannot move again (return it to send it back to the doctor)");
  }
  const route = rerouteOrder(
    { mode: "pickup", pickupSiteId: site.id, storages: order.items.map((i) => i.storage), fromPharmacyId: order.pharmacyId },
    routing.pharmacies,
    routing.sites,
  );
  if (!route.ok) throw new ApiError("no-eligible-pharmacy", `the pharmacy of site ${site.id} cannot take this order`, route.reasons.map((message) => ({ path: "pickupSiteId", message })));
  const plan = rerouteStatements(ctx, order, route.pharmacy, routing, {
    source: "desk",
    returnReason: returnReasonText("site_changed", consent.note),
    pickupSiteId: site.id,
    note,
    audit: { consent, fromSiteId: order.pickupSiteId, toSiteId: site.id },
  });
  await commit(ctx, plan);
  return resultOf(plan, "rerouted");
}

/** Not a status change: the versioned update, a timeline event (status unchanged) with the consent, the audit row. */
async function moveWithinPharmacy(ctx: DeskCtx, order: OrderRow, siteId: string, note: string, consent: ReturnType<typeof consentRecord>): Promise<ReturnResult> {
  const at = ctx.now.toISOString();
  const changes: Partial<OrderRow> = { pickupSiteId: siteId, updatedAt: at };
  await commitGuarded(
    ctx.db,
    [
      ...guardedOrderUpdate(ctx.db, order, changes),
      insertOrderEvent(ctx.db, { orderId: order.id, at, fromStatus: order.status, toStatus: order.status, actorId: ctx.actor.sub, actorRole: ctx.actor.role, source: "desk", note }),
      auditStatement(ctx, {
        action: "order.site_change",
        entityType: "order",
        entityId: order.id,
        before: { pickupSiteId: order.pickupSiteId, version: order.version },
        after: { pickupSiteId: siteId, version: order.version + 1, consent },
      }),
    ],
    CHANGED_MEANWHILE,
  );
  return resultOf({ next: { ...order, ...changes, version: order.version + 1 }, toPharmacy: null, reasons: [] }, "site_changed");
}

export function returnReasons() {
  return { reasons: Object.entries(DESK_RETURN_REASONS).map(([code, label]) => ({ code, label })), consentMethods: Object.entries(CONSENT_METHODS).map(([code, label]) => ({ code, label })) };
}
