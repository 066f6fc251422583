import { and, eq, inArray } from "drizzle-orm";
import { changeRequests, prescriptionItems, prescriptions } from "../../schema";
import type { Db } from "../db/index";
import { type RoutablePharmacy, type RoutableSite, routingQueries } from "../pharmacy/fulfilment";
import { loadRuleContext, type RuleContextQuery, type StoredContext } from "../rules-context/rules-context.repo";

/** The rule context of a draft and, for signing, the pharmacies and sites routing chooses from: ONE round trip. */
export async function loadDraftContext(
  db: Db,
  q: RuleContextQuery & { /** read the pharmacies too (signing routes) */ routing: boolean },
): Promise<StoredContext & { pharmacies: RoutablePharmacy[]; sites: RoutableSite[] }> {
  const { stored, extra } = await loadRuleContext(db, q, ...routingQueries(db, q.routing));
  const [pharmacies, sites] = extra;
  return { ...stored, pharmacies, sites };
}

export type PrescriptionRow = typeof prescriptions.$inferSelect;
export type PrescriptionItemRow = typeof prescriptionItems.$inferInsert;

export function insertPrescription(db: Db, row: PrescriptionRow) {
  return db.insert(prescriptions).values(row);
}

/** Rows per insert: 12 columns each stay under D1's 100 bound parameters (a signable prescription has at most 5 items anyway). */
const ITEM_ROWS_PER_INSERT = 8;

/** The supply lines of a prescription (typed statements, so they commit in a guarded batch). */
export function insertPrescriptionItems(db: Db, items: PrescriptionItemRow[]) {
  return Array.from({ length: Math.ceil(items.length / ITEM_ROWS_PER_INSERT) }, (_, k) =>
    db.insert(prescriptionItems).values(items.slice(k * ITEM_ROWS_PER_INSERT, (k + 1) * ITEM_ROWS_PER_INSERT)),
  );
}

export function prescriptionQuery(db: Db, id: string) {
  return db.select().from(prescriptions).where(eq(prescriptions.id, id)).limit(1);
}

/** Optimistic cancel: only a signed prescription at the expected version. Pair with expectChanged. */
export function cancelPrescriptionIfVersion(db: Db, id: string, version: number, at: string, by: string, reason: string) {
  return db
    .update(prescriptions)
    .set({ status: "cancelled", cancelledAt: at, cancelledBy: by, cancelReason: reason, version: version + 1 })
    .where(and(eq(prescriptions.id, id), eq(prescriptions.version, version), eq(prescriptions.status, "signed")));
}

/** The prescription a change request is about, selected through the request id (rides in the request's read batch). */
export function prescriptionOfChangeRequestQuery(db: Db, changeRequestId: string) {
  return db
    .select()
    .from(prescriptions)
    .where(inArray(prescriptions.id, db.select({ id: changeRequests.prescriptionId }).from(changeRequests).where(eq(changeRequests.id, changeRequestId))))
    .limit(1);
}

/**
 * Optimistic replacement: only a signed prescription at the expected version becomes
 * `replaced`, pointing at its successor. Pair with expectChanged.
 */
export function replacePrescriptionIfVersion(db: Db, id: string, version: number, replacedBy: string) {
  return db
    .update(prescriptions)
    .set({ status: "replaced", replacedBy, version: version + 1 })
    .where(and(eq(prescriptions.id, id), eq(prescriptions.version, version), eq(prescriptions.status, "signed")));
}

export function deactivateSupply(db: Db, prescriptionId: string) {
  return db.update(prescriptionItems).set({ active: false }).where(eq(prescriptionItems.prescriptionId, prescriptionId));
}
