import { and, desc, eq, inArray, isNull, notExists, or, type SQL, sql } from "drizzle-orm";
import type { BatchItem, BatchResponse } from "drizzle-orm/batch";
import { changeRequests, institutions, orders, patients, pharmacies, practitioners, prescriptionItems, prescriptions } from "../../schema";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";
import type { Db } from "../db/index";
import { failIf } from "../db/guard";
import type { Principal } from "../http/auth";
import { type OrderRow, ordersOfPrescription, type RoutablePharmacy, type RoutableSite, routingQueries } from "../pharmacy/fulfilment";
import { diagnosedIn, icd10Category, loadRuleContext, type RuleContextQuery, type StoredContext } from "../rules-context/rules-context.repo";
import { compiled, insertRows } from "../db/compiled";

export type DraftContext = StoredContext & { pharmacies: RoutablePharmacy[]; sites: RoutableSite[]; replaced: { row: PrescriptionRow; orders: OrderRow[] } | null };

/**
 * The rule context of a draft and, for signing, the pharmacies and sites routing chooses
 * from, and the prescription the draft replaces with its orders: ONE round trip. Those
 * reads join the batch only when asked for (a statement costs about as much as a small
 * read's rows, issue 12). `more` statements ride in the same batch (signing's
 * Idempotency-Key and rate count) and come back typed.
 */
export async function loadDraftContext<E extends readonly BatchItem<"sqlite">[] = []>(
  db: Db,
  q: RuleContextQuery & { /** read the pharmacies and the pickup site too (signing routes) */ routing: { pickupSiteId?: string } | null },
  ...more: E
): Promise<{ stored: DraftContext; extra: BatchResponse<E> }> {
  const routing = q.routing ? routingQueries(db, q.routing) : null;
  const replaced = q.replacing === undefined ? null : ([prescriptionQuery(db, q.replacing), ordersOfPrescription(db, q.replacing)] as const);
  const { stored, extra } = await loadRuleContext(db, q, ...more, ...(routing ?? []), ...(replaced ?? []));
  // the optional reads' results follow `more`'s, in the order they were added
  const optional: unknown[] = extra.slice(more.length);
  const [pharmacies, sites] = routing ? (optional.splice(0, 2) as unknown as BatchResponse<typeof routing>) : [[], []];
  const [replacedRows, replacedOrders] = replaced ? (optional.splice(0, 2) as unknown as BatchResponse<typeof replaced>) : [[], []];
  const row = replacedRows[0];
  return { stored: { ...stored, pharmacies, sites, replaced: row ? { row, orders: replacedOrders } : null }, extra: extra.slice(0, more.length) as BatchResponse<E> };
}

export type PrescriptionRow = typeof prescriptions.$inferSelect;
export type PrescriptionItemRow = typeof prescriptionItems.$inferInsert;

export function insertPrescription(db: Db, row: PrescriptionRow) {
  return insertRows(db, prescriptions, [row]);
}

/** Rows per insert: 12 columns each stay under D1's 100 bound parameters (a signable prescription has at most 5 items anyway). */
const ITEM_ROWS_PER_INSERT = 8;

/** The supply lines of a prescription (typed statements, so they commit in a guarded batch). */
export function insertPrescriptionItems(db: Db, items: PrescriptionItemRow[]) {
  return Array.from({ length: Math.ceil(items.length / ITEM_ROWS_PER_INSERT) }, (_, k) =>
    insertRows(db, prescriptionItems, items.slice(k * ITEM_ROWS_PER_INSERT, (k + 1) * ITEM_ROWS_PER_INSERT)),
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
 * Optimistic replacement: the prescription at the expected version, in the status it was
 * read in and not replaced yet, points at its successor; a signed one becomes `replaced`, a
 * cancelled one stays cancelled (nothing of it was ever supplied). Pair with expectChanged:
 * of two replacements of one prescription, the second changes nothing and rolls back.
 */
export function replacePrescriptionIfVersion(db: Db, old: Pick<PrescriptionRow, "id" | "version" | "status">, replacedBy: string) {
  return db
    .update(prescriptions)
    .set({ status: old.status === "signed" ? "replaced" : old.status, replacedBy, version: old.version + 1 })
    .where(and(eq(prescriptions.id, old.id), eq(prescriptions.version, old.version), eq(prescriptions.status, old.status), isNull(prescriptions.replacedBy)));
}

/**
 * Who may see a prescription, as SQL over the `prescriptions` row (the same rule as
 * prescriptions.service loadVisibleWithOrders, for reads that must be guarded inside one
 * batch): admins; doctors of the institution that wrote it; pharmacists of a pharmacy it
 * was routed to or that proposed a change to it.
 */
function visibleTo(actor: Principal): SQL | undefined {
  if (actor.role === "admin") return undefined;
  if (actor.role === "doctor") return eq(prescriptions.institutionId, actor.org);
  return or(
    sql`EXISTS (SELECT 1 FROM ${orders} WHERE ${orders.prescriptionId} = ${prescriptions.id} AND ${orders.pharmacyId} = ${actor.org})`,
    sql`EXISTS (SELECT 1 FROM ${changeRequests} WHERE ${changeRequests.prescriptionId} = ${prescriptions.id} AND ${changeRequests.pharmacyId} = ${actor.org})`,
  );
}

/** Put before the audit row of a read: rolls the batch back when the prescription does not exist or the caller may not see it. */
export function expectPrescriptionVisible(db: Db, id: string, actor: Principal) {
  return failIf(db, notExists(db.select({ one: sql`1` }).from(prescriptions).where(and(eq(prescriptions.id, id), visibleTo(actor)))));
}

/** A column under its own alias: in a D1 batch, joined columns of one name (three `name`s here) would overwrite each other. */
export const aliased = (column: SQLiteColumn, alias: string) => sql<string>`${column}`.as(alias);

/** Prescriptions with the names a printed or re-drafted prescription shows: patient, institution, prescriber. */
function selectWithNames(db: Db) {
  return db
    .select({
      rx: prescriptions,
      patient: { name: aliased(patients.name, "patient_name"), gender: aliased(patients.gender, "patient_gender"), birthDate: aliased(patients.birthDate, "patient_birth_date") },
      institution: { name: aliased(institutions.name, "institution_name"), level: aliased(institutions.level, "institution_level") },
      prescriber: { name: aliased(practitioners.name, "prescriber_name"), title: aliased(practitioners.title, "prescriber_title") },
    })
    .from(prescriptions)
    .leftJoin(patients, eq(patients.id, prescriptions.patientId))
    .leftJoin(institutions, eq(institutions.id, prescriptions.institutionId))
    .leftJoin(practitioners, eq(practitioners.id, prescriptions.prescriberId));
}

export function prescriptionWithNamesQuery(db: Db, id: string) {
  return selectWithNames(db).where(eq(prescriptions.id, id)).limit(1);
}
export type PrescriptionWithNames = Awaited<ReturnType<typeof prescriptionWithNamesQuery>>[number];

/**
 * The patient's most recent long prescription that was signed or completed, in any member
 * institution (index prescriptions_patient: patient, kind, writtenAt), with its names; with
 * `icd10`, the most recent one for that condition (a diagnosis of the same ICD-10 category).
 */
export function lastLongPrescriptionQuery(db: Db, patientId: string, icd10?: string) {
  return selectWithNames(db)
    .where(
      and(
        eq(prescriptions.patientId, patientId),
        eq(prescriptions.kind, "long_term"),
        inArray(prescriptions.status, ["signed", "completed"]),
        icd10 === undefined ? undefined : diagnosedIn([icd10Category(icd10)]),
      ),
    )
    .orderBy(desc(prescriptions.writtenAt), desc(prescriptions.id))
    .limit(1);
}

export interface PrescriptionListFilter {
  /** prescriptions written by this doctor, or at this institution; neither: every one (admins) */
  prescriberId?: string;
  institutionId?: string;
  statuses?: PrescriptionRow["status"][];
  patientId?: string;
  after?: { createdAt: string; id: string };
  /** rows to read (the page size + 1) */
  limit: number;
}

/** One page of prescriptions, newest first, keyset on (createdAt, id); the ids-only form feeds the page's orders and items. */
function listPage(f: PrescriptionListFilter) {
  const where = and(
    f.prescriberId === undefined ? undefined : eq(prescriptions.prescriberId, f.prescriberId),
    f.institutionId === undefined ? undefined : eq(prescriptions.institutionId, f.institutionId),
    f.statuses?.length ? inArray(prescriptions.status, f.statuses) : undefined,
    f.patientId === undefined ? undefined : eq(prescriptions.patientId, f.patientId),
    f.after ? sql`(${prescriptions.createdAt}, ${prescriptions.id}) < (${f.after.createdAt}, ${f.after.id})` : undefined,
  );
  return { where, order: [desc(prescriptions.createdAt), desc(prescriptions.id)] as const };
}

/**
 * A page of prescriptions with their patients' names, its supply lines and its orders (with
 * the pharmacies' names): three statements for ONE round trip, the page's ids selected again
 * as a subquery by the other two.
 */
export function prescriptionListQueries(db: Db, f: PrescriptionListFilter) {
  const { where, order } = listPage(f);
  const pageIds = db.select({ id: prescriptions.id }).from(prescriptions).where(where).orderBy(...order).limit(f.limit);
  return [
    db
      .select({ rx: prescriptions, patientName: aliased(patients.name, "patient_name") })
      .from(prescriptions)
      .leftJoin(patients, eq(patients.id, prescriptions.patientId))
      .where(where)
      .orderBy(...order)
      .limit(f.limit),
    db
      .select({ prescriptionId: prescriptionItems.prescriptionId, idx: prescriptionItems.idx, drugCode: prescriptionItems.drugCode, genericName: prescriptionItems.genericName, packages: prescriptionItems.packages })
      .from(prescriptionItems)
      .where(inArray(prescriptionItems.prescriptionId, pageIds))
      .orderBy(prescriptionItems.prescriptionId, prescriptionItems.idx),
    db
      .select({ order: orders, pharmacyName: aliased(pharmacies.name, "pharmacy_name") })
      .from(orders)
      .leftJoin(pharmacies, eq(pharmacies.id, orders.pharmacyId))
      .where(inArray(orders.prescriptionId, pageIds))
      .orderBy(orders.prescriptionId, orders.instalment),
  ] as const;
}

export function deactivateSupply(db: Db, prescriptionId: string) {
  return db.update(prescriptionItems).set({ active: false }).where(eq(prescriptionItems.prescriptionId, prescriptionId));
}

/** What the rule context saw of a patient's active supply on `date` (rules-context.repo reads the same window). */
export interface SupplySeen {
  patientId: string;
  date: string;
  /** the prescriptions whose active lines the context read */
  prescriptionIds: readonly string[];
  /** the prescription being replaced: its lines were left out of the read and are released in the same batch */
  replacing?: string;
}

/** Active supply lines of the patient on `date` that the rule context did not see: signed since, at any institution (values or placeholders). */
function unseenSupply(v: Record<"patientId" | "date" | "prescriptionIds" | "replacing", unknown>): SQL {
  return sql`${prescriptionItems.patientId} = ${v.patientId} AND ${prescriptionItems.active} = 1
    AND ${prescriptionItems.endDate} > ${v.date} AND ${prescriptionItems.startDate} <= ${v.date}
    AND ${prescriptionItems.prescriptionId} NOT IN (SELECT value FROM json_each(${v.prescriptionIds})) AND ${prescriptionItems.prescriptionId} <> ${v.replacing}`;
}

/** SupplySeen as unseenSupply's values (a prescription id is never empty: "" replaces nothing). */
function seenValues(seen: SupplySeen) {
  return { patientId: seen.patientId, date: seen.date, prescriptionIds: JSON.stringify(seen.prescriptionIds), replacing: seen.replacing ?? "" };
}

const supplyAsSeenGuard = compiled(["patientId", "date", "prescriptionIds", "replacing"], (db, p) => failIf(db, sql`EXISTS (SELECT 1 FROM ${prescriptionItems} WHERE ${unseenSupply(p)})`));

/**
 * Put in the sign batch before its own supply lines: rolls the batch back when the patient
 * has active supply the rules did not see. The rules read, then the batch writes; without
 * this two signings for one patient at two institutions at the same instant would each pass
 * the duplicate and interaction checks against a supply list missing the other.
 */
export function expectSupplyAsSeen(db: Db, seen: SupplySeen) {
  return supplyAsSeenGuard(db, seenValues(seen));
}

/** Only after a guard failure: whether it was this one (a line the rules did not see exists now). */
export function unseenSupplyQuery(db: Db, seen: SupplySeen) {
  return db.select({ prescriptionId: prescriptionItems.prescriptionId }).from(prescriptionItems).where(unseenSupply(seenValues(seen))).limit(1);
}
