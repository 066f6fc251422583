import { and, eq, getTableColumns, inArray, notExists, notInArray, sql } from "drizzle-orm";
import { institutions, orders, practitioners, prescriptionItems, prescriptions } from "../../schema";
import type { Db } from "../db/index";

/*
 * The signed prescription as a record both sides read and close: the doctor's side
 * (prescriptions/) writes it, the pharmacy's side (pharmacy/) reads what it must verify
 * and marks it completed once everything reached the patient. Neither imports the other.
 */

export type SignedPrescriptionRow = typeof prescriptions.$inferSelect;

export function signedPrescriptionQuery(db: Db, id: string) {
  return db.select().from(prescriptions).where(eq(prescriptions.id, id)).limit(1);
}

/** The prescription of the order `orderId`, as a condition on prescriptions. */
const ofOrder = (db: Db, orderId: string) => inArray(prescriptions.id, db.select({ id: orders.prescriptionId }).from(orders).where(eq(orders.id, orderId)));

/** The prescription an order belongs to, selected through the order id (rides in the order's read batch). */
export function prescriptionByOrderQuery(db: Db, orderId: string) {
  return db.select().from(prescriptions).where(ofOrder(db, orderId)).limit(1);
}

/**
 * The same, with the prescribing doctor's and institution's names as the members' tables
 * hold them (the signed content carries only ids; null: no longer there), for a page that
 * names them as the 处方笺 does. Aliased: in a D1 batch, columns of one name overwrite each other.
 */
export function prescriptionWithNamesByOrderQuery(db: Db, orderId: string) {
  return db
    .select({
      ...getTableColumns(prescriptions),
      prescriberName: sql<string | null>`(SELECT pr.name FROM ${practitioners} pr WHERE pr.id = ${prescriptions.prescriberId})`.as("prescriber_name"),
      institutionName: sql<string | null>`(SELECT inst.name FROM ${institutions} inst WHERE inst.id = ${prescriptions.institutionId})`.as("institution_name"),
    })
    .from(prescriptions)
    .where(ofOrder(db, orderId))
    .limit(1);
}

/** Orders whose drugs reached the patient in full. */
export const SUPPLIED_STATUSES = ["picked_up", "delivered"] as const;
/** Orders that ended without (all of) their supply: they no longer hold a prescription open. */
export const CLOSED_UNSUPPLIED_STATUSES = ["cancelled", "rejected", "returned", "expired"] as const;

/**
 * Marks the prescription completed once every one of its orders reached the patient. Put it
 * in the batch after the order's own update, so the check sees the new status.
 */
export function completePrescriptionWhenSupplied(db: Db, prescriptionId: string) {
  return db
    .update(prescriptions)
    .set({ status: "completed", version: sql`${prescriptions.version} + 1` })
    .where(
      and(
        eq(prescriptions.id, prescriptionId),
        eq(prescriptions.status, "signed"),
        notExists(
          db
            .select({ one: sql`1` })
            .from(orders)
            .where(and(eq(orders.prescriptionId, prescriptionId), notInArray(orders.status, [...SUPPLIED_STATUSES]))),
        ),
      ),
    );
}

/**
 * Brings the supply lines of a prescription in step with its orders (DOMAIN.md "active
 * supply"): an item covers `days × packages counted ÷ packages prescribed`, where an order
 * still on its way counts its packages in full (planned supply blocks a duplicate), and an
 * order that ended short or is holding part of it (awaiting stock, returned, expired,
 * rejected, cancelled) counts only what was handed over. Evaluated inside the transition's
 * batch, after the order's own update, so two concurrent transitions of one prescription's
 * orders each leave a consistent result.
 */
export function recomputeSupply(db: Db, prescriptionId: string) {
  const partial = JSON.stringify(["awaiting_stock", ...CLOSED_UNSUPPLIED_STATUSES]);
  const covered = sql`(
      SELECT coalesce(sum(CASE WHEN o.status IN (SELECT value FROM json_each(${partial}))
                               THEN coalesce(json_extract(line.value, '$.supplied'), 0)
                               ELSE json_extract(line.value, '$.packages') END), 0)
      FROM orders o, json_each(o.items) line
      WHERE o.prescription_id = prescription_items.prescription_id AND line.key = prescription_items.idx)`;
  return db
    .update(prescriptionItems)
    // qualified names: inside the subquery an unqualified column would resolve to orders
    .set({ endDate: sql`date(prescription_items.start_date, '+' || (prescription_items.days * ${covered} / prescription_items.packages) || ' days')` })
    .where(eq(prescriptionItems.prescriptionId, prescriptionId));
}
