import { constraintFailed } from "../../db/errors";
import { and, asc, eq, isNull, type SQL, sql } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";
import { pharmacies, pharmacySites } from "../../../schema";
import type { Db } from "../../db";

export type PharmacyRecord = typeof pharmacies.$inferSelect;
export type SiteRecord = typeof pharmacySites.$inferSelect;

export function isDuplicateKey(err: unknown, table: "pharmacies" | "pharmacy_sites"): boolean {
  return constraintFailed(err, "UNIQUE", `${table}.id`);
}

export function isForeignKeyFailure(err: unknown): boolean {
  return constraintFailed(err, "FOREIGN KEY");
}

/** Every pharmacy and every site: a consortium contracts a handful, so one batch of two selects. */
export function pharmaciesWithSitesQueries(db: Db) {
  return [db.select().from(pharmacies).orderBy(asc(pharmacies.id)), db.select().from(pharmacySites).orderBy(asc(pharmacySites.pharmacyId), asc(pharmacySites.id))] as const;
}

export function pharmacyRecordQuery(db: Db, id: string) {
  return db.select().from(pharmacies).where(eq(pharmacies.id, id)).limit(1);
}

export function sitesOfPharmacyQuery(db: Db, pharmacyId: string) {
  return db.select().from(pharmacySites).where(eq(pharmacySites.pharmacyId, pharmacyId)).orderBy(asc(pharmacySites.id));
}

export function insertPharmacy(db: Db, row: PharmacyRecord) {
  return db.insert(pharmacies).values(row);
}

export function insertSite(db: Db, row: SiteRecord) {
  return db.insert(pharmacySites).values(row);
}

function sameAs(column: SQLiteColumn, value: string | null): SQL {
  return value === null ? isNull(column) : eq(column, value);
}

/**
 * Optimistic update: changes the row only while it still holds `before` (the table has no
 * version column), so the audit's before image is what was replaced. Pair with expectChanged.
 */
export function updatePharmacyIfUnchanged(db: Db, before: PharmacyRecord, next: Omit<PharmacyRecord, "id" | "createdAt">) {
  return db
    .update(pharmacies)
    .set(next)
    .where(
      and(
        eq(pharmacies.id, before.id),
        eq(pharmacies.name, before.name),
        eq(pharmacies.integration, before.integration),
        sameAs(pharmacies.endpointUrl, before.endpointUrl),
        sameAs(pharmacies.sharedSecret, before.sharedSecret),
        sameAs(pharmacies.hours, before.hours),
        sql`json(${pharmacies.deliveryRegions}) = json(${JSON.stringify(before.deliveryRegions)})`,
        sql`json(${pharmacies.capabilities}) = json(${JSON.stringify(before.capabilities)})`,
      ),
    );
}
