import { constraintFailed } from "../../db/errors";
import { and, eq } from "drizzle-orm";
import { pharmacyCallbackEvents } from "../../../schema";
import type { Db } from "../../db";

export type CallbackEventRow = typeof pharmacyCallbackEvents.$inferSelect;

export function callbackEventQuery(db: Db, pharmacyId: string, eventId: string) {
  return db
    .select()
    .from(pharmacyCallbackEvents)
    .where(and(eq(pharmacyCallbackEvents.pharmacyId, pharmacyId), eq(pharmacyCallbackEvents.eventId, eventId)))
    .limit(1);
}

/** Put in the batch of the transition: the primary key makes a concurrent replay roll the whole batch back. */
export function insertCallbackEvent(db: Db, row: CallbackEventRow) {
  return db.insert(pharmacyCallbackEvents).values(row);
}

export function isDuplicateCallbackEvent(err: unknown): boolean {
  return constraintFailed(err, "UNIQUE", "pharmacy_callback_events.");
}
