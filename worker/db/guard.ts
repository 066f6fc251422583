import { sql } from "drizzle-orm";
import type { Db } from "./index";

/**
 * Put right after a conditional UPDATE in a D1 batch: when that statement changed no row
 * (a stale version, a state that no longer allows the transition), this insert violates
 * NOT NULL and the whole batch rolls back. D1 runs a batch's statements in order on one
 * connection, so changes() is the previous statement's count.
 */
export function expectChanged(db: Db) {
  return db.run(sql`INSERT INTO batch_guards (must_not_be_null) SELECT NULL WHERE changes() = 0`);
}

export function isGuardFailure(err: unknown): boolean {
  const text = err instanceof Error ? `${err.message} ${String(err.cause ?? "")}` : String(err);
  return /NOT NULL constraint failed: batch_guards/.test(text);
}
