import { and, asc, eq, gt, isNull } from "drizzle-orm";
import { pharmacies, pharmacists } from "../../schema";
import { constraintFailed } from "../db/errors";
import type { Db } from "../db/index";

export type PharmacistRow = typeof pharmacists.$inferSelect;

export function isDuplicatePharmacist(err: unknown): boolean {
  return constraintFailed(err, "UNIQUE", "pharmacists.id");
}

export function pharmacistRecordQuery(db: Db, id: string) {
  return db.select().from(pharmacists).where(eq(pharmacists.id, id)).limit(1);
}

/** Whether a pharmacy is contracted (pharmacies are never deleted; the foreign key still catches a race). */
export function pharmacyIdQuery(db: Db, id: string) {
  return db.select({ id: pharmacies.id }).from(pharmacies).where(eq(pharmacies.id, id)).limit(1);
}

export function insertPharmacist(db: Db, row: PharmacistRow) {
  return db.insert(pharmacists).values(row);
}

/** Keyset page by id; fetch limit + 1 to learn whether another page exists. */
export function listPharmacists(db: Db, p: { pharmacyId?: string; afterId?: string; limit: number }) {
  const filters = [p.pharmacyId ? eq(pharmacists.pharmacyId, p.pharmacyId) : undefined, p.afterId ? gt(pharmacists.id, p.afterId) : undefined];
  return db
    .select()
    .from(pharmacists)
    .where(and(...filters))
    .orderBy(asc(pharmacists.id))
    .limit(p.limit);
}

/**
 * Optimistic update: changes the row only while it still holds `before` (name, title,
 * pharmacy and the updatedAt stamp), so the audit's before image is what was replaced.
 * Pair with expectChanged.
 */
export function updatePharmacistIfUnchanged(db: Db, before: PharmacistRow, next: Pick<PharmacistRow, "name" | "title" | "pharmacyId" | "updatedAt">) {
  return db
    .update(pharmacists)
    .set(next)
    .where(
      and(
        eq(pharmacists.id, before.id),
        eq(pharmacists.name, before.name),
        eq(pharmacists.title, before.title),
        eq(pharmacists.pharmacyId, before.pharmacyId),
        before.updatedAt === null ? isNull(pharmacists.updatedAt) : eq(pharmacists.updatedAt, before.updatedAt),
      ),
    );
}
