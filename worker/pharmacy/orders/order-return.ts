/**
 * The return path of an order, shared by its three doors: the desk (a pharmacist returns an
 * order or moves a pickup to another pharmacy's site with the patient's consent), an
 * external pharmacy's permanent rejection of order.created (the outbox consumer), and an
 * external pharmacy's `returned` callback.
 *
 * Each caller reads the order and what this module needs (returnRoutingQueries) in the read
 * batch it makes anyway, then commits these statements in ONE guarded batch: the versioned
 * update, its timeline event, notifications, the supply lines, the audit row naming both
 * pharmacies and, for an external target, the order.created outbox row under a new
 * Idempotency-Key (the pharmacy dedupes on it, so a re-route must not reuse an earlier one).
 */
import { ApiError } from "../../errors/problem";
import { prescriptionByOrderQuery, type SignedPrescriptionRow } from "../../signing/signed-prescriptions.repo";
import { closeOpenChangeRequestsOfOrder } from "./change-requests.repo";
import { orderCreatedMessage } from "./order-plan";
import { insertOutbox, type OrderRow, type OutboxRow, type PharmacyRow, pharmaciesQuery, sitesQuery } from "./orders.repo";
import { decideReturn, type RoutableSite } from "./routing";
import { type BatchStatement, type PharmacyCtx, type TransitionOptions, transitionStatements } from "./transition";

export interface ReturnRouting {
  pharmacies: PharmacyRow[];
  sites: RoutableSite[];
  /** the order's signed prescription: an external target receives it in order.created */
  prescription: SignedPrescriptionRow | undefined;
}

/** What a return reads besides the order, for the caller's read batch (in this order: pharmacies, sites, prescription). */
export function returnRoutingQueries(db: PharmacyCtx["db"], orderId: string) {
  return [pharmaciesQuery(db), sitesQuery(db), prescriptionByOrderQuery(db, orderId)] as const;
}

export function returnRoutingOf(pharmacies: PharmacyRow[], sites: RoutableSite[], prescriptions: SignedPrescriptionRow[]): ReturnRouting {
  return { pharmacies, sites, prescription: prescriptions[0] };
}

export interface ReturnOptions {
  source: TransitionOptions["source"];
  /** stored as the order's returnReason: `<code>` or `<code>: <text>` (returns.labels.ts) */
  returnReason: string;
  /** pickup orders: the site the patient agreed to (only with their consent) */
  pickupSiteId?: string;
  /** the timeline note, when it says more than the return reason (the consent) */
  note?: string;
  /** statements that must commit with the return (a callback's event id, the outbox row's mark) */
  also?: BatchStatement[];
  /** what the audit row adds (the consent) */
  audit?: Record<string, unknown>;
}

export interface ReturnPlan {
  outcome: "rerouted" | "returned";
  next: OrderRow;
  /** the pharmacy the order went to (rerouted), else null */
  toPharmacy: PharmacyRow | null;
  /** why no other pharmacy took it (returned) */
  reasons: string[];
  statements: [BatchStatement, ...BatchStatement[]];
  outboxIds: string[];
}

/** The next pharmacy, or the doctor, by decideReturn (routing.ts), as the statements of one batch. */
export function returnStatements(ctx: PharmacyCtx, order: OrderRow, routing: ReturnRouting, opts: ReturnOptions): ReturnPlan {
  const decision = decideReturn(order, routing, opts.pickupSiteId);
  if (decision.action === "reroute") return rerouteStatements(ctx, order, decision.pharmacy, routing, opts);
  return returnToDoctorStatements(ctx, order, opts, decision.reasons);
}

/** The order.created message for the order's new, external pharmacy, under a key of its own per re-route. */
function createdMessageAfterReroute(next: OrderRow, prescription: SignedPrescriptionRow | undefined, at: string): OutboxRow {
  if (!prescription) throw new ApiError("internal-error", `order ${next.id} has no prescription`);
  const signed = { contentHash: prescription.contentHash, signature: prescription.signature, signatureKeyId: prescription.signatureKeyId, content: JSON.parse(prescription.content) as unknown };
  const id = `obx_${next.id}_created_r${next.reroutes}`;
  return { ...orderCreatedMessage(next, signed, at), id, idempotencyKey: id };
}

/**
 * To the next pharmacy: pharmacyId changes, the order is pending review there (its own
 * pharmacist reviews it again; pendingSince restarts), the reroute is counted and who
 * returned it and why is kept.
 */
export function rerouteStatements(ctx: PharmacyCtx, order: OrderRow, target: PharmacyRow, routing: ReturnRouting, opts: ReturnOptions): ReturnPlan {
  const at = ctx.now.toISOString();
  const changes: Partial<OrderRow> = {
    pharmacyId: target.id,
    reroutes: order.reroutes + 1,
    returnedBy: order.pharmacyId,
    returnReason: opts.returnReason,
    ...(opts.pickupSiteId ? { pickupSiteId: opts.pickupSiteId } : {}),
  };
  const next: OrderRow = { ...order, ...changes };
  const outbox = target.integration === "external" ? [createdMessageAfterReroute(next, routing.prescription, at)] : [];
  const moved = `${order.pharmacyId} → ${target.id}`;
  const transition = transitionStatements(ctx, order, "reroute", {
    source: opts.source,
    note: `${moved}: ${opts.note ?? opts.returnReason}`,
    changes,
    audit: { fromPharmacyId: order.pharmacyId, toPharmacyId: target.id, returnReason: opts.returnReason, reroutes: changes.reroutes, ...opts.audit },
    also: [...outbox.map((o) => insertOutbox(ctx.db, o)), ...(opts.also ?? [])],
  });
  return { outcome: "rerouted", next: transition.next, toPharmacy: target, reasons: [], statements: nonEmpty(transition.statements), outboxIds: outbox.map((o) => o.id) };
}

/**
 * Back to the doctor: `returned`, the patient's SMS and the doctor's inbox notice with the
 * reason; a pickup code dies with it, and an open change request of the order is withdrawn
 * (nothing is left for the doctor to decide on it).
 */
export function returnToDoctorStatements(ctx: PharmacyCtx, order: OrderRow, opts: ReturnOptions, reasons: string[]): ReturnPlan {
  const code = opts.returnReason.split(":")[0]?.trim() ?? "";
  const closeRequest =
    order.status === "change_requested"
      ? [closeOpenChangeRequestsOfOrder(ctx.db, order.id, { status: "withdrawn", decidedBy: ctx.actor.sub, decidedAt: ctx.now.toISOString(), decisionNote: opts.returnReason })]
      : [];
  const transition = transitionStatements(ctx, order, "return", {
    source: opts.source,
    note: opts.note ?? opts.returnReason,
    changes: { returnedBy: order.pharmacyId, returnReason: opts.returnReason, pickupCodeHash: null },
    // the notice is rendered with its label by code (desk/returns.labels.ts returnReasonLabel)
    doctorNotice: { reasonCode: code, returnReason: opts.returnReason, pharmacyId: order.pharmacyId },
    audit: { fromPharmacyId: order.pharmacyId, returnReason: opts.returnReason, notReroutedBecause: reasons, ...opts.audit },
    also: [...closeRequest, ...(opts.also ?? [])],
  });
  return { outcome: "returned", next: transition.next, toPharmacy: null, reasons, statements: nonEmpty(transition.statements), outboxIds: transition.outboxIds };
}

function nonEmpty(statements: BatchStatement[]): [BatchStatement, ...BatchStatement[]] {
  const [first, ...rest] = statements;
  if (!first) throw new Error("a transition always has statements");
  return [first, ...rest];
}

/** `<code>` or `<code>: <text>`, the text on one line and capped (it reaches the doctor's inbox and the timeline). */
export function returnReasonText(code: string, text?: string | null, max = 300): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping control characters is the point
  const clean = (text ?? "").replace(/[\u0000-\u001f\u007f]+/g, " ").replace(/\s+/g, " ").trim().slice(0, max);
  return clean ? `${code}: ${clean}` : code;
}
