import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../worker/app";
import { api } from "../support/api";
import { loadDemoSeed } from "../support/seed";
import { act, aReadyPickupOrder, freshPatient, pickupCodeFromSms } from "./desk.fixtures";

interface Phone {
  patientId: string | null;
  items: { id: string; orderId: string; channel: string; template: string; state: string; at: string; text: string }[];
}

describe("GET /api/v1/dev/sms (the simulated patient handset, development only)", () => {
  beforeAll(loadDemoSeed);

  it("shows the patient's messages newest first, rendered as sent, pickup code unmasked", async () => {
    const patientId = await freshPatient();
    const first = await aReadyPickupOrder(patientId);
    // a reissued code is a second message of the same order: the handset shows it on top
    expect((await act(first.orderId, "reissue-pickup-code", { reason: "患者未收到短信" })).status).toBe(200);
    const fresh = await pickupCodeFromSms(first.orderId);
    const res = await api<Phone>("GET", `/dev/sms?patientId=${encodeURIComponent(patientId)}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(res.body.patientId).toBe(patientId);
    expect(res.body.items).toHaveLength(2);
    const [latest, earlier] = res.body.items;
    expect(latest?.channel).toBe("sms");
    expect(latest?.text).toContain(`新取药码 ${fresh}`);
    expect(earlier?.text).toContain(`取药码 ${first.code}`);
    expect(latest?.text).toContain(first.reference);
    expect(res.body.items.every((m) => !m.text.includes("******"))).toBe(true);
    // the same list by the order's reference (spaced and lower-cased as a patient may type it)
    const spaced = `${first.reference.slice(0, 4).toLowerCase()} ${first.reference.slice(4)}`;
    const byRef = await api<Phone>("GET", `/dev/sms?reference=${encodeURIComponent(spaced)}`);
    expect(byRef.status).toBe(200);
    expect(byRef.body.items.map((m) => m.id)).toEqual(res.body.items.map((m) => m.id));
  });

  it("never lists the prescribing doctor's inbox notices nor another patient's messages", async () => {
    const patientId = await freshPatient();
    const other = await freshPatient();
    await aReadyPickupOrder(other);
    const res = await api<Phone>("GET", `/dev/sms?patientId=${encodeURIComponent(patientId)}`);
    expect(res.status).toBe(200);
    expect(res.body.items).toEqual([]);
    const theirs = await api<Phone>("GET", `/dev/sms?patientId=${encodeURIComponent(other)}`);
    expect(theirs.body.items.every((m) => m.channel !== "inbox")).toBe(true);
  });

  it("answers 400 without exactly one of patientId or reference, or with a malformed reference", async () => {
    for (const q of ["", "?patientId=", "?patientId=pat-001&reference=ABCDEF12", "?reference=%21%21", `?patientId=${"x".repeat(65)}`]) {
      const res = await api<{ code: string }>("GET", `/dev/sms${q}`);
      expect(res.status, q).toBe(400);
      expect(res.headers.get("content-type")).toContain("application/problem+json");
    }
  });

  it("does not exist in production, once an identity provider is configured, or without a dev secret (404)", async () => {
    const app = createApp();
    for (const override of [{ ENVIRONMENT: "production" }, { AUTH_JWKS_URL: "https://idp.example.org/.well-known/jwks.json" }, { AUTH_DEV_SECRET: undefined }]) {
      const res = await app.request("/api/v1/dev/sms?patientId=pat-009", {}, { ...env, ...override });
      expect(res.status, JSON.stringify(override)).toBe(404);
      expect(res.headers.get("content-type")).toContain("application/problem+json");
      expect(((await res.json()) as { code: string }).code).toBe("not-found");
    }
    // nor does its page
    for (const override of [{}, { ENVIRONMENT: "production" }]) {
      const res = await app.request("/ui/dev/phone", {}, { ...env, ...override });
      expect(res.status, JSON.stringify(override)).toBe("ENVIRONMENT" in override ? 404 : 200);
    }
    // and it is not in the API's description
    const doc = await api<{ paths: Record<string, unknown> }>("GET", "/openapi.json");
    if (doc.status === 200) expect(Object.keys(doc.body.paths).some((p) => p.includes("/dev/"))).toBe(false);
  });
});

describe("print and status pages (server-rendered frames; the data comes through the API)", () => {
  it("serves the labels on the roll asked for (58 mm unless 80), the slip and the public status page", async () => {
    const app = createApp();
    for (const [path, needle] of [
      ["/ui/desk/orders/ord_x/labels?size=80", 'class="sheets roll-80"'],
      ["/ui/desk/orders/ord_x/labels?size=100", 'class="sheets roll-58"'],
      ["/ui/desk/orders/ord_x/labels", 'data-order-id="ord_x"'],
      ["/ui/desk/orders/ord_x/slip", "/ui/assets/slip.js"],
      ["/ui/status", 'id="status-form"'],
    ] as const) {
      const res = await app.request(path, {}, env);
      expect(res.status, path).toBe(200);
      expect(await res.text(), path).toContain(needle);
    }
  });
});
