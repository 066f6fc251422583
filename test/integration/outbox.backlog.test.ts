/**
 * The sweep and a queue backlog: a row's first message may wait on the queue longer than
 * the sweep's grace minute; the sweep must not send a second one meanwhile, only once a
 * whole lease has passed without an attempt (the message is then presumed lost).
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { getDb } from "../../worker/db/index";
import type { OutboxMessage } from "../../worker/env";
import { insertOutbox, type OutboxRow } from "../../worker/pharmacy/orders/orders.repo";
import { resendStaleOutbox, SWEEP_GRACE_MS, SWEEP_LEASE_MS } from "../../worker/pharmacy/scheduled";
import { RecordingQueue } from "./tenancy.fixtures";

const WRITTEN = new Date("2034-01-01T00:00:00.000Z");
const writtenPlus = (ms: number) => new Date(WRITTEN.getTime() + ms);

/** A row as signing writes it (order-plan.ts): no attempt yet, next attempt = creation time. */
function freshRow(id: string): OutboxRow {
  const at = WRITTEN.toISOString();
  return { id, orderId: `ord_${id}`, pharmacyId: "pharm-renhe", kind: "order.created", payload: "{}", idempotencyKey: id, state: "pending", attempts: 0, nextAttemptAt: at, lastError: null, createdAt: at, deliveredAt: null };
}

const sweep = async (now: Date) => {
  const queue = new RecordingQueue();
  await resendStaleOutbox({ ...env, ORDER_QUEUE: queue }, now);
  return queue.sent.map((m: OutboxMessage) => m.outboxId);
};

describe("outbox sweep behind a queue backlog", () => {
  it("sends no second message while a fresh row's first one may still be queued, then one once a lease passed, then again only after that lease", async () => {
    await env.DB.prepare("UPDATE outbox SET state = 'delivered' WHERE state = 'pending'").run();
    await insertOutbox(getDb(env.DB), freshRow("obx_backlog"));
    // five minutes behind a backlog: the first message is still on its way
    expect(await sweep(writtenPlus(5 * 60_000))).toEqual([]);
    expect(await sweep(writtenPlus(SWEEP_LEASE_MS - 1))).toEqual([]);
    // a whole lease without an attempt: the first message is presumed lost
    const lostAt = writtenPlus(SWEEP_LEASE_MS);
    expect(await sweep(lostAt)).toEqual(["obx_backlog"]);
    // that send is leased in turn, and claimed again only after its lease and the grace minute
    expect(await sweep(new Date(lostAt.getTime() + SWEEP_LEASE_MS))).toEqual([]);
    expect(await sweep(new Date(lostAt.getTime() + SWEEP_LEASE_MS + SWEEP_GRACE_MS))).toEqual(["obx_backlog"]);
  });
});
