import { asc, eq, inArray } from "drizzle-orm";
import { alias } from "drizzle-orm/sqlite-core";
import { orders, patients, pharmacies, pharmacySites } from "../../../schema";
import type { Db } from "../../db";

/*
 * What the patient's status lookup reads, all keyed by the order reference the patient
 * holds, so the whole lookup is one batch. Related rows come through subqueries on the
 * reference rather than joins (drizzle's D1 batch maps columns by name).
 */

const byReference = (db: Db, reference: string, column: typeof orders.patientId | typeof orders.pickupSiteId | typeof orders.pharmacyId) =>
  db.select({ id: column }).from(orders).where(eq(orders.reference, reference));

/** The order: status and logistics, and the delivery address (its phone is a check, never shown). */
export function orderByReferenceQuery(db: Db, reference: string) {
  return db
    .select({
      id: orders.id,
      status: orders.status,
      mode: orders.mode,
      instalment: orders.instalment,
      instalments: orders.instalments,
      items: orders.items,
      address: orders.address,
      carrier: orders.carrier,
      trackingNo: orders.trackingNo,
      updatedAt: orders.updatedAt,
    })
    .from(orders)
    .where(eq(orders.reference, reference))
    .limit(1);
}

/** Only the phone of the order's patient: the lookup's check, nothing else of the record. */
export function patientPhoneByReferenceQuery(db: Db, reference: string) {
  return db
    .select({ phone: patients.phone })
    .from(patients)
    .where(inArray(patients.id, byReference(db, reference, orders.patientId)))
    .limit(1);
}

export function siteByReferenceQuery(db: Db, reference: string) {
  return db
    .select({ name: pharmacySites.name, address: pharmacySites.address })
    .from(pharmacySites)
    .where(inArray(pharmacySites.id, byReference(db, reference, orders.pickupSiteId)))
    .limit(1);
}

export function pharmacyByReferenceQuery(db: Db, reference: string) {
  return db
    .select({ name: pharmacies.name, hours: pharmacies.hours })
    .from(pharmacies)
    .where(inArray(pharmacies.id, byReference(db, reference, orders.pharmacyId)))
    .limit(1);
}

const lookedUp = alias(orders, "looked_up");

/** Every instalment of the order's prescription, in order: the patient's schedule. */
export function scheduleByReferenceQuery(db: Db, reference: string) {
  return db
    .select({ id: orders.id, instalment: orders.instalment, status: orders.status, days: orders.days, supplyFrom: orders.supplyFrom, releaseOn: orders.releaseOn })
    .from(orders)
    .where(inArray(orders.prescriptionId, db.select({ id: lookedUp.prescriptionId }).from(lookedUp).where(eq(lookedUp.reference, reference))))
    .orderBy(asc(orders.instalment), asc(orders.createdAt));
}
