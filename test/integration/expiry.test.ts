/**
 * Orders ready for pickup and never collected expire by the cron after the consortium's
 * `uncollectedExpiryDays` (default 7), counted in China dates: ready on day D expires once
 * today ≥ D + N. runScheduled / expireUncollected are driven with chosen times; orders are
 * put in ready_for_pickup with a chosen readyAt (the desk's own ready is covered once).
 */
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { expireUncollected, runScheduled } from "../../worker/pharmacy/scheduled";
import type { Prescription } from "../../worker/prescriptions/prescriptions.schemas";
import { api, asAdmin } from "../support/api";
import { readTogether } from "../support/race";
import { loadDemoSeed } from "../support/seed";
import { aPickupOrder, aReadyPickupOrder, eventsOf, shimenDoctor } from "./desk.fixtures";
import { auditRows, notificationsOf, orderState, supplyDays } from "./returns.fixtures";

/** China time (UTC+8) as a Date. */
const cst = (local: string) => new Date(`${local}+08:00`);

async function aReadyOrder(readyAt: string | null, updatedAt?: string) {
  const order = await aPickupOrder();
  await env.DB.prepare("UPDATE orders SET status = 'ready_for_pickup', ready_at = ?, updated_at = coalesce(?, updated_at), pickup_code_hash = 'hash-of-a-code', version = version + 1 WHERE id = ?")
    .bind(readyAt, updatedAt ?? null, order.orderId)
    .run();
  return order;
}

const statusOf = async (orderId: string) => (await orderState(orderId))?.status;

async function setExpiryDays(value: number) {
  const current = await api<{ version: number }>("GET", "/settings/uncollectedExpiryDays", { token: await asAdmin() });
  const res = await api("PUT", "/settings/uncollectedExpiryDays", { token: await asAdmin(), headers: { "if-match": String(current.body.version) }, body: { value } });
  expect(res.status).toBe(200);
}

describe("uncollected expiry", () => {
  beforeAll(loadDemoSeed);

  it("expires at most `limit` orders per run, oldest first; the rest on the next runs", async () => {
    const orders = [await aReadyOrder("2025-01-03T02:00:00.000Z"), await aReadyOrder("2025-01-01T02:00:00.000Z"), await aReadyOrder("2025-01-02T02:00:00.000Z")];
    const now = cst("2025-02-01T08:00:00");
    expect(await expireUncollected(env, now, 2)).toMatchObject({ expired: 2, conflicts: 0, failed: 0, days: 7 });
    expect(await Promise.all(orders.map((o) => statusOf(o.orderId)))).toEqual(["ready_for_pickup", "expired", "expired"]);
    expect(await expireUncollected(env, now, 2)).toMatchObject({ expired: 1 });
    expect(await expireUncollected(env, now, 2)).toMatchObject({ expired: 0 });
  });

  it("expires on day D + 7 at China midnight, not a second before", async () => {
    // ready 2026-03-01 at 10:00 and at 23:59 China time (both day D), and at 00:00 the next day
    const dayD = await aReadyOrder(cst("2026-03-01T10:00:00").toISOString());
    const lateD = await aReadyOrder(cst("2026-03-01T23:59:00").toISOString());
    const nextDay = await aReadyOrder(cst("2026-03-02T00:00:00").toISOString());
    await runScheduled(env, cst("2026-03-07T23:59:59"));
    expect([await statusOf(dayD.orderId), await statusOf(lateD.orderId), await statusOf(nextDay.orderId)]).toEqual(["ready_for_pickup", "ready_for_pickup", "ready_for_pickup"]);
    const run = await runScheduled(env, cst("2026-03-08T00:00:00"));
    expect(run.errors).toEqual([]);
    expect(run.expired).toBe(2);
    expect([await statusOf(dayD.orderId), await statusOf(lateD.orderId), await statusOf(nextDay.orderId)]).toEqual(["expired", "expired", "ready_for_pickup"]);
    await runScheduled(env, cst("2026-03-09T00:00:00"));
    expect(await statusOf(nextDay.orderId)).toBe("expired");
  });

  it("voids the pickup code, tells the patient and the doctor, audits it and stops the supply counting", async () => {
    const { rx, orderId } = await aReadyOrder(cst("2026-04-01T09:00:00").toISOString());
    expect(await supplyDays(rx.id)).toEqual([7]);
    await runScheduled(env, cst("2026-04-08T06:00:00"));
    expect(await orderState(orderId)).toMatchObject({ status: "expired", pickupCodeHash: null });
    expect((await eventsOf(orderId)).at(-1)).toMatchObject({ from_status: "ready_for_pickup", to_status: "expired", source: "system", actor_id: "system:yaolian", note: "未在 7 天内取药，订单过期" });
    const notices = await notificationsOf(orderId);
    expect(notices.map((n) => [n.channel, n.template, n.recipientId])).toEqual([
      ["sms", "order-expired", null],
      ["inbox", "doctor-order-expired", "doc-shimen-gp-intermediate"],
    ]);
    expect(notices[1]?.params).toMatchObject({ days: "7", readyAt: cst("2026-04-01T09:00:00").toISOString() });
    expect(await auditRows(orderId, "order.expire")).toEqual([
      { actorId: "system:yaolian", before: expect.objectContaining({ status: "ready_for_pickup" }), after: expect.objectContaining({ status: "expired", uncollectedExpiryDays: 7 }) },
    ]);
    expect(await supplyDays(rx.id)).toEqual([0]);
    const seen = await api<Prescription>("GET", `/prescriptions/${rx.id}`, { token: await shimenDoctor() });
    expect(seen.body.orders?.[0]?.status).toBe("expired");
    // the desk's timeline names people, and no one for the scheduler
    const timeline = (await api<{ timeline: { source: string; actorName: string | null }[] }>("GET", `/orders/${orderId}`, { token: await asAdmin() })).body.timeline;
    expect(timeline.at(-1)).toMatchObject({ source: "system", actorName: null });
    expect(timeline[0]).toMatchObject({ source: "doctor", actorName: "邓春梅" });
  });

  it("counts an order made ready before readyAt was recorded from its last change", async () => {
    const { orderId } = await aReadyOrder(null, cst("2026-05-01T09:00:00").toISOString());
    await runScheduled(env, cst("2026-05-07T12:00:00"));
    expect(await statusOf(orderId)).toBe("ready_for_pickup");
    await runScheduled(env, cst("2026-05-08T00:00:01"));
    expect(await statusOf(orderId)).toBe("expired");
  });

  it("expires each order once when two runs overlap: one commits, the other counts a conflict", async () => {
    const orders = [await aReadyOrder(cst("2026-06-01T09:00:00").toISOString()), await aReadyOrder(cst("2026-06-01T10:00:00").toISOString())];
    const d1 = readTogether(2);
    const now = cst("2026-06-09T00:00:00");
    const runs = await Promise.all([expireUncollected({ ...env, DB: d1() }, now), expireUncollected({ ...env, DB: d1() }, now)]);
    expect(runs.map((r) => r.expired).reduce((a, b) => a + b)).toBe(2);
    expect(runs.map((r) => r.conflicts).reduce((a, b) => a + b)).toBe(2);
    for (const o of orders) expect((await eventsOf(o.orderId)).filter((e) => e.to_status === "expired")).toHaveLength(1);
  });

  it("leaves alone orders that were collected, or are not ready", async () => {
    const collected = await aReadyOrder(cst("2026-07-01T09:00:00").toISOString());
    await env.DB.prepare("UPDATE orders SET status = 'picked_up' WHERE id = ?").bind(collected.orderId).run();
    const pending = await aPickupOrder();
    await runScheduled(env, cst("2026-08-01T00:00:00"));
    expect(await statusOf(collected.orderId)).toBe("picked_up");
    expect(await statusOf(pending.orderId)).toBe("pending_review");
  });

  it("expires an order the desk made ready, counted from the moment of its ready action", async () => {
    const { orderId } = await aReadyPickupOrder();
    const readyAt = (await env.DB.prepare("SELECT ready_at AS readyAt FROM orders WHERE id = ?").bind(orderId).first<{ readyAt: string | null }>())?.readyAt;
    expect(readyAt).not.toBeNull();
    const now = new Date(Date.parse(readyAt ?? "") + 8 * 86_400_000);
    await runScheduled(env, now);
    expect(await orderState(orderId)).toMatchObject({ status: "expired", pickupCodeHash: null });
  });

  it("follows the consortium setting: with 3 days an order ready on D expires on D + 3", async () => {
    await setExpiryDays(3);
    try {
      const { orderId } = await aReadyOrder(cst("2026-09-01T09:00:00").toISOString());
      const early = await runScheduled(env, cst("2026-09-03T23:00:00"));
      expect(early.errors).toEqual([]);
      expect(await statusOf(orderId)).toBe("ready_for_pickup");
      await runScheduled(env, cst("2026-09-04T00:00:00"));
      expect(await statusOf(orderId)).toBe("expired");
      expect((await eventsOf(orderId)).at(-1)?.note).toBe("未在 3 天内取药，订单过期");
    } finally {
      await setExpiryDays(7);
    }
  });
});
