import { and, asc, eq, sql } from "drizzle-orm";
import { notifications, orders, pharmacySites, prescriptions } from "../../../schema";
import type { Db } from "../../db/index";
import type { OrderRow } from "../orders/orders.repo";

/**
 * The prescribing doctor's inbox notice about an order, addressed through the order's
 * prescription (an insert-select: no read of the prescriber first). Inbox notices are
 * delivered by being stored, so they are written `sent`.
 */
export function insertDoctorNotice(db: Db, order: Pick<OrderRow, "id" | "patientId" | "prescriptionId" | "status">, template: string, params: Record<string, string>, at: string) {
  return db.insert(notifications).select(
    db
      .select({
        id: sql<string>`${`ntf_${order.id}_${order.status}_doctor_${at}`}`.as("id"),
        orderId: sql<string>`${order.id}`.as("order_id"),
        patientId: sql<string>`${order.patientId}`.as("patient_id"),
        channel: sql<string>`'inbox'`.as("channel"),
        recipientId: prescriptions.prescriberId,
        template: sql<string>`${template}`.as("template"),
        params: sql<string>`${JSON.stringify({ orderId: order.id, ...params })}`.as("params"),
        state: sql<string>`'sent'`.as("state"),
        createdAt: sql<string>`${at}`.as("created_at"),
        sentAt: sql<string>`${at}`.as("sent_at"),
        // (an insert-select names every column in the table's order: a new notice is not done)
        doneAt: sql<string | null>`NULL`.as("done_at"),
      })
      .from(prescriptions)
      .where(eq(prescriptions.id, order.prescriptionId)),
  );
}

/**
 * Pending notifications of one channel, oldest first, with the order's facts a message is
 * completed from. Inbox notices are written `sent` and have their own channel: an SMS or
 * WeChat sender never sees them.
 */
export function pendingNotificationsQuery(db: Db, channel: "sms" | "wechat", limit: number) {
  return db
    .select({
      id: notifications.id,
      patientId: notifications.patientId,
      template: notifications.template,
      params: notifications.params,
      createdAt: notifications.createdAt,
      siteName: pharmacySites.name,
      carrier: orders.carrier,
      trackingNo: orders.trackingNo,
      rejectReason: orders.rejectReason,
    })
    .from(notifications)
    .leftJoin(orders, eq(orders.id, notifications.orderId))
    .leftJoin(pharmacySites, eq(pharmacySites.id, orders.pickupSiteId))
    .where(and(eq(notifications.state, "pending"), eq(notifications.channel, channel)))
    // rowid: insertion order among notifications written at the same instant (ship, then deliver)
    .orderBy(asc(notifications.createdAt), sql`${notifications}.rowid`)
    .limit(limit);
}

/** Conditional: true when this call moved the row out of pending, false when another run already had. */
export async function markNotification(db: Db, id: string, state: "sent" | "failed", sentAt: string | null): Promise<boolean> {
  const res = await db
    .update(notifications)
    .set({ state, sentAt })
    .where(and(eq(notifications.id, id), eq(notifications.state, "pending")));
  return (res.meta.changes ?? 0) > 0;
}
