import { and, eq } from "drizzle-orm";
import { consortiumSettings } from "../../schema";
import type { Db } from "../db/index";
import { expectChanged } from "../db/guard";

export type SettingRow = typeof consortiumSettings.$inferSelect;

/**
 * Every stored setting: a handful of rows. A query builder, so callers put it in the batch
 * they make anyway (the cron's, the desk's) and read settings without a round trip of
 * their own; readSettings (settings.schemas.ts) turns the rows into typed values.
 */
export function settingsQuery(db: Db) {
  return db.select().from(consortiumSettings);
}

export function settingQuery(db: Db, key: string) {
  return db.select().from(consortiumSettings).where(eq(consortiumSettings.key, key)).limit(1);
}

/**
 * The write of one key at the version the caller saw, then the guard: version 0 (never
 * set) inserts unless a row appeared meanwhile, version n updates only that version. Either
 * way a concurrent writer makes the statement change nothing and the guard rolls the batch
 * back, audit row included.
 */
export function writeSettingIfVersion(db: Db, row: SettingRow, expectedVersion: number) {
  const write =
    expectedVersion === 0
      ? db.insert(consortiumSettings).values(row).onConflictDoNothing()
      : db
          .update(consortiumSettings)
          .set({ value: row.value, version: row.version, updatedAt: row.updatedAt, updatedBy: row.updatedBy })
          .where(and(eq(consortiumSettings.key, row.key), eq(consortiumSettings.version, expectedVersion)));
  return [write, expectChanged(db)] as const;
}
