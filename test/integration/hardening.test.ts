import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../worker/app";
import { CALLBACK_BODY_LIMIT, DEFAULT_BODY_LIMIT } from "../../worker/http/limits";
import { api, asAdmin, tokenFor } from "../support/api";
import { RENHE } from "../support/fake-pharmacy.client";
import { loadDemoSeed } from "../support/seed";

/*
 * Issue 11, found by the review: an asset name that hit the prototype, client-chosen request
 * ids in the audit trail, patient data cacheable, the import body limit on any path ending in
 * /imports, and the callback route reading its whole body before knowing who sent it.
 */

const CHUNK = 4096;

/** A request body streamed in CHUNK-byte pieces, counting how many the worker pulled (nothing is read ahead). */
function countingBody(total: number) {
  const state = { pulled: 0 };
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (state.pulled * CHUNK >= total) {
          controller.close();
          return;
        }
        state.pulled++;
        controller.enqueue(new Uint8Array(CHUNK).fill(0x20));
      },
    },
    { highWaterMark: 0 },
  );
  return { stream, state };
}

async function post(path: string, body: ReadableStream<Uint8Array> | string, headers: Record<string, string> = {}) {
  const res = await createApp().request(`http://yaolian.test/api/v1${path}`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body }, env);
  const text = await res.text();
  return { status: res.status, code: (JSON.parse(text) as { code?: string }).code };
}

const doctor = () => tokenFor("doctor", "doc-shimen-gp-intermediate", "inst-shimen");

describe("hardening found by the review", () => {
  beforeAll(loadDemoSeed);

  it("answers 404 for asset names that are Object.prototype's keys", async () => {
    for (const name of ["__proto__", "constructor", "toString", "hasOwnProperty", "__defineGetter__"]) {
      const res = await createApp().request(`http://yaolian.test/ui/assets/${name}`, {}, env);
      expect(res.status, name).toBe(404);
      expect(res.headers.get("content-type"), name).toContain("application/problem+json");
    }
    expect((await createApp().request("http://yaolian.test/ui/assets/app.js", {}, env)).status).toBe(200);
  });

  it("always generates the request id itself: a client's X-Request-Id never reaches the answer or the audit trail", async () => {
    const chosen = `chosen-${crypto.randomUUID()}`;
    const id = `inst-rid-${crypto.randomUUID().slice(0, 8)}`;
    const res = await api("POST", "/institutions", { token: await asAdmin(), headers: { "x-request-id": chosen }, body: { id, name: "请求编号卫生院", level: "primary", region: "测试乡" } });
    expect(res.status).toBe(201);
    const served = res.headers.get("x-request-id") ?? "";
    expect(served).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(served).not.toBe(chosen);
    const audit = await env.DB.prepare("SELECT request_id FROM audit_events WHERE entity_id = ?").bind(id).all<{ request_id: string }>();
    expect(audit.results).toEqual([{ request_id: served }]);
    expect((await env.DB.prepare("SELECT count(*) AS n FROM audit_events WHERE request_id = ?").bind(chosen).first<{ n: number }>())?.n).toBe(0);
    // errors carry the server's id too
    const refused = await api<{ requestId: string }>("GET", "/patients/pat-001", { headers: { "x-request-id": chosen } });
    expect(refused.status).toBe(401);
    expect(refused.body.requestId).not.toBe(chosen);
    expect(refused.body.requestId).toBe(refused.headers.get("x-request-id"));
  });

  it("marks every API answer no-store (patient data, prescriptions, errors), except the public signing keys", async () => {
    const token = await doctor();
    for (const [path, status] of [
      ["/patients/pat-001", 200],
      ["/patients/pat-001/overview", 200],
      ["/patients?q=zgl", 200],
      ["/prescriptions?scope=mine", 200],
      ["/prescriptions/rx_nope", 404],
    ] as const) {
      const res = await api("GET", path, { token });
      expect(res.status, path).toBe(status);
      expect(res.headers.get("cache-control"), path).toBe("no-store");
    }
    expect((await api("GET", "/patients/pat-001")).headers.get("cache-control")).toBe("no-store");
    expect((await api("GET", "/prescription-signing-keys")).headers.get("cache-control")).toBe("public, max-age=300");
  });

  it("gives the large import limit to the formulary import route only", async () => {
    const body = JSON.stringify([{ pad: "x".repeat(DEFAULT_BODY_LIMIT) }]);
    for (const path of ["/institutions/imports", "/prescriptions/imports", "/formulary/imports/imports"]) {
      const res = await post(path, body, { authorization: `Bearer ${await asAdmin()}` });
      expect(res.status, path).toBe(413);
      expect(res.code, path).toBe("payload-too-large");
    }
    // the import route itself still takes more than the default (and reads it: 400 for rows that are no entries)
    const res = await post("/formulary/imports?dryRun=true", body, { authorization: `Bearer ${await asAdmin()}` });
    expect(res.status).not.toBe(413);
  });

  describe("pharmacy callbacks: the pharmacy and the signature header before the body, the body capped", () => {
    const signatureNow = () => `t=${Math.floor(Date.now() / 1000)},v1=${"0".repeat(64)}`;

    it("reads nothing of the body for an unknown or desk pharmacy (404)", async () => {
      for (const pharmacy of ["pharm-nope", "pharm-cloud"]) {
        const { stream, state } = countingBody(1024 * 1024);
        const res = await post(`/pharmacy-callbacks/${pharmacy}`, stream, { "x-signature": signatureNow() });
        expect(res.status, pharmacy).toBe(404);
        expect(state.pulled, pharmacy).toBe(0);
      }
    });

    it("reads nothing of the body without a well-formed, current signature header (401)", async () => {
      for (const signature of [undefined, "sha256=abc", `t=${Math.floor(Date.now() / 1000) - 3600},v1=${"0".repeat(64)}`]) {
        const { stream, state } = countingBody(1024 * 1024);
        const res = await post(`/pharmacy-callbacks/${RENHE}`, stream, signature ? { "x-signature": signature } : {});
        expect(res.status, signature).toBe(401);
        expect(state.pulled, signature).toBe(0);
      }
    });

    it(`stops reading at ${CALLBACK_BODY_LIMIT / 1024} KiB (413), by the declared length or while streaming`, async () => {
      const { stream, state } = countingBody(1024 * 1024);
      const streamed = await post(`/pharmacy-callbacks/${RENHE}`, stream, { "x-signature": signatureNow() });
      expect(streamed.status).toBe(413);
      expect(state.pulled * CHUNK).toBeLessThanOrEqual(CALLBACK_BODY_LIMIT + CHUNK);
      const declared = await post(`/pharmacy-callbacks/${RENHE}`, " ".repeat(CALLBACK_BODY_LIMIT + 1), { "x-signature": signatureNow(), "content-length": String(CALLBACK_BODY_LIMIT + 1) });
      expect(declared.status).toBe(413);
    });
  });
});
