import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import type { SampleSummary } from "../../worker/reviews/reviews.schemas";
import { api, asAdmin, asDoctor, asPharmacist, tokenFor } from "../support/api";
import { loadDemoSeed } from "../support/seed";
import { monthOf, placePrescriptions } from "./reviews.fixtures";

const MONTH = "2025-09";
let sampleId = "";

describe("处方点评: who may do what", () => {
  beforeAll(async () => {
    await loadDemoSeed();
    await placePrescriptions(monthOf("rv-s", MONTH, "inst-fenglin", "doc-fenglin-village", 2));
    const res = await api<{ samples: SampleSummary[] }>("POST", "/reviews/samples", { token: await asAdmin(), body: { month: MONTH, institutionId: "inst-fenglin" } });
    sampleId = res.body.samples[0]?.id ?? "";
    for (const rx of ["rv-s-000", "rv-s-001"]) await api("PUT", `/reviews/samples/${sampleId}/items/${rx}`, { token: await asAdmin(), headers: { "if-match": "1" }, body: { problems: rx.endsWith("1") ? ["ia-05"] : [] } });
    await api("POST", `/reviews/samples/${sampleId}/close`, { token: await asAdmin() });
  });

  const adminOnly = () => [
    ["POST", "/reviews/samples", { month: "2025-10" }],
    ["GET", "/reviews/samples", undefined],
    ["GET", `/reviews/samples/${sampleId}`, undefined],
    ["PUT", `/reviews/samples/${sampleId}/items/rv-s-000`, { problems: [] }],
    ["POST", `/reviews/samples/${sampleId}/close`, undefined],
  ] as const;

  it("lets only admins draw, list, open, review and close (doctors and pharmacists 403, no token 401)", async () => {
    const before = await env.DB.prepare("SELECT count(*) AS n FROM audit_events").first<{ n: number }>();
    for (const [method, path, body] of adminOnly()) {
      for (const token of [await asDoctor(), await tokenFor("doctor", "doc-fenglin-village", "inst-fenglin"), await asPharmacist()]) {
        const res = await api(method, path, { token, body, headers: { "if-match": "2" } });
        expect(res.status, `${method} ${path}`).toBe(403);
      }
      expect((await api(method, path, { body })).status, `${method} ${path}`).toBe(401);
    }
    // refused reads leave no patient-read audit row
    expect(await env.DB.prepare("SELECT count(*) AS n FROM audit_events").first<{ n: number }>()).toEqual(before);
  });

  it("lets a doctor read only their own feedback", async () => {
    const own = await api<{ items: { prescriberId: string }[]; doctors: { prescriberId: string }[] }>("GET", `/reviews/feedback?month=${MONTH}`, {
      token: await tokenFor("doctor", "doc-fenglin-village", "inst-fenglin"),
    });
    expect(own.status).toBe(200);
    expect(own.body.items).toHaveLength(2);
    expect(own.body.doctors.map((d) => d.prescriberId)).toEqual(["doc-fenglin-village"]);
    // another doctor of the same consortium sees none of it, and may not ask for it
    const other = await api<{ items: unknown[] }>("GET", `/reviews/feedback?month=${MONTH}`, { token: await asDoctor() });
    expect(other.body.items).toEqual([]);
    expect((await api("GET", `/reviews/feedback?prescriberId=doc-fenglin-village&month=${MONTH}`, { token: await asDoctor() })).status).toBe(403);
    // a token naming an institution the doctor is not registered at
    expect((await api("GET", "/reviews/feedback", { token: await tokenFor("doctor", "doc-fenglin-village", "inst-county") })).status).toBe(403);
    expect((await api("GET", "/reviews/feedback", { token: await asPharmacist() })).status).toBe(403);
    expect((await api("GET", "/reviews/items", { token: await asPharmacist() })).status).toBe(403);
  });

  it("publishes every 处方点评 route in the OpenAPI document with the roles that may call it", async () => {
    const res = await api<{ paths: Record<string, Record<string, { "x-roles"?: string[] }>> }>("GET", "/openapi.json");
    expect(res.status).toBe(200);
    const roles = (path: string, method: string) => res.body.paths[`/api/v1${path}`]?.[method]?.["x-roles"];
    expect(roles("/reviews/samples", "post")).toEqual(["admin"]);
    expect(roles("/reviews/samples/{id}/items/{prescriptionId}", "put")).toEqual(["admin"]);
    expect(roles("/reviews/feedback", "get")).toEqual(["admin", "doctor"]);
  });

  it("names patients by id only in the audit trail of a sample's read", async () => {
    expect((await api("GET", `/reviews/samples/${sampleId}`, { token: await asAdmin() })).status).toBe(200);
    const rows = await env.DB.prepare("SELECT entity_id, before, after FROM audit_events WHERE action = 'review.sample.read'").all<{ entity_id: string; before: string | null; after: string }>();
    expect(rows.results.length).toBeGreaterThan(0);
    const names = (await env.DB.prepare("SELECT name FROM patients").all<{ name: string }>()).results.map((r) => r.name);
    for (const row of rows.results) {
      expect(row.entity_id).toMatch(/^pat-/);
      for (const name of names) expect(row.after).not.toContain(name);
    }
  });
});
