import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import type { Problem } from "../../worker/errors/problem";
import { hmacHex, parseSignatureHeader, signBody, verifySignature } from "../../worker/lib/hmac";
import { api, asAdmin, tokenFor } from "../support/api";
import { aDeliveryPrescription, freshPatients, RENHE, sendCallback } from "../support/fake-pharmacy.client";
import { loadDemoSeed } from "../support/seed";

let secret = "";
const doctor = () => tokenFor("doctor", "doc-shimen-gp-intermediate", "inst-shimen");

async function signedOrder(): Promise<string> {
  const [patientId = ""] = await freshPatients(1, "cb-sec");
  const res = await api<{ orders: { id: string }[] }>("POST", "/prescriptions", { token: await doctor(), headers: { "idempotency-key": crypto.randomUUID() }, body: aDeliveryPrescription(patientId) });
  return res.body.orders[0]?.id ?? "";
}

const approved = (orderId: string) => ({ eventId: `evt_${crypto.randomUUID()}`, orderId, status: "approved", at: new Date().toISOString() });
const statusOf = async (id: string) => (await env.DB.prepare("SELECT status FROM orders WHERE id = ?").bind(id).first<{ status: string }>())?.status;

describe("pharmacy callback security", () => {
  beforeAll(async () => {
    await loadDemoSeed();
    secret = (await env.DB.prepare("SELECT shared_secret AS s FROM pharmacies WHERE id = ?").bind(RENHE).first<{ s: string }>())?.s ?? "";
  });

  it("refuses a wrong secret, a tampered body, and a missing or malformed signature (401), changing nothing", async () => {
    const orderId = await signedOrder();
    const body = JSON.stringify(approved(orderId));
    const now = new Date();
    const cases = {
      wrongSecret: await signBody("another-secret-of-at-least-32-characters!", body, now),
      tampered: await signBody(secret, JSON.stringify(approved("ord_other")), now),
      missing: "",
      malformed: "sha256=abc",
      truncated: (await signBody(secret, body, now)).slice(0, -2),
    };
    for (const [name, signature] of Object.entries(cases)) {
      const res = await sendCallback(RENHE, secret, {}, { rawBody: body, signature });
      expect(res.status, name).toBe(401);
      expect(res.headers.get("content-type"), name).toContain("application/problem+json");
      expect((res.body as unknown as Problem).code, name).toBe("unauthorized");
    }
    expect(await statusOf(orderId)).toBe("pending_review");
  });

  it("refuses a timestamp more than 300 s old or ahead (a captured request cannot be replayed later)", async () => {
    const orderId = await signedOrder();
    const old = await sendCallback(RENHE, secret, approved(orderId), { at: new Date(Date.now() - 301_000) });
    expect(old.status).toBe(401);
    expect((old.body as unknown as Problem).detail).toContain("300 s old");
    const ahead = await sendCallback(RENHE, secret, approved(orderId), { at: new Date(Date.now() + 301_000) });
    expect(ahead.status).toBe(401);
    expect(await statusOf(orderId)).toBe("pending_review");
    const skewed = await sendCallback(RENHE, secret, approved(orderId), { at: new Date(Date.now() - 290_000) });
    expect(skewed.status).toBe(200);
  });

  it("needs no bearer token, and a bearer token is no substitute for the signature", async () => {
    const orderId = await signedOrder();
    const res = await api("POST", `/pharmacy-callbacks/${RENHE}`, { token: await asAdmin(), body: approved(orderId) });
    expect(res.status).toBe(401);
    expect(await statusOf(orderId)).toBe("pending_review");
  });

  it("checks the signature before it reads the body (401, not 400, for an unsigned invalid body)", async () => {
    const res = await sendCallback(RENHE, secret, {}, { rawBody: "{not json", signature: "t=1,v1=00" });
    expect(res.status).toBe(401);
  });

  it("declares the HMAC scheme instead of the bearer token in the OpenAPI document", async () => {
    const doc = await api<{ paths: Record<string, Record<string, { security?: unknown[]; "x-roles"?: string[] }>> }>("GET", "/openapi.json");
    const op = doc.body.paths["/api/v1/pharmacy-callbacks/{pharmacyId}"]?.post;
    expect(op?.security).toEqual([]);
    expect(op?.["x-roles"]).toEqual(["pharmacy-hmac"]);
  });
});

describe("X-Signature (worker/lib/hmac.ts)", () => {
  const now = new Date("2026-11-25T10:00:00.000Z");
  const t = Math.floor(now.getTime() / 1000);

  it("signs t + '.' + body with HMAC-SHA256 in hex, and verifies it", async () => {
    const header = await signBody("k".repeat(32), '{"a":1}', now);
    expect(header).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(header).toBe(`t=${t},v1=${await hmacHex("k".repeat(32), t, '{"a":1}')}`);
    expect(await verifySignature("k".repeat(32), '{"a":1}', header, now)).toEqual({ ok: true, timestamp: t });
    // computed independently (Python's hmac module): HMAC-SHA256(key "key", message "1.body")
    expect(await hmacHex("key", 1, "body")).toBe("91b5374b153842ad05b2c4eab9349b8321b14703165bd3fb8b034dfb8be98ae5");
  });

  it("accepts any one of several v1 values (secret rotation) and ignores unknown schemes", async () => {
    const good = (await signBody("new-secret-0123456789-0123456789ab", "x", now)).split(",")[1] ?? "";
    const header = `t=${t},v1=${"0".repeat(64)},${good},v2=whatever`;
    expect(await verifySignature("new-secret-0123456789-0123456789ab", "x", header, now)).toMatchObject({ ok: true });
  });

  it("says why a signature fails: malformed, expired, future, mismatch", async () => {
    const header = await signBody("s".repeat(32), "x", now);
    expect(await verifySignature("s".repeat(32), "x", header, new Date(now.getTime() + 300_000))).toMatchObject({ ok: true });
    expect(await verifySignature("s".repeat(32), "x", header, new Date(now.getTime() + 301_000))).toEqual({ ok: false, reason: "expired" });
    expect(await verifySignature("s".repeat(32), "x", header, new Date(now.getTime() - 301_000))).toEqual({ ok: false, reason: "future" });
    expect(await verifySignature("s".repeat(32), "y", header, now)).toEqual({ ok: false, reason: "mismatch" });
    expect(await verifySignature("t".repeat(32), "x", header, now)).toEqual({ ok: false, reason: "mismatch" });
    for (const bad of [undefined, "", "t=abc,v1=00", `v1=${"0".repeat(64)}`, `t=${t}`, `t=${t},t=${t},v1=00`, "garbage"]) {
      expect(await verifySignature("s".repeat(32), "x", bad, now), String(bad)).toMatchObject({ ok: false, reason: "malformed" });
    }
    expect(parseSignatureHeader(` t=${t} , v1=ab `)).toEqual({ timestamp: t, v1: ["ab"] });
  });
});
