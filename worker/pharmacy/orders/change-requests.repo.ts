import { and, asc, eq, gt, inArray, or, sql } from "drizzle-orm";
import { changeRequests, orders } from "../../../schema";
import type { ChangeRequestStatus } from "../../../schema/enums";
import type { Db } from "../../db";
import { expectChanged } from "../../db/guard";

/*
 * Every query on change_requests: a pharmacist's proposed change to a signed prescription
 * and the prescribing doctor's decision on it (schema/orders.ts changeRequests).
 */

export type ChangeRequestRow = typeof changeRequests.$inferSelect;

export function insertChangeRequest(db: Db, row: ChangeRequestRow) {
  return db.insert(changeRequests).values(row);
}

export function changeRequestQuery(db: Db, id: string) {
  return db.select().from(changeRequests).where(eq(changeRequests.id, id)).limit(1);
}

/** An order's change requests, oldest first (the desk's order page and its own list). */
export function changeRequestsOfOrder(db: Db, orderId: string) {
  return db.select().from(changeRequests).where(eq(changeRequests.orderId, orderId)).orderBy(asc(changeRequests.createdAt), asc(changeRequests.id));
}

/** The requests about a prescription and the one that created it (its `replaces` link), oldest first. */
export function changeRequestsOfPrescription(db: Db, prescriptionId: string) {
  return db
    .select()
    .from(changeRequests)
    .where(or(eq(changeRequests.prescriptionId, prescriptionId), eq(changeRequests.newPrescriptionId, prescriptionId)))
    .orderBy(asc(changeRequests.createdAt), asc(changeRequests.id));
}

/** The order a change request is about, selected through the request id (rides in the request's read batch). */
export function orderOfChangeRequestQuery(db: Db, changeRequestId: string) {
  return db
    .select()
    .from(orders)
    .where(inArray(orders.id, db.select({ id: changeRequests.orderId }).from(changeRequests).where(eq(changeRequests.id, changeRequestId))))
    .limit(1);
}

/** Every order of the prescription a change request is about (an acceptance moves the open ones). */
export function ordersOfChangeRequestQuery(db: Db, changeRequestId: string) {
  return db
    .select()
    .from(orders)
    .where(inArray(orders.prescriptionId, db.select({ id: changeRequests.prescriptionId }).from(changeRequests).where(eq(changeRequests.id, changeRequestId))))
    .orderBy(asc(orders.instalment));
}

/**
 * Keyset page by (createdAt, id), oldest first: open requests are the doctor's work. An
 * `open` request counts only while its order still waits for the decision (an order that a
 * cancellation or return took away leaves nothing to decide).
 */
export function listChangeRequestsQuery(db: Db, p: { institutionId?: string; status?: ChangeRequestStatus; after?: { createdAt: string; id: string }; limit: number }) {
  const filters = [
    p.institutionId ? eq(changeRequests.institutionId, p.institutionId) : undefined,
    p.status ? eq(changeRequests.status, p.status) : undefined,
    p.status === "open" ? inArray(changeRequests.orderId, db.select({ id: orders.id }).from(orders).where(eq(orders.status, "change_requested"))) : undefined,
    p.after ? or(gt(changeRequests.createdAt, p.after.createdAt), and(eq(changeRequests.createdAt, p.after.createdAt), gt(changeRequests.id, p.after.id))) : undefined,
  ];
  return db
    .select()
    .from(changeRequests)
    .where(and(...filters))
    .orderBy(asc(changeRequests.createdAt), asc(changeRequests.id))
    .limit(p.limit);
}

export type ChangeRequestDecision = Pick<ChangeRequestRow, "status" | "decidedBy" | "decidedAt" | "decisionNote"> & Partial<Pick<ChangeRequestRow, "newPrescriptionId">>;

/**
 * Closes an open request at the expected version, followed by the guard that rolls the
 * batch back when it changed nothing (a concurrent decision or withdrawal: 409).
 */
export function guardedDecision(db: Db, cr: ChangeRequestRow, decision: ChangeRequestDecision) {
  const update = db
    .update(changeRequests)
    .set({ ...decision, version: cr.version + 1 })
    .where(and(eq(changeRequests.id, cr.id), eq(changeRequests.version, cr.version), eq(changeRequests.status, "open")));
  return [update, expectChanged(db)] as const;
}

/** Closes every open request of a prescription its doctor cancels: nothing is left to decide. */
export function declineOpenChangeRequests(db: Db, prescriptionId: string, decision: Pick<ChangeRequestRow, "decidedBy" | "decidedAt" | "decisionNote">) {
  return db
    .update(changeRequests)
    .set({ ...decision, status: "declined", version: sql`${changeRequests.version} + 1` })
    .where(and(eq(changeRequests.prescriptionId, prescriptionId), eq(changeRequests.status, "open")));
}

/**
 * Closes an order's open request when the order leaves change_requested another way (the
 * desk cancels it, the pharmacy returns it): put it in that transition's batch, so the
 * doctor is never left with a request nothing can follow. Changes nothing when none is open.
 */
export function closeOpenChangeRequestsOfOrder(db: Db, orderId: string, decision: Pick<ChangeRequestRow, "decidedBy" | "decidedAt" | "decisionNote"> & { status: "withdrawn" | "declined" }) {
  return db
    .update(changeRequests)
    .set({ ...decision, version: sql`${changeRequests.version} + 1` })
    .where(and(eq(changeRequests.orderId, orderId), eq(changeRequests.status, "open")));
}
