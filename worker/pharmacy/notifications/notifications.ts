import type { OrderStatus } from "../orders/order-state";
import type { NotificationRow, OrderRow } from "../orders/orders.repo";

const PATIENT_STATUS_TEMPLATES = {
  ready_for_pickup: "order-ready-for-pickup",
  shipped: "order-shipped",
  delivered: "order-delivered",
  rejected: "order-rejected",
  awaiting_stock: "order-awaiting-stock",
  returned: "order-returned",
  expired: "order-expired",
} as const satisfies Partial<Record<OrderStatus, string>>;

/**
 * The patient's notices that are not a status change: a dispensing round that had to hold
 * an item (the patient learns it before coming to the window).
 */
export const PATIENT_NOTICES = {
  partialDispense: "order-partial-dispense",
} as const;

/**
 * The status changes the prescribing doctor is told about in the platform (the doctor's
 * inbox): everything that puts the prescription back in the doctor's hands. Params the
 * templates read (notifications.sender.ts renderNotification): `reference`, and when known
 * `reasonLabel` (Chinese, preferred) or `reasonCode` (a 处方点评 code), `note`.
 */
const DOCTOR_STATUS_TEMPLATES = {
  rejected: "doctor-order-rejected",
  returned: "doctor-order-returned",
  expired: "doctor-order-expired",
  change_requested: "doctor-change-requested",
} as const satisfies Partial<Record<OrderStatus, string>>;

type ValueOf<T> = T[keyof T];
export type PatientTemplate = ValueOf<typeof PATIENT_STATUS_TEMPLATES> | ValueOf<typeof PATIENT_NOTICES>;
export type DoctorTemplate = ValueOf<typeof DOCTOR_STATUS_TEMPLATES>;
export type NotificationTemplate = PatientTemplate | DoctorTemplate;

/** The status changes a patient is told about (SMS), with the template that tells it. */
export const PATIENT_TEMPLATES: Partial<Record<OrderStatus, PatientTemplate>> = PATIENT_STATUS_TEMPLATES;
export const DOCTOR_TEMPLATES: Partial<Record<OrderStatus, DoctorTemplate>> = DOCTOR_STATUS_TEMPLATES;

/** One patient SMS about an order. Params carry no medical data: only the order reference and logistics. */
export function patientNotice(order: Pick<OrderRow, "id" | "patientId" | "reference">, id: string, template: PatientTemplate, at: string, params: Record<string, string> = {}): NotificationRow {
  return {
    id,
    orderId: order.id,
    patientId: order.patientId,
    channel: "sms",
    recipientId: null,
    template,
    params: { reference: order.reference, orderId: order.id, ...params },
    state: "pending",
    createdAt: at,
    sentAt: null,
  };
}

/**
 * The patient's notification records of a transition, written in the same batch as the
 * transition. `key` tells apart two notices of one status (a restocked order is ready twice).
 */
export function notificationsFor(order: OrderRow, to: OrderStatus, at: string, params: Record<string, string> = {}, key = ""): NotificationRow[] {
  const template = PATIENT_TEMPLATES[to];
  if (!template) return [];
  return [patientNotice(order, `ntf_${order.id}_${to}${key ? `_${key}` : ""}`, template, at, params)];
}
