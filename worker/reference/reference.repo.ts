import { constraintFailed } from "../db/errors";
import { and, asc, eq, getTableColumns, gt, isNull, type SQL } from "drizzle-orm";
import { interactions } from "../../schema";
import type { Db } from "../db/index";

export type InteractionRow = typeof interactions.$inferSelect;

export function interactionQuery(db: Db, id: string) {
  return db.select().from(interactions).where(eq(interactions.id, id)).limit(1);
}

export function insertInteraction(db: Db, row: InteractionRow) {
  return db.insert(interactions).values(row);
}

/** Keyset page by id; fetch limit + 1 to learn whether another page exists. */
export function listInteractions(db: Db, p: { severity?: string; afterId?: string; limit: number }) {
  const filters = [p.severity ? eq(interactions.severity, p.severity) : undefined, p.afterId ? gt(interactions.id, p.afterId) : undefined];
  return db
    .select()
    .from(interactions)
    .where(and(...filters))
    .orderBy(asc(interactions.id))
    .limit(p.limit);
}

/** Matches the row only while every column still holds `before`: the optimistic lock of updates and deletes. */
function stillIs(before: InteractionRow): SQL | undefined {
  const columns = Object.entries(getTableColumns(interactions)) as [keyof InteractionRow, (typeof interactions)[keyof InteractionRow]][];
  return and(...columns.map(([key, column]) => (before[key] === null ? isNull(column) : eq(column, before[key]))));
}

/** Pair with expectChanged: a concurrent change makes this touch nothing and fails the batch. */
export function updateInteractionIfUnchanged(db: Db, before: InteractionRow, next: InteractionRow) {
  const { id: _id, ...changes } = next;
  return db.update(interactions).set(changes).where(stillIs(before));
}

export function deleteInteractionIfUnchanged(db: Db, before: InteractionRow) {
  return db.delete(interactions).where(stillIs(before));
}

export function isDuplicateInteraction(err: unknown): boolean {
  return constraintFailed(err, "UNIQUE", "interactions.id");
}
