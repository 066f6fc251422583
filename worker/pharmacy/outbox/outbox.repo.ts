import { and, asc, eq, gt, inArray, lte, ne, or, sql } from "drizzle-orm";
import { outbox, pharmacies } from "../../../schema";
import type { Db } from "../../db";
import { compiled } from "../../db/compiled";

export type OutboxRecord = typeof outbox.$inferSelect;

/** An outbox row with what it takes to deliver it: its pharmacy's endpoint and secret. */
export interface OutboxDelivery extends OutboxRecord {
  endpointUrl: string | null;
  sharedSecret: string | null;
  integration: string | null;
}

/** The rows of a queue batch with their pharmacies, in one round trip (join: no column names collide). */
const deliveriesQuery = compiled(["ids"], (db, p) =>
  db
    .select({
      id: outbox.id,
      orderId: outbox.orderId,
      pharmacyId: outbox.pharmacyId,
      kind: outbox.kind,
      payload: outbox.payload,
      idempotencyKey: outbox.idempotencyKey,
      state: outbox.state,
      attempts: outbox.attempts,
      nextAttemptAt: outbox.nextAttemptAt,
      lastError: outbox.lastError,
      createdAt: outbox.createdAt,
      deliveredAt: outbox.deliveredAt,
      endpointUrl: pharmacies.endpointUrl,
      sharedSecret: pharmacies.sharedSecret,
      integration: pharmacies.integration,
    })
    .from(outbox)
    .leftJoin(pharmacies, eq(pharmacies.id, outbox.pharmacyId))
    .where(sql`${outbox.id} IN (SELECT value FROM json_each(${p.ids}))`),
);

export function outboxDeliveriesQuery(db: Db, ids: string[]) {
  return deliveriesQuery(db, { ids: JSON.stringify(ids) });
}

// Every mark below is conditional on `state = 'pending'`: a row leaves pending once, and a
// late or duplicate message can never move a delivered row back or count it twice.

const deliveredMark = compiled(["id", "at"], (db, p) =>
  db
    .update(outbox)
    .set({ state: "delivered", attempts: sql`${outbox.attempts} + 1`, deliveredAt: sql`${p.at}`, lastError: null })
    .where(and(eq(outbox.id, p.id), eq(outbox.state, "pending"))),
);

export function markDelivered(db: Db, id: string, at: string) {
  return deliveredMark(db, { id, at });
}

export function markAttemptFailed(db: Db, id: string, error: string, nextAttemptAt: string) {
  return db
    .update(outbox)
    .set({ attempts: sql`${outbox.attempts} + 1`, lastError: error, nextAttemptAt })
    .where(and(eq(outbox.id, id), eq(outbox.state, "pending")));
}

/** A permanent rejection: counted as an attempt. */
export function markRejected(db: Db, id: string, error: string) {
  return db
    .update(outbox)
    .set({ state: "dead", attempts: sql`${outbox.attempts} + 1`, lastError: error })
    .where(and(eq(outbox.id, id), eq(outbox.state, "pending")));
}

/** The dead-letter consumer's mark: no attempt was made, the reason already on the row is kept. */
export function markDead(db: Db, id: string, reason: string) {
  return db
    .update(outbox)
    .set({ state: "dead", lastError: sql`coalesce(${outbox.lastError}, ${reason})` })
    .where(and(eq(outbox.id, id), eq(outbox.state, "pending")));
}

export function outboxStateQuery(db: Db, id: string) {
  return db.select({ id: outbox.id, state: outbox.state, lastError: outbox.lastError }).from(outbox).where(eq(outbox.id, id)).limit(1);
}

/**
 * Claims up to `limit` pending rows whose next attempt was due by `dueBy`, oldest first,
 * in ONE statement: their next attempt moves to `leaseUntil`, so an overlapping sweep does
 * not claim them again, and a row whose message is lost is claimed again after the lease.
 *
 * A row untouched since it was written (no attempt, never claimed: next attempt still its
 * creation time) has its first message on the queue, perhaps behind a backlog: it is
 * claimed only once it was created by `firstSendDueBy` (a lease ago), not a second message
 * a minute after it was written.
 */
export function claimDueOutbox(db: Db, dueBy: string, leaseUntil: string, limit: number, firstSendDueBy: string) {
  const due = db
    .select({ id: outbox.id })
    .from(outbox)
    .where(
      and(
        eq(outbox.state, "pending"),
        lte(outbox.nextAttemptAt, dueBy),
        or(gt(outbox.attempts, 0), ne(outbox.nextAttemptAt, outbox.createdAt), lte(outbox.createdAt, firstSendDueBy)),
      ),
    )
    .orderBy(asc(outbox.nextAttemptAt), asc(outbox.createdAt))
    .limit(limit);
  return db
    .update(outbox)
    .set({ nextAttemptAt: leaseUntil })
    .where(and(inArray(outbox.id, due), eq(outbox.state, "pending")))
    .returning({ id: outbox.id, nextAttemptAt: outbox.nextAttemptAt });
}
