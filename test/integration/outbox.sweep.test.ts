/**
 * The cron's outbox sweep, against a recording queue so the claims can be read exactly (the
 * real queue path is exercised by outbox.reliability.test.ts).
 */
import { createScheduledController } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { getDb } from "../../worker/db/index";
import type { OutboxMessage } from "../../worker/env";
import worker from "../../worker/index";
import { insertOutbox, type OutboxRow } from "../../worker/pharmacy/orders/orders.repo";
import { resendStaleOutbox, SWEEP_GRACE_MS, SWEEP_LEASE_MS, SWEEP_LIMIT } from "../../worker/pharmacy/scheduled";
import { outboxRows } from "../support/fake-pharmacy.client";

class RecordingQueue implements Queue<OutboxMessage> {
  readonly sent: string[] = [];
  constructor(private readonly fail = false) {}
  private static readonly response = { metadata: { metrics: { backlogCount: 0, backlogBytes: 0 } } };
  async metrics() {
    return RecordingQueue.response.metadata.metrics;
  }
  async send(message: OutboxMessage) {
    if (this.fail) throw new Error("queue unavailable");
    this.sent.push(message.outboxId);
    return RecordingQueue.response;
  }
  async sendBatch(messages: Iterable<MessageSendRequest<OutboxMessage>>) {
    if (this.fail) throw new Error("queue unavailable");
    for (const m of messages) this.sent.push(m.body.outboxId);
    return RecordingQueue.response;
  }
}

const NOW = new Date("2030-01-01T00:00:00.000Z");
const at = (msFromNow: number) => new Date(NOW.getTime() + msFromNow).toISOString();

function aRow(id: string, nextAttemptAt: string, state: OutboxRow["state"] = "pending"): OutboxRow {
  return { id, orderId: `ord_${id}`, pharmacyId: "pharm-renhe", kind: "order.created", payload: "{}", idempotencyKey: id, state, attempts: 1, nextAttemptAt, lastError: "HTTP 503", createdAt: at(-86_400_000), deliveredAt: null };
}

async function insert(rows: OutboxRow[]) {
  const db = getDb(env.DB);
  await db.batch([insertOutbox(db, rows[0]!), ...rows.slice(1).map((r) => insertOutbox(db, r))]);
}

describe("outbox sweep", () => {
  // storage is per test file: settle what an earlier test left, so each test sees only its rows
  beforeEach(async () => {
    await env.DB.prepare("UPDATE outbox SET state = 'delivered' WHERE state = 'pending'").run();
  });

  it("re-sends stale pending rows oldest first, at most SWEEP_LIMIT a run, leases them, and leaves fresh, delivered and dead rows alone", async () => {
    // 105 stale rows, the oldest first by id; one fresh (inside the grace minute); one delivered and one dead, both stale
    const stale = Array.from({ length: SWEEP_LIMIT + 5 }, (_, i) => aRow(`obx_stale_${String(i).padStart(3, "0")}`, at(-3_600_000 + i * 1000)));
    await insert([...stale, aRow("obx_fresh", at(-SWEEP_GRACE_MS / 2)), aRow("obx_delivered", at(-7_200_000), "delivered"), aRow("obx_dead", at(-7_200_000), "dead")]);
    const queue = new RecordingQueue();
    const sweepEnv = { ...env, ORDER_QUEUE: queue };

    expect(await resendStaleOutbox(sweepEnv, NOW)).toBe(SWEEP_LIMIT);
    expect([...queue.sent].sort()).toEqual(stale.slice(0, SWEEP_LIMIT).map((r) => r.id));
    const leased = (await outboxRows()).filter((r) => queue.sent.includes(r.id));
    expect(leased.every((r) => r.nextAttemptAt === at(SWEEP_LEASE_MS) && r.state === "pending")).toBe(true);

    // the next run takes the rest; leased rows are not sent twice
    queue.sent.length = 0;
    expect(await resendStaleOutbox(sweepEnv, NOW)).toBe(5);
    expect([...queue.sent].sort()).toEqual(stale.slice(SWEEP_LIMIT).map((r) => r.id));
    queue.sent.length = 0;
    expect(await resendStaleOutbox(sweepEnv, NOW)).toBe(0);

    // once the grace minute has passed the fresh row is stale too; after the lease, the unsettled rows come back
    expect(await resendStaleOutbox(sweepEnv, new Date(NOW.getTime() + SWEEP_GRACE_MS))).toBe(1);
    expect(queue.sent).toEqual(["obx_fresh"]);
    queue.sent.length = 0;
    await resendStaleOutbox(sweepEnv, new Date(NOW.getTime() + SWEEP_LEASE_MS + SWEEP_GRACE_MS + 1));
    expect(queue.sent).toHaveLength(SWEEP_LIMIT);
    expect(queue.sent).not.toContain("obx_delivered");
    expect(queue.sent).not.toContain("obx_dead");
  });

  it("loses nothing when the queue refuses the send: the rows stay pending and come back after the lease", async () => {
    const now = new Date("2031-01-01T00:00:00.000Z");
    await insert([aRow("obx_lost_send", new Date(now.getTime() - 3_600_000).toISOString())]);
    const broken = { ...env, ORDER_QUEUE: new RecordingQueue(true) };
    await resendStaleOutbox(broken, now);
    expect((await outboxRows()).find((r) => r.id === "obx_lost_send")).toMatchObject({ state: "pending" });
    const queue = new RecordingQueue();
    await resendStaleOutbox({ ...env, ORDER_QUEUE: queue }, new Date(now.getTime() + SWEEP_LEASE_MS + SWEEP_GRACE_MS));
    expect(queue.sent).toContain("obx_lost_send");
  });

  it("runs from the worker's scheduled handler at the trigger's time", async () => {
    const scheduledTime = new Date("2032-01-01T00:00:00.000Z");
    await insert([aRow("obx_cron", new Date(scheduledTime.getTime() - 3_600_000).toISOString())]);
    const queue = new RecordingQueue();
    await worker.scheduled(createScheduledController({ scheduledTime, cron: "*/5 * * * *" }), { ...env, ORDER_QUEUE: queue });
    expect(queue.sent).toEqual(["obx_cron"]);
  });
});
