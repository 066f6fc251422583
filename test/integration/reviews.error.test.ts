import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "../../worker/db/index";
import { chinaDate } from "../../worker/lib/clock";
import { drawSamples, reviewItem } from "../../worker/reviews/reviews.service";
import type { SampleSummary } from "../../worker/reviews/reviews.schemas";
import { api, asAdmin } from "../support/api";
import { outcomes, readTogether } from "../support/race";
import { loadDemoSeed } from "../support/seed";
import { ADMIN, monthOf, placePrescriptions } from "./reviews.fixtures";

interface Problem {
  code: string;
  detail?: string;
  issues?: { path: string }[];
}

const MONTH = "2025-07";
let sample: SampleSummary;
const token = asAdmin;
const put = async (rx: string, body: unknown, ifMatch?: string) =>
  api<Problem>("PUT", `/reviews/samples/${sample.id}/items/${rx}`, { token: await token(), body, ...(ifMatch === undefined ? {} : { headers: { "if-match": ifMatch } }) });
const rows = async () => (await env.DB.prepare("SELECT outcome, version FROM review_items ORDER BY prescription_id").all()).results;

describe("处方点评: refusals change nothing", () => {
  beforeAll(async () => {
    await loadDemoSeed();
    await placePrescriptions([...monthOf("rv-e", MONTH, "inst-fenglin", "doc-fenglin-village", 3), { id: "rv-e-cancelled", institutionId: "inst-xikou", prescriberId: "doc-xikou-village", at: "2025-07-10T02:00:00.000Z", status: "cancelled" }]);
    const res = await api<{ samples: SampleSummary[] }>("POST", "/reviews/samples", { token: await token(), body: { month: MONTH, institutionId: "inst-fenglin" } });
    const first = res.body.samples[0];
    if (!first) throw new Error("no sample drawn");
    sample = first;
  });

  it("refuses a month that is not over, a malformed month, extra fields, an unknown institution, a second draw and an empty month", async () => {
    const now = chinaDate(new Date()).slice(0, 7);
    const cases: [unknown, number, string][] = [
      [{ month: now, institutionId: "inst-fenglin" }, 422, "unprocessable"],
      [{ month: "2099-01" }, 422, "unprocessable"],
      [{ month: "2025-13", institutionId: "inst-fenglin" }, 400, "validation-failed"],
      [{ month: MONTH, institutionId: "inst-fenglin", size: 5 }, 400, "validation-failed"],
      [{ month: MONTH, institutionId: "inst-nowhere" }, 404, "not-found"],
      [{ month: MONTH, institutionId: "inst-fenglin" }, 409, "already-exists"],
      // its only prescription was cancelled
      [{ month: MONTH, institutionId: "inst-xikou" }, 422, "unprocessable"],
    ];
    const before = await env.DB.prepare("SELECT count(*) AS n FROM review_samples").first<{ n: number }>();
    for (const [body, status, code] of cases) {
      const res = await api<Problem>("POST", "/reviews/samples", { token: await token(), body });
      expect([res.status, res.body.code], JSON.stringify(body)).toEqual([status, code]);
      expect(res.headers.get("content-type")).toContain("application/problem+json");
    }
    expect(await env.DB.prepare("SELECT count(*) AS n FROM review_samples").first<{ n: number }>()).toEqual(before);
  });

  it("refuses a review without If-Match (428), stale (412), with unknown codes (400), of a prescription not in the sample (404)", async () => {
    const before = await rows();
    expect((await put("rv-e-000", { problems: [] })).status).toBe(428);
    const stale = await put("rv-e-000", { problems: [] }, '"7"');
    expect([stale.status, stale.body.code]).toEqual([412, "precondition-failed"]);
    expect((await put("rv-e-000", { problems: [] }, "soon")).status).toBe(412);
    const unknown = await put("rv-e-000", { problems: ["ns-99"] }, '"1"');
    expect([unknown.status, unknown.body.issues?.[0]?.path]).toEqual([400, "problems.0"]);
    expect((await put("rv-e-000", { problems: "ns-01" }, '"1"')).status).toBe(400);
    expect((await put("rv-e-000", { problems: [], note: "x".repeat(501) }, '"1"')).status).toBe(400);
    expect((await put("rv-e-cancelled", { problems: [] }, '"1"')).status).toBe(404);
    const noSample = await api<Problem>("PUT", "/reviews/samples/rvs_none/items/rv-e-000", { token: await token(), headers: { "if-match": "1" }, body: { problems: [] } });
    expect(noSample.status).toBe(404);
    expect(await rows()).toEqual(before);
    expect(await env.DB.prepare("SELECT count(*) AS n FROM audit_events WHERE action = 'review.item.review'").first<{ n: number }>()).toEqual({ n: 0 });
  });

  it("refuses to close with unreviewed items (422), twice (409), and any review once closed (409)", async () => {
    const early = await api<Problem>("POST", `/reviews/samples/${sample.id}/close`, { token: await token() });
    expect([early.status, early.body.code]).toEqual([422, "unprocessable"]);
    expect(early.body.detail).toContain("3 prescription(s)");
    for (const rx of ["rv-e-000", "rv-e-001", "rv-e-002"]) expect((await put(rx, { problems: [] }, "1")).status).toBe(200);
    expect((await api("POST", `/reviews/samples/${sample.id}/close`, { token: await token() })).status).toBe(200);
    const twice = await api<Problem>("POST", `/reviews/samples/${sample.id}/close`, { token: await token() });
    expect([twice.status, twice.body.code]).toEqual([409, "conflict"]);
    const late = await put("rv-e-000", { problems: ["ns-01"] }, "2");
    expect([late.status, late.body.code]).toEqual([409, "conflict"]);
    expect((await api("POST", "/reviews/samples/rvs_none/close", { token: await token() })).status).toBe(404);
  });

  it("lets only one of two admins drawing the same month at once commit (409, nothing half-written)", async () => {
    await placePrescriptions(monthOf("rv-race", "2025-08", "inst-xikou", "doc-xikou-village", 4));
    const db = readTogether(2);
    const ctx = () => ({ db: getDb(db()), actor: ADMIN, requestId: crypto.randomUUID(), now: new Date() });
    const results = await outcomes([drawSamples(ctx(), { month: "2025-08", institutionId: "inst-xikou" }), drawSamples(ctx(), { month: "2025-08", institutionId: "inst-xikou" })]);
    expect(results.sort()).toEqual(["conflict: a sample of 2025-08 was drawn, or one of its prescriptions cancelled, meanwhile; list the samples and draw again", "ok"]);
    const items = await env.DB.prepare("SELECT count(*) AS n FROM review_items WHERE month = '2025-08'").first<{ n: number }>();
    expect(items?.n).toBe(4);
  });

  it("lets only one of two reviewers saving the same version commit (412 for the other)", async () => {
    await placePrescriptions(monthOf("rv-race2", "2025-06", "inst-xikou", "doc-xikou-village", 1));
    const drawn = await api<{ samples: SampleSummary[] }>("POST", "/reviews/samples", { token: await token(), body: { month: "2025-06", institutionId: "inst-xikou" } });
    const id = drawn.body.samples[0]?.id ?? "";
    const db = readTogether(2);
    const ctx = () => ({ db: getDb(db()), actor: ADMIN, requestId: crypto.randomUUID(), now: new Date() });
    const results = await outcomes([reviewItem(ctx(), id, "rv-race2-000", 1, { problems: [] }), reviewItem(ctx(), id, "rv-race2-000", 1, { problems: ["ia-07"] })]);
    expect(results.filter((r) => r === "ok")).toHaveLength(1);
    expect(results.find((r) => r !== "ok")).toMatch(/^precondition-failed: the review of rv-race2-000 is at version 2, not 1/);
  });

  it("answers 404 for an unknown sample and 400 for malformed filters", async () => {
    expect((await api<Problem>("GET", "/reviews/samples/rvs_none", { token: await token() })).status).toBe(404);
    expect((await api<Problem>("GET", "/reviews/samples?month=2025-7", { token: await token() })).status).toBe(400);
    expect((await api<Problem>("GET", "/reviews/feedback?month=July", { token: await token() })).status).toBe(400);
    expect((await api<Problem>("GET", "/reviews/feedback?prescriberId=%20bad%20", { token: await token() })).status).toBe(400);
  });
});
