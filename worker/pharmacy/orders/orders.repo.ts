import { and, asc, eq, getTableColumns, inArray, lt, lte, sql } from "drizzle-orm";
import { notifications, orderEvents, orders, outbox, patients, pharmacies, pharmacists, pharmacySites, practitioners } from "../../../schema";
import type { Db } from "../../db";
import { expectChanged } from "../../db/guard";
import { compiled, insertRows } from "../../db/compiled";

export type OrderRow = typeof orders.$inferSelect;
export type OrderEventRow = typeof orderEvents.$inferInsert;
export type OutboxRow = typeof outbox.$inferInsert;
export type NotificationRow = typeof notifications.$inferInsert;
export type PharmacyRow = typeof pharmacies.$inferSelect;

const everyPharmacy = compiled([], (db) => db.select().from(pharmacies));

export function pharmaciesQuery(db: Db) {
  return everyPharmacy(db, {});
}

export function sitesQuery(db: Db) {
  return db.select({ id: pharmacySites.id, pharmacyId: pharmacySites.pharmacyId }).from(pharmacySites);
}

const oneSite = compiled(["siteId"], (db, p) => db.select({ id: pharmacySites.id, pharmacyId: pharmacySites.pharmacyId }).from(pharmacySites).where(eq(pharmacySites.id, p.siteId)));

/** One pickup site (none for an empty id): what routing a pickup needs, by primary key. */
export function siteQuery(db: Db, siteId: string) {
  return oneSite(db, { siteId });
}

export function insertOrder(db: Db, row: OrderRow) {
  return insertRows(db, orders, [row]);
}

export function insertOrderEvent(db: Db, row: OrderEventRow) {
  return insertRows(db, orderEvents, [row]);
}

export function insertOutbox(db: Db, row: OutboxRow) {
  return insertRows(db, outbox, [row]);
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

/**
 * The order's timeline, oldest first, each event with its actor's name: the doctor's or the
 * pharmacist's, or the external pharmacy's for its callbacks (actor `pharmacy:<id>`); null
 * for the scheduler, an admin, or anyone no longer on the members' tables.
 */
export function orderEventsQuery(db: Db, orderId: string) {
  return db
    .select({
      ...getTableColumns(orderEvents),
      actorName: sql<string | null>`coalesce(${practitioners.name}, ${pharmacists.name},
        (SELECT ${pharmacies.name} FROM ${pharmacies} WHERE 'pharmacy:' || ${pharmacies.id} = ${orderEvents.actorId}))`.as("actor_name"),
    })
    .from(orderEvents)
    .leftJoin(practitioners, eq(practitioners.id, orderEvents.actorId))
    .leftJoin(pharmacists, eq(pharmacists.id, orderEvents.actorId))
    .where(eq(orderEvents.orderId, orderId))
    .orderBy(orderEvents.id);
}

/**
 * Optimistic update: only from the expected status at the expected version, followed by
 * the guard that rolls the batch back when it changed nothing (commitGuarded → 409).
 */
export function guardedOrderUpdate(db: Db, order: OrderRow, changes: Partial<OrderRow>) {
  const update = db
    .update(orders)
    .set({ ...changes, version: order.version + 1 })
    .where(and(eq(orders.id, order.id), eq(orders.version, order.version), eq(orders.status, order.status)));
  return [update, expectChanged(db)] as const;
}



// ---------------------------------------------------------------------------------------
// Pharmacy desk reads (worker/pharmacy/desk/: desk.access.ts, desk.service.ts). Rows of an order's prescription,
// patient and site are selected through subqueries on the order id, so the desk reads an
// order and everything around it in one batch; no joins, because drizzle's D1 batch maps
// columns by name and `name` would collide.
// ---------------------------------------------------------------------------------------

export function pharmacistQuery(db: Db, id: string) {
  return db.select({ id: pharmacists.id, pharmacyId: pharmacists.pharmacyId, title: pharmacists.title }).from(pharmacists).where(eq(pharmacists.id, id)).limit(1);
}

export function pharmacyQuery(db: Db, id: string) {
  return db.select({ id: pharmacies.id, name: pharmacies.name, integration: pharmacies.integration }).from(pharmacies).where(eq(pharmacies.id, id)).limit(1);
}

export function siteOfOrderQuery(db: Db, orderId: string) {
  return db
    .select({ id: pharmacySites.id, name: pharmacySites.name, address: pharmacySites.address })
    .from(pharmacySites)
    .where(inArray(pharmacySites.id, db.select({ id: orders.pickupSiteId }).from(orders).where(eq(orders.id, orderId))))
    .limit(1);
}


/** The 前记 a pharmacist checks and the window staff compare at hand-over: name, gender, birth date. */
export function patientByOrderQuery(db: Db, orderId: string) {
  return db
    .select({ id: patients.id, name: patients.name, gender: patients.gender, birthDate: patients.birthDate })
    .from(patients)
    .where(inArray(patients.id, db.select({ id: orders.patientId }).from(orders).where(eq(orders.id, orderId))))
    .limit(1);
}

// ---------------------------------------------------------------------------------------
// The cron's reads (worker/pharmacy/scheduled.ts)
// ---------------------------------------------------------------------------------------

/** Scheduled instalments whose release date (China date) has come, oldest first. */
export function dueInstalmentsQuery(db: Db, today: string, limit: number) {
  return db
    .select()
    .from(orders)
    .where(and(eq(orders.status, "scheduled"), lte(orders.releaseOn, today)))
    .orderBy(asc(orders.releaseOn), asc(orders.id))
    .limit(limit);
}

/** When an order became ready; one made ready before readyAt was recorded counts from its last change. */
const readySince = sql<string>`coalesce(${orders.readyAt}, ${orders.updatedAt})`;

/** Orders ready for pickup since before `readyBefore` (UTC ISO), oldest first. */
export function uncollectedOrdersQuery(db: Db, readyBefore: string, limit: number) {
  return db
    .select()
    .from(orders)
    .where(and(eq(orders.status, "ready_for_pickup"), lt(readySince, readyBefore)))
    .orderBy(asc(readySince), asc(orders.id))
    .limit(limit);
}
