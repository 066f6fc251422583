import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import type { Problem } from "../../worker/errors/problem";
import { aNormalPrescription } from "../builders/prescriptions";
import { api, tokenFor } from "../support/api";
import { aDeliveryPrescription, freshPatients, RENHE, sendCallback } from "../support/fake-pharmacy.client";
import { loadDemoSeed } from "../support/seed";

const doctor = () => tokenFor("doctor", "doc-shimen-gp-intermediate", "inst-shimen");
let secret = "";

async function signedOrder(label: string, pickup = false): Promise<string> {
  const [patientId = ""] = await freshPatients(1, label);
  const res = await api<{ orders: { id: string }[] }>("POST", "/prescriptions", {
    token: await doctor(),
    headers: { "idempotency-key": crypto.randomUUID() },
    body: pickup ? aNormalPrescription(patientId) : aDeliveryPrescription(patientId),
  });
  expect(res.status).toBe(201);
  return res.body.orders[0]?.id ?? "";
}

const event = (orderId: string, status: string, extra: Record<string, unknown> = {}) => ({ eventId: `evt_${crypto.randomUUID()}`, orderId, status, at: new Date().toISOString(), ...extra });
const statusOf = async (id: string) => (await env.DB.prepare("SELECT status, version FROM orders WHERE id = ?").bind(id).first<{ status: string; version: number }>()) ?? null;
const eventCount = async (id: string) => (await env.DB.prepare("SELECT count(*) AS n FROM order_events WHERE order_id = ?").bind(id).first<{ n: number }>())?.n ?? 0;

describe("pharmacy callback errors", () => {
  beforeAll(async () => {
    await loadDemoSeed();
    secret = (await env.DB.prepare("SELECT shared_secret AS s FROM pharmacies WHERE id = ?").bind(RENHE).first<{ s: string }>())?.s ?? "";
  });

  it("answers a replayed eventId 200 { duplicate: true } and changes nothing, even after the order moved on", async () => {
    const orderId = await signedOrder("cb-replay");
    const approved = event(orderId, "approved");
    expect((await sendCallback(RENHE, secret, approved)).body).toMatchObject({ duplicate: false, status: "approved" });
    const before = { order: await statusOf(orderId), events: await eventCount(orderId) };
    const replay = await sendCallback(RENHE, secret, approved);
    expect(replay.status).toBe(200);
    expect(replay.body).toEqual({ eventId: approved.eventId, orderId, status: "approved", duplicate: true });
    expect({ order: await statusOf(orderId), events: await eventCount(orderId) }).toEqual(before);

    expect((await sendCallback(RENHE, secret, event(orderId, "dispensing"))).status).toBe(200);
    const late = await sendCallback(RENHE, secret, approved);
    expect(late.body).toMatchObject({ duplicate: true, status: "dispensing" });
    expect(await eventCount(orderId)).toBe(before.events + 1);
  });

  it("applies concurrent copies of one event exactly once", async () => {
    const orderId = await signedOrder("cb-race");
    const copy = event(orderId, "approved");
    const results = await Promise.all([1, 2, 3, 4].map(() => sendCallback(RENHE, secret, copy)));
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    expect(results.filter((r) => r.body.duplicate === false)).toHaveLength(1);
    expect(await eventCount(orderId)).toBe(2);
    expect((await statusOf(orderId))?.version).toBe(2);
  });

  it("refuses an eventId reused for another order (409)", async () => {
    const [a, b] = [await signedOrder("cb-reuse-a"), await signedOrder("cb-reuse-b")];
    const first = event(a, "approved");
    await sendCallback(RENHE, secret, first);
    const reused = await sendCallback(RENHE, secret, { ...first, orderId: b });
    expect(reused.status).toBe(409);
    expect((await statusOf(b))?.status).toBe("pending_review");
  });

  it("refuses an illegal transition (409) and records nothing, so the event can be sent again once legal", async () => {
    const orderId = await signedOrder("cb-illegal");
    const early = event(orderId, "delivered");
    const res = await sendCallback(RENHE, secret, early);
    expect(res.status).toBe(409);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    expect((res.body as unknown as Problem).code).toBe("conflict");
    expect((await statusOf(orderId))?.status).toBe("pending_review");
    const seen = await env.DB.prepare("SELECT count(*) AS n FROM pharmacy_callback_events WHERE event_id = ?").bind(early.eventId).first<{ n: number }>();
    expect(seen?.n).toBe(0);
    expect((await sendCallback(RENHE, secret, event(orderId, "approved"))).status).toBe(200);
    expect((await sendCallback(RENHE, secret, event(orderId, "approved"))).status).toBe(409);
  });

  it("hides orders of other pharmacies and unknown orders (404)", async () => {
    const deskOrder = await signedOrder("cb-other", true);
    const other = await sendCallback(RENHE, secret, event(deskOrder, "approved"));
    expect(other.status).toBe(404);
    expect((await statusOf(deskOrder))?.status).toBe("pending_review");
    expect((await sendCallback(RENHE, secret, event("ord_nope", "approved"))).status).toBe(404);
  });

  it("answers 404 for an unknown pharmacy and for a desk pharmacy, which has no callbacks", async () => {
    const orderId = await signedOrder("cb-nopharm");
    for (const pharmacyId of ["pharm-nope", "pharm-cloud"]) {
      const res = await sendCallback(pharmacyId, secret, event(orderId, "approved"));
      expect(res.status, pharmacyId).toBe(404);
    }
  });

  it("validates the event after the signature (400 with issues)", async () => {
    const orderId = await signedOrder("cb-invalid");
    const shipped = await sendCallback(RENHE, secret, event(orderId, "shipped"));
    expect(shipped.status).toBe(400);
    expect((shipped.body as unknown as Problem).issues?.map((i) => i.path).sort()).toEqual(["carrier", "trackingNo"]);
    const rejected = await sendCallback(RENHE, secret, event(orderId, "rejected"));
    expect((rejected.body as unknown as Problem).issues?.map((i) => i.path)).toEqual(["reasonCode"]);
    for (const bad of [{ orderId, status: "approved", at: new Date().toISOString() }, event(orderId, "lost"), event(orderId, "approved", { at: "yesterday" })]) {
      expect((await sendCallback(RENHE, secret, bad)).status, JSON.stringify(bad)).toBe(400);
    }
    expect((await sendCallback(RENHE, secret, {}, { rawBody: "{not json" })).status).toBe(400);
    expect((await statusOf(orderId))?.status).toBe("pending_review");
  });
});
