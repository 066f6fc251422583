/**
 * The order state machine (DOMAIN.md "Prescription and order lifecycle" and its
 * exceptions), pure. The states are schema/enums.ts ORDER_STATUSES.
 *
 *   scheduled ─release─▶ pending_review ─approve─▶ approved ─dispense─▶ dispensing
 *   pending_review ─reject─▶ rejected (back to the doctor with a 处方点评 reason)
 *   pending_review ─request_change─▶ change_requested ─change_accepted|change_declined─▶ pending_review
 *   pending_review|approved ─reroute─▶ pending_review (at the next eligible pharmacy, once)
 *   pending_review|approved|change_requested|awaiting_stock ─return─▶ returned (no pharmacy fits: back to the doctor)
 *   dispensing ─ready─▶ ready_for_pickup ─handover─▶ picked_up        (pickup)
 *   dispensing ─ship─▶ shipped ─deliver─▶ delivered                   (delivery)
 *   …─handover_partial / deliver_partial─▶ awaiting_stock ─dispense─▶ dispensing (the held rest)
 *   ready_for_pickup ─expire─▶ expired (uncollected past the consortium's limit, by the cron)
 *   cancel: from any state before the last hand-over
 *
 * Review never passes by itself: no transition leaves pending_review without a person
 * (or an external pharmacy's signed callback) deciding.
 */
import { type FulfilmentMode, ORDER_STATUSES, type OrderStatus } from "../../../schema/enums";

export { ORDER_STATUSES, type OrderStatus, type FulfilmentMode };

export const ORDER_ACTIONS = [
  "release",
  "approve",
  "reject",
  "request_change",
  "change_accepted",
  "change_declined",
  "reroute",
  "return",
  "dispense",
  "ready",
  "handover",
  "handover_partial",
  "ship",
  "deliver",
  "deliver_partial",
  "expire",
  "cancel",
] as const;
export type OrderAction = (typeof ORDER_ACTIONS)[number];

interface Transition {
  from: readonly OrderStatus[];
  to: OrderStatus;
  /** only for orders of this fulfilment mode */
  mode?: FulfilmentMode;
}

const TRANSITIONS: Record<OrderAction, Transition> = {
  release: { from: ["scheduled"], to: "pending_review" },
  approve: { from: ["pending_review"], to: "approved" },
  reject: { from: ["pending_review"], to: "rejected" },
  request_change: { from: ["pending_review"], to: "change_requested" },
  change_accepted: { from: ["change_requested"], to: "pending_review" },
  change_declined: { from: ["change_requested"], to: "pending_review" },
  reroute: { from: ["pending_review", "approved"], to: "pending_review" },
  return: { from: ["pending_review", "approved", "change_requested", "awaiting_stock"], to: "returned" },
  dispense: { from: ["approved", "awaiting_stock"], to: "dispensing" },
  ready: { from: ["dispensing"], to: "ready_for_pickup", mode: "pickup" },
  handover: { from: ["ready_for_pickup"], to: "picked_up", mode: "pickup" },
  handover_partial: { from: ["ready_for_pickup"], to: "awaiting_stock", mode: "pickup" },
  ship: { from: ["dispensing"], to: "shipped", mode: "delivery" },
  deliver: { from: ["shipped"], to: "delivered", mode: "delivery" },
  deliver_partial: { from: ["shipped"], to: "awaiting_stock", mode: "delivery" },
  expire: { from: ["ready_for_pickup"], to: "expired", mode: "pickup" },
  // "cancelled from any state before hand-over" (awaiting_stock: the held rest is cancelled, what was handed over stays supplied)
  cancel: {
    from: ["scheduled", "pending_review", "change_requested", "approved", "dispensing", "ready_for_pickup", "shipped", "awaiting_stock"],
    to: "cancelled",
  },
};

/** The next status, or null when the action is illegal from this status and mode (a 409). */
export function nextStatus(from: OrderStatus, action: OrderAction, mode: FulfilmentMode): OrderStatus | null {
  const t = TRANSITIONS[action];
  if (!t.from.includes(from)) return null;
  if (t.mode && t.mode !== mode) return null;
  return t.to;
}

/** Why an action is illegal, in the words of a 409. */
export function illegalTransition(from: OrderStatus, action: OrderAction, mode: FulfilmentMode): string {
  const t = TRANSITIONS[action];
  const modeNote = t.mode && t.mode !== mode ? ` (${action} is for ${t.mode} orders; this one is ${mode})` : "";
  return `cannot ${action} an order that is ${from}${modeNote}`;
}

/** Statuses in which drugs have left the shelf: the doctor can no longer cancel the prescription. */
export const DISPENSED_STATUSES: readonly OrderStatus[] = ["dispensing", "ready_for_pickup", "picked_up", "shipped", "delivered", "awaiting_stock"];

/** Statuses still open when the doctor cancels the prescription (nothing dispensed yet). */
export const OPEN_STATUSES: readonly OrderStatus[] = ["scheduled", "pending_review", "change_requested", "approved"];

export const TERMINAL_STATUSES: readonly OrderStatus[] = ["rejected", "picked_up", "delivered", "cancelled", "returned", "expired"];

/** Statuses that are the desk's work (the queue); scheduled instalments are not work yet, terminal ones are done. */
export const WORK_STATUSES: readonly OrderStatus[] = ["pending_review", "change_requested", "approved", "dispensing", "ready_for_pickup", "shipped", "awaiting_stock"];
