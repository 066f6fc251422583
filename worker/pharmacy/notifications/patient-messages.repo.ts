import { and, desc, eq, inArray, or, sql } from "drizzle-orm";
import { notifications, orders, pharmacySites } from "../../../schema";
import type { Db } from "../../db/index";

/** The patient's own channels (inbox notices go to the doctor, never to the patient's handset). */
const PATIENT_CHANNELS = ["sms", "wechat"] as const;

/**
 * A patient's SMS and WeChat notifications, newest first, with the order facts a message is
 * completed from (the same columns the sender reads, so the text is the one the handset got).
 * Addressed by patient id, or by an order reference (then: that order's patient).
 */
export function patientMessagesQuery(db: Db, by: { patientId: string } | { reference: string }, limit: number) {
  const patient =
    "patientId" in by
      ? eq(notifications.patientId, by.patientId)
      : inArray(notifications.patientId, db.select({ id: orders.patientId }).from(orders).where(eq(orders.reference, by.reference)));
  return db
    .select({
      id: notifications.id,
      orderId: notifications.orderId,
      patientId: notifications.patientId,
      channel: notifications.channel,
      template: notifications.template,
      params: notifications.params,
      state: notifications.state,
      createdAt: notifications.createdAt,
      sentAt: notifications.sentAt,
      siteName: pharmacySites.name,
      carrier: orders.carrier,
      trackingNo: orders.trackingNo,
      rejectReason: orders.rejectReason,
    })
    .from(notifications)
    .leftJoin(orders, eq(orders.id, notifications.orderId))
    .leftJoin(pharmacySites, eq(pharmacySites.id, orders.pickupSiteId))
    .where(and(patient, or(...PATIENT_CHANNELS.map((ch) => eq(notifications.channel, ch)))))
    // rowid: among notifications of one instant, the later written first (as a handset lists them)
    .orderBy(desc(notifications.createdAt), sql`${notifications}.rowid desc`)
    .limit(limit);
}
