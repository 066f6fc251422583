import { and, asc, count, eq, gt, inArray, or, type SQL, sql } from "drizzle-orm";
import { institutions, orderDispensations, orders, patientAllergies, patients, prescriptionItems } from "../../../schema";
import type { Db } from "../../db";
import { patientPrefixMatches } from "../../members/members.repo";
import type { FulfilmentMode, OrderStatus } from "../orders/order-state";

/*
 * The desk's own queries: the work queue and its counts, and what an order's page shows
 * around the order (dispensed lots, the patient's allergies and active supply, the
 * instalment schedule). Rows around an order are selected through subqueries on the order
 * id, so the page reads everything in one batch.
 */

export type DispensationRow = typeof orderDispensations.$inferInsert;

export interface QueueFilter {
  /** one pharmacy's orders; undefined: every pharmacy (admins) */
  pharmacyId?: string;
  siteId?: string;
  mode?: FulfilmentMode;
  /** the first instalment (or the only one), or a later one */
  instalment?: "first" | "later";
}

function queueFilters(f: QueueFilter) {
  return [
    f.pharmacyId ? eq(orders.pharmacyId, f.pharmacyId) : undefined,
    f.siteId ? eq(orders.pickupSiteId, f.siteId) : undefined,
    f.mode ? eq(orders.mode, f.mode) : undefined,
    f.instalment === "first" ? eq(orders.instalment, 1) : f.instalment === "later" ? gt(orders.instalment, 1) : undefined,
  ];
}

/**
 * The orders of the patient at the window, from what the pharmacist types: a name or
 * pinyin-initials prefix (letters only, any case), the phone's last four digits (what a patient
 * reads out: 尾号 2608) or its first seven or more, or the order's id or reference. Checked on
 * each order the other filters leave (one pharmacy's queue), never over every patient.
 */
function patientAtWindow(q: string): SQL | undefined {
  return or(
    eq(orders.id, q),
    eq(orders.reference, q),
    ...patientPrefixMatches(q),
    /^\d{4}$/.test(q) ? eq(sql`substr(${patients.phone}, -4)`, q) : undefined,
  );
}

/** Keyset page of orders by (createdAt, id), oldest first: the desk works a queue. Each with its patient's name (the service masks it); `q`: patientAtWindow. */
export function queueQuery(db: Db, p: QueueFilter & { q?: string; statuses: readonly OrderStatus[]; after?: { createdAt: string; id: string }; limit: number }) {
  const filters = [
    ...queueFilters(p),
    p.q ? patientAtWindow(p.q) : undefined,
    inArray(orders.status, [...p.statuses]),
    p.after ? or(gt(orders.createdAt, p.after.createdAt), and(eq(orders.createdAt, p.after.createdAt), gt(orders.id, p.after.id))) : undefined,
  ];
  return db
    .select({ order: orders, patientName: patients.name })
    .from(orders)
    .leftJoin(patients, eq(patients.id, orders.patientId))
    .where(and(...filters))
    .orderBy(asc(orders.createdAt), asc(orders.id))
    .limit(p.limit);
}

/** Orders per status, site and mode under the filter: the tabs and badges of the queue in one statement. */
export function queueCountsQuery(db: Db, f: QueueFilter) {
  return db
    .select({ status: orders.status, siteId: orders.pickupSiteId, mode: orders.mode, count: count() })
    .from(orders)
    .where(and(...queueFilters(f)))
    .groupBy(orders.status, orders.pickupSiteId, orders.mode);
}

/**
 * A dispensing round's lines as one insert-select over a JSON array: one bound parameter
 * however many lots (D1 binds at most 100 per statement).
 */
export function insertDispensations(db: Db, rows: DispensationRow[]) {
  const field = (name: keyof DispensationRow) => sql.raw(`json_extract(value, '$.${name}')`);
  return db.insert(orderDispensations).select(
    sql`SELECT NULL, ${field("orderId")}, ${field("round")}, ${field("idx")}, ${field("drugCode")}, ${field("packages")}, ${field("lotNo")}, ${field("expiry")}, ${field("at")}, ${field("actorId")}
        FROM json_each(${JSON.stringify(rows)})`,
  );
}

export function dispensationsOfOrderQuery(db: Db, orderId: string) {
  return db
    .select({
      round: orderDispensations.round,
      index: orderDispensations.idx,
      drugCode: orderDispensations.drugCode,
      packages: orderDispensations.packages,
      lotNo: orderDispensations.lotNo,
      expiry: orderDispensations.expiry,
      at: orderDispensations.at,
      actorId: orderDispensations.actorId,
    })
    .from(orderDispensations)
    .where(eq(orderDispensations.orderId, orderId))
    .orderBy(asc(orderDispensations.round), asc(orderDispensations.idx), asc(orderDispensations.id));
}

const patientOfOrder = (db: Db, orderId: string) => db.select({ id: orders.patientId }).from(orders).where(eq(orders.id, orderId));

export function allergiesByOrderQuery(db: Db, orderId: string) {
  return db
    .select({ substance: patientAllergies.substance, atcPrefix: patientAllergies.atcPrefix, reaction: patientAllergies.reaction })
    .from(patientAllergies)
    .where(inArray(patientAllergies.patientId, patientOfOrder(db, orderId)))
    .orderBy(asc(patientAllergies.substance));
}

/**
 * The patient's supply lines still running on `today` at any institution of the consortium
 * (DOMAIN.md "active supply"), this prescription's included, latest end first.
 */
export function activeSupplyByOrderQuery(db: Db, orderId: string, today: string) {
  return db
    .select({
      prescriptionId: prescriptionItems.prescriptionId,
      drugCode: prescriptionItems.drugCode,
      genericName: prescriptionItems.genericName,
      institutionId: prescriptionItems.institutionId,
      institutionName: sql<string | null>`${institutions.name}`.as("institution_name"),
      startDate: prescriptionItems.startDate,
      endDate: prescriptionItems.endDate,
    })
    .from(prescriptionItems)
    .leftJoin(institutions, eq(institutions.id, prescriptionItems.institutionId))
    .where(and(inArray(prescriptionItems.patientId, patientOfOrder(db, orderId)), eq(prescriptionItems.active, true), gt(prescriptionItems.endDate, today)))
    .orderBy(sql`${prescriptionItems.endDate} DESC`, asc(prescriptionItems.drugCode));
}

/** Every order of the order's prescription (its instalments), in instalment order. */
export function scheduleByOrderQuery(db: Db, orderId: string) {
  return db
    .select({
      id: orders.id,
      instalment: orders.instalment,
      status: orders.status,
      pharmacyId: orders.pharmacyId,
      supplyFrom: orders.supplyFrom,
      days: orders.days,
      releaseOn: orders.releaseOn,
    })
    .from(orders)
    .where(inArray(orders.prescriptionId, db.select({ id: orders.prescriptionId }).from(orders).where(eq(orders.id, orderId))))
    .orderBy(asc(orders.instalment));
}
