import { eq, sql } from "drizzle-orm";
import { notifications, prescriptions } from "../../../schema";
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
      })
      .from(prescriptions)
      .where(eq(prescriptions.id, order.prescriptionId)),
  );
}
