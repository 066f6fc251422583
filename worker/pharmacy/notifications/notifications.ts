import type { OrderStatus } from "../orders/order-state";
import type { NotificationRow, OrderRow } from "../orders/orders.repo";

/** The status changes a patient is told about (SMS), with the template that tells it. */
const PATIENT_TEMPLATES: Partial<Record<OrderStatus, string>> = {
  ready_for_pickup: "order-ready-for-pickup",
  shipped: "order-shipped",
  delivered: "order-delivered",
  rejected: "order-rejected",
  awaiting_stock: "order-awaiting-stock",
  returned: "order-returned",
  expired: "order-expired",
};

/**
 * The status changes the prescribing doctor is told about in the platform (the doctor's
 * inbox): everything that puts the prescription back in the doctor's hands.
 */
export const DOCTOR_TEMPLATES: Partial<Record<OrderStatus, string>> = {
  rejected: "doctor-order-rejected",
  returned: "doctor-order-returned",
  expired: "doctor-order-expired",
  change_requested: "doctor-change-requested",
};

/**
 * The patient's notification records of a transition, written in the same batch as the
 * transition. Params carry no medical data: only the order reference and logistics.
 * `key` tells apart two notices of one status (a restocked order is ready twice).
 */
export function notificationsFor(order: OrderRow, to: OrderStatus, at: string, params: Record<string, string> = {}, key = ""): NotificationRow[] {
  const template = PATIENT_TEMPLATES[to];
  if (!template) return [];
  return [
    {
      id: `ntf_${order.id}_${to}${key ? `_${key}` : ""}`,
      orderId: order.id,
      patientId: order.patientId,
      channel: "sms",
      recipientId: null,
      template,
      params: { reference: order.reference, orderId: order.id, ...params },
      state: "pending",
      createdAt: at,
      sentAt: null,
    },
  ];
}
