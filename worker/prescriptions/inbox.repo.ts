import { and, desc, eq, inArray, isNotNull, isNull, sql } from "drizzle-orm";
import { changeRequests, notifications, orders, patients, prescriptions } from "../../schema";
import type { Db } from "../db/index";
import { failIf } from "../db/guard";
import { aliased } from "./prescriptions.repo";

/*
 * The doctor's inbox: the notices the pharmacy side writes (channel `inbox`, addressed to
 * the prescriber, pharmacy/notifications) read with what tells whether they still need the
 * doctor: the prescription's status and successor, the change request's status.
 */

export type InboxState = "open" | "done" | "all";

function mine(recipientId: string) {
  return and(eq(notifications.channel, "inbox"), eq(notifications.recipientId, recipientId));
}

function stateFilter(state: InboxState) {
  if (state === "open") return isNull(notifications.doneAt);
  if (state === "done") return isNotNull(notifications.doneAt);
  return undefined;
}

function selectNotices(db: Db) {
  return db
    .select({
      notice: notifications,
      prescriptionId: orders.prescriptionId,
      patientName: aliased(patients.name, "patient_name"),
      prescriptionStatus: aliased(prescriptions.status, "prescription_status"),
      replacedBy: prescriptions.replacedBy,
      changeRequestStatus: aliased(changeRequests.status, "change_request_status"),
    })
    .from(notifications)
    .leftJoin(orders, eq(orders.id, notifications.orderId))
    .leftJoin(prescriptions, eq(prescriptions.id, orders.prescriptionId))
    .leftJoin(patients, eq(patients.id, notifications.patientId))
    .leftJoin(changeRequests, eq(changeRequests.id, sql`json_extract(${notifications.params}, '$.changeRequestId')`));
}

/** The doctor's notices, newest first (index notifications_recipient), and how many are still open: ONE round trip. */
export function inboxQueries(db: Db, recipientId: string, state: InboxState, limit: number) {
  return [
    selectNotices(db)
      .where(and(mine(recipientId), stateFilter(state)))
      .orderBy(desc(notifications.createdAt), desc(notifications.id))
      .limit(limit),
    db
      .select({ open: sql<number>`count(*)` })
      .from(notifications)
      .where(and(mine(recipientId), isNull(notifications.doneAt))),
  ] as const;
}

export type InboxRow = Awaited<ReturnType<typeof inboxQueries>[0]>[number];

export function noticeQuery(db: Db, recipientId: string, id: string) {
  return selectNotices(db)
    .where(and(mine(recipientId), eq(notifications.id, id)))
    .limit(1);
}

/** Put first in the done batch: rolls it back when the notice is not the caller's (or does not exist). */
export function expectOwnNotice(db: Db, recipientId: string, id: string) {
  return failIf(db, sql`NOT EXISTS (SELECT 1 FROM ${notifications} WHERE ${notifications.id} = ${id} AND ${mine(recipientId)})`);
}

/** Marks done once: a notice already done keeps its first doneAt (the call stays idempotent). */
export function markNoticeDone(db: Db, recipientId: string, id: string, at: string) {
  return db
    .update(notifications)
    .set({ doneAt: at })
    .where(and(mine(recipientId), eq(notifications.id, id), isNull(notifications.doneAt)));
}

/** Every open inbox notice about a prescription's orders, done: the prescription was replaced, nothing in them is left to do. */
export function markNoticesOfPrescriptionDone(db: Db, prescriptionId: string, at: string) {
  return db
    .update(notifications)
    .set({ doneAt: at })
    .where(
      and(
        eq(notifications.channel, "inbox"),
        isNull(notifications.doneAt),
        inArray(notifications.orderId, db.select({ id: orders.id }).from(orders).where(eq(orders.prescriptionId, prescriptionId))),
      ),
    );
}
