import type { NotificationRow, OrderRow } from "./orders.repo";
import type { OrderStatus } from "./order-state";

/** The status changes a patient is told about, with the template that tells it. */
const TEMPLATES: Partial<Record<OrderStatus, string>> = {
  ready_for_pickup: "order-ready-for-pickup",
  shipped: "order-shipped",
  delivered: "order-delivered",
  rejected: "order-rejected",
};

/**
 * The notification records of a transition, written in the same batch as the transition.
 * Params carry no medical data: only the order reference and logistics.
 */
export function notificationsFor(order: OrderRow, to: OrderStatus, at: string, params: Record<string, string> = {}): NotificationRow[] {
  const template = TEMPLATES[to];
  if (!template) return [];
  return [
    {
      id: `ntf_${order.id}_${to}`,
      orderId: order.id,
      patientId: order.patientId,
      channel: "sms",
      template,
      params: { reference: order.reference, orderId: order.id, ...params },
      state: "pending",
      createdAt: at,
      sentAt: null,
    },
  ];
}
