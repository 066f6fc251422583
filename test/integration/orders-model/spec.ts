/**
 * The order lifecycle as the model-based test reads it (DOMAIN.md "Prescription and order
 * lifecycle" and its exceptions), written apart from worker/pharmacy/orders/order-state.ts
 * on purpose: the test checks the worker against this table, not against itself. Pure.
 */
import type { FulfilmentMode, OrderStatus } from "../../../schema/enums";

export type { FulfilmentMode, OrderStatus };

/** Every legal status change: [from, to, only for this mode]. */
const STEPS: readonly [OrderStatus, OrderStatus, FulfilmentMode?][] = [
  ["scheduled", "pending_review"], // release
  ["pending_review", "approved"],
  ["pending_review", "rejected"],
  ["pending_review", "change_requested"],
  ["change_requested", "pending_review"], // accepted, declined or withdrawn
  ["pending_review", "pending_review"], // re-routed to another pharmacy
  ["approved", "pending_review"], // re-routed
  ["pending_review", "returned"],
  ["approved", "returned"],
  ["change_requested", "returned"],
  ["awaiting_stock", "returned"],
  ["approved", "dispensing"],
  ["awaiting_stock", "dispensing"], // the held rest, restocked
  ["dispensing", "ready_for_pickup", "pickup"],
  ["ready_for_pickup", "picked_up", "pickup"],
  ["ready_for_pickup", "awaiting_stock", "pickup"],
  ["ready_for_pickup", "expired", "pickup"],
  ["dispensing", "shipped", "delivery"],
  ["shipped", "delivered", "delivery"],
  ["shipped", "awaiting_stock", "delivery"],
  ...(["scheduled", "pending_review", "change_requested", "approved", "dispensing", "ready_for_pickup", "shipped", "awaiting_stock"] as const).map(
    (from): [OrderStatus, OrderStatus] => [from, "cancelled"],
  ),
];

/** Events that record something without a status change (a pickup-site change, a move to a replacing prescription). */
const NOTE_STATUSES: readonly OrderStatus[] = ["scheduled", "pending_review", "approved"];

export const INITIAL_STATUSES: readonly OrderStatus[] = ["scheduled", "pending_review"];
export const TERMINAL: readonly OrderStatus[] = ["rejected", "picked_up", "delivered", "cancelled", "returned", "expired"];
export const CANCELLABLE: readonly OrderStatus[] = ["scheduled", "pending_review", "change_requested", "approved", "dispensing", "ready_for_pickup", "shipped", "awaiting_stock"];
export const RETURNABLE: readonly OrderStatus[] = ["pending_review", "approved", "change_requested", "awaiting_stock"];
/** Drugs left the shelf: the doctor can no longer cancel the prescription. */
export const DISPENSED: readonly OrderStatus[] = ["dispensing", "ready_for_pickup", "picked_up", "shipped", "delivered", "awaiting_stock"];
/** Cancelled with the prescription by its doctor. */
export const OPEN: readonly OrderStatus[] = ["scheduled", "pending_review", "change_requested", "approved"];
export const SUPPLIED: readonly OrderStatus[] = ["picked_up", "delivered"];

export function legalStep(from: OrderStatus, to: OrderStatus, mode: FulfilmentMode): boolean {
  return STEPS.some(([f, t, m]) => f === from && t === to && (m === undefined || m === mode)) || (from === to && NOTE_STATUSES.includes(from));
}

export interface EventRow {
  fromStatus: OrderStatus | null;
  toStatus: OrderStatus;
  source: string;
}

export interface DispensationRow {
  round: number;
  idx: number;
  packages: number;
}

export interface ItemState {
  supplied: number;
  dispensed: number;
}

export interface Replayed {
  status: OrderStatus | null;
  items: ItemState[];
  /** the desk's dispensing rounds */
  rounds: number;
  problems: string[];
}

/**
 * Folds an order's timeline from its creation: the status it must have now, and what each
 * item must show as supplied and dispensed (a desk round dispenses its lots; a hand-over or
 * delivery moves the round's packages into supplied). Every step must be legal, every
 * event must start where the previous one ended.
 */
export function replayOrder(mode: FulfilmentMode, packages: number[], events: EventRow[], dispensations: DispensationRow[]): Replayed {
  const problems: string[] = [];
  const items = packages.map(() => ({ supplied: 0, dispensed: 0 }));
  let status: OrderStatus | null = null;
  let rounds = 0;
  events.forEach((e, i) => {
    if (i === 0) {
      if (e.fromStatus !== null || !INITIAL_STATUSES.includes(e.toStatus)) problems.push(`created as ${e.fromStatus} → ${e.toStatus}`);
    } else if (e.fromStatus !== status) {
      problems.push(`event ${i} starts at ${e.fromStatus}, the order was ${status}`);
    } else if (e.fromStatus === null || !legalStep(e.fromStatus, e.toStatus, mode)) {
      problems.push(`illegal step ${e.fromStatus} → ${e.toStatus} (${mode}, ${e.source})`);
    }
    if (e.toStatus === "dispensing" && e.fromStatus !== "dispensing" && e.source === "desk") {
      rounds++;
      items.forEach((item, idx) => {
        item.dispensed = dispensations.filter((d) => d.round === rounds && d.idx === idx).reduce((s, d) => s + d.packages, 0);
      });
    }
    const handedOver = (e.fromStatus === "ready_for_pickup" && (e.toStatus === "picked_up" || e.toStatus === "awaiting_stock")) || (e.fromStatus === "shipped" && (e.toStatus === "delivered" || e.toStatus === "awaiting_stock"));
    if (handedOver) {
      for (const item of items) {
        item.supplied += item.dispensed;
        item.dispensed = 0;
      }
    }
    status = e.toStatus;
  });
  if (dispensations.some((d) => d.round < 1 || d.round > rounds)) problems.push(`lots recorded for a round that never started (${rounds} round(s))`);
  return { status, items, rounds, problems };
}

/** Packages of an item that reached the patient: an external pharmacy reports statuses, not packages, so its supplied order counts whole. */
export function effectiveSupplied(status: OrderStatus, packages: number, supplied: number, rounds: number): number {
  return SUPPLIED.includes(status) && rounds === 0 ? packages : supplied;
}

/** An audit row of an order: the status before and after, when the action changed it; or the prescription's cancellation that took the order with it. */
export interface AuditStep {
  action: string;
  before: OrderStatus | null;
  after: OrderStatus | null;
}

/**
 * Folds an order's audit trail from the status it was created in: each row that changed the
 * status must start where the previous one ended. Returns the status the trail ends at.
 */
export function replayAudit(created: OrderStatus, steps: AuditStep[]): { status: OrderStatus; problems: string[] } {
  const problems: string[] = [];
  let status = created;
  for (const step of steps) {
    if (step.after === null) continue;
    if (step.before !== null && step.before !== status) problems.push(`audit ${step.action} starts at ${step.before}, the order was ${status}`);
    status = step.after;
  }
  return { status, problems };
}
