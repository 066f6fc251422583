import { auditStatement } from "../../audit/audit.repo";
import { ApiError } from "../../errors/problem";
import { recomputeSupply } from "../../signing/signed-prescriptions.repo";
import { type ChangeRequestRow, guardedDecision, insertChangeRequest } from "./change-requests.repo";
import { type PlannedItem, splitPackages } from "./order-plan";
import type { OrderStatus } from "./order-state";
import { guardedOrderUpdate, insertOrderEvent, type OrderRow } from "./orders.repo";
import { type BatchStatement, type PharmacyCtx, transitionStatements } from "./transition";

/*
 * The order side of a change request's life, as statements for the caller's ONE batch:
 * proposed (the order waits for the doctor), declined or withdrawn (back to review), and
 * accepted (the order and the later instalments move to the new prescription). Every order
 * and request update is versioned and guarded: a concurrent change rolls the batch back.
 */

/** A batch's statements (never empty: D1 batches take at least one) and the order after them. */
export interface Statements {
  statements: [BatchStatement, ...BatchStatement[]];
  next: OrderRow;
}

/** The request inserted with the order's move to change_requested; the doctor's inbox notice rides on the transition (DOCTOR_TEMPLATES). */
export function proposalStatements(ctx: PharmacyCtx, order: OrderRow, cr: ChangeRequestRow): Statements {
  const t = transitionStatements(ctx, order, "request_change", {
    source: "desk",
    note: `申请变更处方：${cr.reason}`,
    // the pharmacist's reason shows in the doctor's notice (notifications.render: 备注)
    doctorNotice: { changeRequestId: cr.id, note: cr.reason },
    audit: { changeRequestId: cr.id },
  });
  return { statements: [insertChangeRequest(ctx.db, cr), ...t.statements], next: t.next };
}

const CLOSING_NOTES = { declined: "医师未同意变更处方", withdrawn: "药房撤回变更申请" } as const;

/** Declined by the doctor or withdrawn by the pharmacy: the request closed, the order back in review with the note on its timeline. */
export function closingStatements(
  ctx: PharmacyCtx,
  order: OrderRow,
  cr: ChangeRequestRow,
  close: { status: "declined" | "withdrawn"; note: string | null; source: "doctor" | "desk" },
): Statements {
  const at = ctx.now.toISOString();
  const t = transitionStatements(ctx, order, "change_declined", {
    source: close.source,
    note: close.note ? `${CLOSING_NOTES[close.status]}：${close.note}` : CLOSING_NOTES[close.status],
    audit: { changeRequestId: cr.id, decision: close.status },
  });
  const [decide, guard] = guardedDecision(ctx.db, cr, { status: close.status, decidedBy: ctx.actor.sub, decidedAt: at, decisionNote: close.note });
  return { statements: [decide, guard, ...t.statements], next: t.next };
}

/** Later instalments not yet worked on move with the requested order; what the desk already approved or dispensed stays. */
const MOVABLE_LATER: readonly OrderStatus[] = ["scheduled", "pending_review"];

export interface Acceptance {
  changeRequest: ChangeRequestRow;
  /** every order of the replaced prescription */
  orders: OrderRow[];
  newPrescriptionId: string;
  /** the new prescription's items, whole (packages of all instalments) */
  items: PlannedItem[];
  note: string | null;
}

/**
 * Accepted: the requested order (change_requested → pending_review) and the replaced
 * prescription's later instalments that nobody has worked on yet move to the new
 * prescription, each keeping its instalment, dates and pickup or delivery, with its share
 * of the new items split as the prescription's instalments split (splitPackages). Orders
 * already supplied or under way stay with the old prescription. Both prescriptions' supply
 * lines are recomputed last, from the orders each now has: the old one keeps counting what
 * was handed over, the new one what its orders will supply.
 */
export function acceptanceStatements(ctx: PharmacyCtx, a: Acceptance): { statements: [BatchStatement, ...BatchStatement[]]; moved: OrderRow[] } {
  const requested = a.orders.find((o) => o.id === a.changeRequest.orderId);
  if (!requested) throw new ApiError("conflict", `order ${a.changeRequest.orderId} no longer belongs to prescription ${a.changeRequest.prescriptionId}; reload the change request`);
  // the instalment structure as the orders have it: (instalment, supply days), in order
  const instalments = [...new Map(a.orders.map((o) => [o.instalment, o.days])).entries()].sort(([x], [y]) => x - y);
  const shares = splitPackages(a.items, instalments.map(([, days]) => ({ days })));
  const itemsOf = (o: OrderRow) => shares[instalments.findIndex(([k]) => k === o.instalment)] ?? [];
  const at = ctx.now.toISOString();
  const note = `处方已变更为 ${a.newPrescriptionId}${a.note ? `：${a.note}` : ""}`;
  const accepted = transitionStatements(ctx, requested, "change_accepted", {
    source: "doctor",
    note,
    changes: { prescriptionId: a.newPrescriptionId, items: itemsOf(requested) },
    audit: { changeRequestId: a.changeRequest.id, prescriptionId: a.newPrescriptionId },
  });
  const [decide, guard] = guardedDecision(ctx.db, a.changeRequest, { status: "accepted", decidedBy: ctx.actor.sub, decidedAt: at, decisionNote: a.note, newPrescriptionId: a.newPrescriptionId });
  const later = a.orders.filter((o) => o.instalment > requested.instalment && MOVABLE_LATER.includes(o.status));
  const moved = [accepted.next];
  const statements: [BatchStatement, ...BatchStatement[]] = [decide, guard, ...accepted.statements];
  for (const o of later) {
    const changes: Partial<OrderRow> = { prescriptionId: a.newPrescriptionId, items: itemsOf(o), updatedAt: at };
    moved.push({ ...o, ...changes, version: o.version + 1 });
    statements.push(
      ...guardedOrderUpdate(ctx.db, o, changes),
      insertOrderEvent(ctx.db, { orderId: o.id, at, fromStatus: o.status, toStatus: o.status, actorId: ctx.actor.sub, actorRole: ctx.actor.role, source: "doctor", note }),
      auditStatement(ctx, {
        action: "order.move",
        entityType: "order",
        entityId: o.id,
        before: { prescriptionId: o.prescriptionId, version: o.version },
        after: { prescriptionId: a.newPrescriptionId, version: o.version + 1, changeRequestId: a.changeRequest.id },
      }),
    );
  }
  statements.push(recomputeSupply(ctx.db, requested.prescriptionId), recomputeSupply(ctx.db, a.newPrescriptionId));
  return { statements, moved };
}
