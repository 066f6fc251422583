import { and, eq, inArray, sql } from "drizzle-orm";
import { notifications, orderEvents, orders, outbox, pharmacies, pharmacySites, prescriptions } from "../../schema";
import type { Db } from "../db/index";

export type OrderRow = typeof orders.$inferSelect;
export type OrderEventRow = typeof orderEvents.$inferInsert;
export type OutboxRow = typeof outbox.$inferInsert;
export type NotificationRow = typeof notifications.$inferInsert;
export type PharmacyRow = typeof pharmacies.$inferSelect;

export function pharmaciesQuery(db: Db) {
  return db.select().from(pharmacies);
}

export function sitesQuery(db: Db) {
  return db.select({ id: pharmacySites.id, pharmacyId: pharmacySites.pharmacyId }).from(pharmacySites);
}

export function insertOrder(db: Db, row: OrderRow) {
  return db.insert(orders).values(row);
}

export function insertOrderEvent(db: Db, row: OrderEventRow) {
  return db.insert(orderEvents).values(row);
}

export function insertOutbox(db: Db, row: OutboxRow) {
  return db.insert(outbox).values(row);
}

export function insertNotification(db: Db, row: NotificationRow) {
  return db.insert(notifications).values(row);
}

export function orderQuery(db: Db, id: string) {
  return db.select().from(orders).where(eq(orders.id, id)).limit(1);
}

export function ordersOfPrescriptionQuery(db: Db, prescriptionId: string) {
  return db.select().from(orders).where(eq(orders.prescriptionId, prescriptionId)).orderBy(orders.instalment);
}

export function orderEventsQuery(db: Db, orderId: string) {
  return db.select().from(orderEvents).where(eq(orderEvents.orderId, orderId)).orderBy(orderEvents.id);
}

/**
 * Optimistic transition: only from the expected status at the expected version. Pair it
 * with expectChanged so a concurrent transition makes the whole batch roll back (409).
 */
export function updateOrderIfVersion(db: Db, order: OrderRow, changes: Partial<OrderRow>) {
  return db
    .update(orders)
    .set({ ...changes, version: order.version + 1 })
    .where(and(eq(orders.id, order.id), eq(orders.version, order.version), eq(orders.status, order.status)));
}

/** Does the prescription have an order whose drugs left the shelf? Checked inside the cancel batch. */
export function prescriptionHasDispensedOrder(db: Db, prescriptionId: string, statuses: readonly string[]) {
  return db
    .select({ n: sql<number>`count(*)` })
    .from(orders)
    .where(and(eq(orders.prescriptionId, prescriptionId), inArray(orders.status, [...statuses])));
}

export function prescriptionOfOrderQuery(db: Db, prescriptionId: string) {
  return db.select().from(prescriptions).where(eq(prescriptions.id, prescriptionId)).limit(1);
}
