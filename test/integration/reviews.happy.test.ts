import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import type { z } from "@hono/zod-openapi";
import type { FeedbackList, SampleDetail, SampleSummary } from "../../worker/reviews/reviews.schemas";
import { closeSample, drawSamples, feedback, getSample, reviewItem } from "../../worker/reviews/reviews.service";
import { drawSample } from "../../worker/reviews/sampler";
import { api, asAdmin, tokenFor } from "../support/api";
import { loadDemoSeed } from "../support/seed";
import { ADMIN, monthOf, placePrescriptions, roundTrips } from "./reviews.fixtures";

type Detail = z.infer<typeof SampleDetail>;
type Feedback = z.infer<typeof FeedbackList>;

const MONTH = "2025-03";
const DOCTOR = "doc-fenglin-village";
const asVillageDoctor = () => tokenFor("doctor", DOCTOR, "inst-fenglin");

const DUPLICATE_CLASS = { ruleId: "safety-duplicate-class", severity: "warning", itemIndex: 0, message: "同类重复", source: "处方审核规范" } as const;
const SHORT = { ruleId: "rx-quantity-short", severity: "warning", itemIndex: 0, message: "数量不足", source: "处方管理办法" } as const;

async function fenglinSample(): Promise<SampleSummary | undefined> {
  const list = await api<{ items: SampleSummary[] }>("GET", `/reviews/samples?month=${MONTH}&institutionId=inst-fenglin`, { token: await asAdmin() });
  return list.body.items[0];
}

describe("处方点评: draw, review, close, feedback", () => {
  beforeAll(async () => {
    await loadDemoSeed();
    await placePrescriptions([
      ...monthOf("rv-fl", MONTH, "inst-fenglin", DOCTOR, 6),
      { id: "rv-fl-warn", institutionId: "inst-fenglin", prescriberId: DOCTOR, at: "2025-03-15T02:00:00.000Z", findings: [DUPLICATE_CLASS, SHORT] },
      { id: "rv-fl-done", institutionId: "inst-fenglin", prescriberId: DOCTOR, at: "2025-03-16T02:00:00.000Z", status: "completed" },
      { id: "rv-fl-cancelled", institutionId: "inst-fenglin", prescriberId: DOCTOR, at: "2025-03-17T02:00:00.000Z", status: "cancelled" },
      { id: "rv-fl-replaced", institutionId: "inst-fenglin", prescriberId: DOCTOR, at: "2025-03-18T02:00:00.000Z", status: "replaced" },
      ...monthOf("rv-xk", MONTH, "inst-xikou", "doc-xikou-village", 3),
    ]);
  });

  it("draws one institution's month in two round trips: every counted prescription when the population is under the size, none cancelled or replaced", async () => {
    const { trips, result } = await roundTrips(ADMIN, (ctx) => drawSamples(ctx, { month: MONTH, institutionId: "inst-fenglin" }));
    expect(trips).toBe(2);
    expect(result.skipped).toEqual([]);
    const [sample] = result.samples;
    expect(sample).toMatchObject({ month: MONTH, institutionId: "inst-fenglin", institutionName: "石门乡枫林村卫生室", size: 100, population: 8, drawn: 8, reviewed: 0, rate: null, status: "open", drawnBy: "admin-county", version: 1 });
    const detail = await api<Detail>("GET", `/reviews/samples/${sample?.id}`, { token: await asAdmin() });
    expect(detail.status).toBe(200);
    const ids = detail.body.items.map((i) => i.prescriptionId).sort();
    expect(ids).toEqual([...monthOf("rv-fl", MONTH, "inst-fenglin", DOCTOR, 6).map((p) => p.id), "rv-fl-done", "rv-fl-warn"].sort());
    // the stored seed re-draws the same sample from the same population
    expect(drawSample(ids, 8, detail.body.seed).sort()).toEqual(ids);
    const audit = await env.DB.prepare("SELECT count(*) AS n FROM audit_events WHERE action = 'review.sample.draw' AND entity_id = ?").bind(sample?.id).first<{ n: number }>();
    expect(audit?.n).toBe(1);
  });

  it("opens a sample in one round trip with the engine's findings as suggested items, and audits every patient shown", async () => {
    const sample = await fenglinSample();
    const before = await env.DB.prepare("SELECT count(*) AS n FROM audit_events WHERE action = 'review.sample.read'").first<{ n: number }>();
    const { trips, result } = await roundTrips(ADMIN, (ctx) => getSample(ctx, sample?.id ?? ""));
    expect(trips).toBe(1);
    const warned = result.items.find((i) => i.prescriptionId === "rv-fl-warn");
    expect(warned).toMatchObject({ suggested: ["ns-07", "ab-04"], outcome: null, problems: [], version: 1, kind: "normal", prescriberName: "曹德贵" });
    expect(warned?.findings.map((f) => f.ruleId)).toEqual(["safety-duplicate-class", "rx-quantity-short"]);
    expect(warned?.content?.diagnoses).toEqual([{ icd10: "I10", name: "原发性高血压" }]);
    expect(warned?.patient).toMatchObject({ id: "pat-003", age: expect.any(Number) });
    const after = await env.DB.prepare("SELECT count(*) AS n FROM audit_events WHERE action = 'review.sample.read'").first<{ n: number }>();
    // every fixture prescription is for pat-003: one row for the one patient
    expect((after?.n ?? 0) - (before?.n ?? 0)).toBe(1);
    const row = await env.DB.prepare("SELECT entity_type, entity_id, after FROM audit_events WHERE action = 'review.sample.read' ORDER BY id DESC LIMIT 1").first<{ entity_type: string; entity_id: string; after: string }>();
    expect(row).toMatchObject({ entity_type: "patient", entity_id: "pat-003" });
    expect(JSON.parse(row?.after ?? "{}").prescriptionIds).toHaveLength(8);
  });

  it("reviews items with If-Match in one round trip each; the outcome is the gravest category; progress and rate follow", async () => {
    const token = await asAdmin();
    const list = await api<{ items: SampleSummary[] }>("GET", `/reviews/samples?month=${MONTH}&institutionId=inst-fenglin`, { token });
    const sample = list.body.items[0];
    if (!sample) throw new Error("no sample");
    const put = (rx: string, problems: string[], version: string, note?: string) =>
      api<{ outcome: string; version: number; problems: string[] }>("PUT", `/reviews/samples/${sample.id}/items/${rx}`, { token, headers: { "if-match": version }, body: { problems, ...(note ? { note } : {}) } });

    const warned = await put("rv-fl-warn", ["ab-04", "ns-07", "ns-07"], '"1"', "硝苯地平与氨氯地平同类重复");
    expect(warned.status).toBe(200);
    expect(warned.headers.get("etag")).toBe('"2"');
    expect(warned.body).toMatchObject({ outcome: "abnormal", problems: ["ns-07", "ab-04"], version: 2 });
    expect((await put("rv-fl-done", ["ns-10"], "1")).body.outcome).toBe("non_standard");
    expect((await put("rv-fl-000", ["ns-12", "ia-05"], "1")).body.outcome).toBe("inappropriate");
    // a second look clears the problems: rational
    const { trips, result } = await roundTrips(ADMIN, (ctx) => reviewItem(ctx, sample.id, "rv-fl-000", 2, { problems: [] }));
    expect(trips).toBe(1);
    expect(result).toMatchObject({ outcome: "rational", problems: [], version: 3, reviewerId: "admin-county" });

    const progress = await api<{ items: SampleSummary[] }>("GET", `/reviews/samples?month=${MONTH}`, { token });
    expect(progress.body.items.find((s) => s.id === sample.id)).toMatchObject({ drawn: 8, reviewed: 3, rational: 1, rate: 0.3333 });
    const audit = await env.DB.prepare("SELECT before, after FROM audit_events WHERE action = 'review.item.review' AND entity_id = 'rv-fl-warn'").first<{ before: string; after: string }>();
    expect(JSON.parse(audit?.before ?? "{}")).toMatchObject({ outcome: null, problems: [], version: 1 });
    expect(JSON.parse(audit?.after ?? "{}")).toMatchObject({ outcome: "abnormal", problems: ["ns-07", "ab-04"], version: 2 });
  });

  it("closes a fully reviewed sample in one round trip; the doctor then reads their feedback with Chinese labels", async () => {
    const token = await asAdmin();
    const id = (await fenglinSample())?.id ?? "";
    const open = await api<Detail>("GET", `/reviews/samples/${id}`, { token });
    for (const item of open.body.items.filter((i) => i.outcome === null)) {
      expect((await api("PUT", `/reviews/samples/${id}/items/${item.prescriptionId}`, { token, headers: { "if-match": String(item.version) }, body: { problems: [] } })).status).toBe(200);
    }
    // before closing, the doctor sees nothing: a reviewer may still change an open sample
    expect((await api<Feedback>("GET", `/reviews/feedback?month=${MONTH}`, { token: await asVillageDoctor() })).body.items).toEqual([]);
    const { trips, result } = await roundTrips(ADMIN, (ctx) => closeSample(ctx, id));
    expect(trips).toBe(1);
    expect(result).toMatchObject({ status: "closed", closedBy: "admin-county", reviewed: 8, rational: 6, rate: 0.75, version: 2 });

    const mine = await api<Feedback>("GET", `/reviews/feedback?month=${MONTH}`, { token: await asVillageDoctor() });
    expect(mine.status).toBe(200);
    expect(mine.body.doctors).toEqual([
      { prescriberId: DOCTOR, prescriberName: "曹德贵", institutionId: "inst-fenglin", institutionName: "石门乡枫林村卫生室", reviewed: 8, rational: 6, nonStandard: 1, inappropriate: 0, abnormal: 1, rate: 0.75 },
    ]);
    const warned = mine.body.items.find((i) => i.prescriptionId === "rv-fl-warn");
    expect(warned).toMatchObject({ outcome: "abnormal", note: "硝苯地平与氨氯地平同类重复", sampleClosed: true, diagnoses: ["原发性高血压"], drugs: ["W185-01"] });
    expect(warned?.problems).toEqual([
      { code: "ns-07", category: "non_standard", label: "药品的剂量、规格、数量、单位等书写不规范或不清楚" },
      { code: "ab-04", category: "abnormal", label: "无正当理由为同一患者同时开具2种以上药理作用相同药物" },
    ]);
    const counted = await roundTrips({ sub: DOCTOR, role: "doctor", org: "inst-fenglin", name: "" }, (ctx) => feedback(ctx, { month: MONTH }));
    expect(counted.trips).toBe(1);
  });

  it("draws every institution without a sample in one call, skipping the drawn and the empty ones", async () => {
    const res = await api<{ samples: SampleSummary[]; skipped: { institutionId: string; reason: string }[] }>("POST", "/reviews/samples", { token: await asAdmin(), body: { month: MONTH } });
    expect(res.status).toBe(201);
    expect(res.body.samples.map((s) => [s.institutionId, s.drawn])).toEqual([["inst-xikou", 3]]);
    expect(res.body.skipped).toContainEqual({ institutionId: "inst-fenglin", reason: "already_drawn" });
    expect(res.body.skipped).toContainEqual({ institutionId: "inst-county", reason: "no_prescriptions" });
    const again = await api<{ samples: SampleSummary[] }>("POST", "/reviews/samples", { token: await asAdmin(), body: { month: MONTH } });
    expect(again.status).toBe(200);
    expect(again.body.samples).toEqual([]);
  });

  it("lets an admin read every doctor's feedback, open samples included", async () => {
    const res = await api<Feedback>("GET", `/reviews/feedback?month=${MONTH}`, { token: await asAdmin() });
    expect(res.status).toBe(200);
    expect(res.body.doctors.map((d) => d.prescriberId)).toEqual([DOCTOR]);
    const one = await api<Feedback>("GET", `/reviews/feedback?prescriberId=${DOCTOR}&month=${MONTH}`, { token: await asAdmin() });
    expect(one.body.items).toHaveLength(8);
    expect(one.body.truncated).toBe(false);
  });

  it("never samples another month or institution: the month's China-time boundaries decide", async () => {
    // 2025-05 in China runs from 2025-04-30T16:00Z to 2025-05-31T16:00Z
    await placePrescriptions([
      { id: "rv-b-before", institutionId: "inst-xikou", prescriberId: "doc-xikou-village", at: "2025-04-30T15:59:59.999Z" },
      { id: "rv-b-first", institutionId: "inst-xikou", prescriberId: "doc-xikou-village", at: "2025-04-30T16:00:00.000Z" },
      { id: "rv-b-last", institutionId: "inst-xikou", prescriberId: "doc-xikou-village", at: "2025-05-31T15:59:59.999Z" },
      { id: "rv-b-after", institutionId: "inst-xikou", prescriberId: "doc-xikou-village", at: "2025-05-31T16:00:00.000Z" },
      ...monthOf("rv-b-other", "2025-05", "inst-fenglin", DOCTOR, 4),
    ]);
    const res = await api<{ samples: SampleSummary[] }>("POST", "/reviews/samples", { token: await asAdmin(), body: { month: "2025-05", institutionId: "inst-xikou" } });
    expect(res.status).toBe(201);
    expect(res.body.samples[0]).toMatchObject({ population: 2, drawn: 2 });
    const detail = await api<Detail>("GET", `/reviews/samples/${res.body.samples[0]?.id}`, { token: await asAdmin() });
    expect(detail.body.items.map((i) => i.prescriptionId).sort()).toEqual(["rv-b-first", "rv-b-last"]);
    const stored = await env.DB.prepare("SELECT DISTINCT month, institution_id FROM review_items WHERE sample_id = ?").bind(detail.body.id).all();
    expect(stored.results).toEqual([{ month: "2025-05", institution_id: "inst-xikou" }]);
  });

  it("lists the standard items: 15 不规范, 9 用药不适宜, 4 超常", async () => {
    const res = await api<{ items: { code: string; category: string }[]; ruleSuggestions: Record<string, string[]> }>("GET", "/reviews/items", { token: await asVillageDoctor() });
    expect(res.status).toBe(200);
    const count = (c: string) => res.body.items.filter((i) => i.category === c).length;
    expect([count("non_standard"), count("inappropriate"), count("abnormal")]).toEqual([15, 9, 4]);
    expect(res.body.ruleSuggestions["safety-duplicate-ingredient"]).toEqual(["ia-07"]);
  });
});
