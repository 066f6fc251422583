import { constraintFailed } from "./errors";
import { type SQL, sql } from "drizzle-orm";
import { batchGuards } from "../../schema";
import { compiled } from "./compiled";
import type { Db } from "./index";
import { ApiError } from "../errors/problem";

/**
 * Put right after a conditional UPDATE in a D1 batch: when that statement changed no row
 * (a stale version, a state that no longer allows the transition), this insert violates
 * NOT NULL and the whole batch rolls back. D1 runs a batch's statements in order on one
 * connection, so changes() is the previous statement's count.
 */
export function expectChanged(db: Db) {
  return changedGuard(db, {});
}

const changedGuard = compiled([], (db) => failIf(db, sql`changes() = 0`));

export function isGuardFailure(err: unknown): boolean {
  return constraintFailed(err, "NOT NULL", "batch_guards");
}

/** Rolls the batch back when the given condition (an SQL boolean) holds at that point of the batch. */
// (an insert builder, not db.run(sql): drizzle's D1 batch cannot bind parameters of raw run() queries)
export function failIf(db: Db, condition: SQL) {
  return db.insert(batchGuards).select(sql`SELECT NULL WHERE ${condition}`);
}

type BatchItems = Parameters<Db["batch"]>[0];

/**
 * The one way to commit a guarded change: runs the batch, and when one of its guards
 * (expectChanged / failIf) rolled it back, answers 409 with `conflictDetail`. Every
 * "update if version, guard, or 409" in the code goes through here.
 */
export async function commitGuarded<T extends BatchItems>(db: Db, statements: T, conflictDetail: string): Promise<void> {
  try {
    await db.batch(statements);
  } catch (err) {
    if (isGuardFailure(err)) throw new ApiError("conflict", conflictDetail);
    throw err;
  }
}
