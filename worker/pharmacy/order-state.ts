/**
 * The order state machine (DOMAIN.md "Prescription and order lifecycle"), pure.
 * `scheduled` is added for later instalments that the cron has not released yet.
 */
export const ORDER_STATUSES = [
  "scheduled",
  "pending_review",
  "approved",
  "rejected",
  "dispensing",
  "ready_for_pickup",
  "picked_up",
  "shipped",
  "delivered",
  "cancelled",
] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export type FulfilmentMode = "pickup" | "delivery";

export const ORDER_ACTIONS = ["release", "approve", "reject", "dispense", "ready", "handover", "ship", "deliver", "cancel"] as const;
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
  dispense: { from: ["approved"], to: "dispensing" },
  ready: { from: ["dispensing"], to: "ready_for_pickup", mode: "pickup" },
  handover: { from: ["ready_for_pickup"], to: "picked_up", mode: "pickup" },
  ship: { from: ["dispensing"], to: "shipped", mode: "delivery" },
  deliver: { from: ["shipped"], to: "delivered", mode: "delivery" },
  // "cancelled from any state before hand-over"
  cancel: { from: ["scheduled", "pending_review", "approved", "dispensing", "ready_for_pickup", "shipped"], to: "cancelled" },
};

/** The next status, or null when the action is illegal from this status and mode (a 409). */
export function nextStatus(from: OrderStatus, action: OrderAction, mode: FulfilmentMode): OrderStatus | null {
  const t = TRANSITIONS[action];
  if (!t.from.includes(from)) return null;
  if (t.mode && t.mode !== mode) return null;
  return t.to;
}

/** Statuses in which the drugs have left the shelf: a prescription can no longer be cancelled. */
export const DISPENSED_STATUSES: readonly OrderStatus[] = ["dispensing", "ready_for_pickup", "picked_up", "shipped", "delivered"];

/** Statuses still open when the doctor cancels the prescription. */
export const OPEN_STATUSES: readonly OrderStatus[] = ["scheduled", "pending_review", "approved"];

export const TERMINAL_STATUSES: readonly OrderStatus[] = ["rejected", "picked_up", "delivered", "cancelled"];
