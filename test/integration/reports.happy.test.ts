import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "../../worker/db/index";
import type { Principal } from "../../worker/http/auth";
import { chinaDate } from "../../worker/lib/clock";
import { ORDER_STATUSES, type OrderAction, type OrderStatus } from "../../worker/pharmacy/orders/order-state";
import { loadOrder, type TransitionOptions, transitionOrder } from "../../worker/pharmacy/orders/transition";
import type { Draft } from "../../worker/prescriptions/prescriptions.schemas";
import type {
  LongPrescriptionReport,
  OrdersByStateReport,
  QualificationRateReport,
  TurnaroundReport,
} from "../../worker/reports/reports.schemas";
import {
  longPrescriptionReport,
  ordersByStateReport,
  qualificationRateReport,
  turnaroundReport,
} from "../../worker/reports/reports.service";
import { AMLODIPINE, aNormalPrescription } from "../builders/prescriptions";
import { api, asAdmin, tokenFor } from "../support/api";
import { countingD1 } from "../support/d1-counter";
import { loadDemoSeed } from "../support/seed";

/**
 * Each describe builds its own scenario in its own month (no two overlap), signing through
 * the API as doctors of two institutions, then backdating the new rows into that month and
 * moving the orders with the transition core at chosen instants.
 */
const SHIMEN = () => tokenFor("doctor", "doc-shimen-gp-intermediate", "inst-shimen");
const CHENGGUAN = () => tokenFor("doctor", "doc-chengguan-gp-intermediate", "inst-chengguan");
const PHARMACIST: Principal = { sub: "ph-cloud-1", role: "pharmacist", org: "pharm-cloud", name: "" };
const HOUR = 3_600_000;

interface Signed {
  id: string;
  orders: { id: string; instalment: number; status: string }[];
}

async function freshPatient(): Promise<string> {
  const id = `pat-rpt-${crypto.randomUUID().slice(0, 8)}`;
  await env.DB.batch([
    env.DB.prepare("INSERT INTO patients (id, name, gender, birth_date, created_at) VALUES (?, '测试', 'female', '1957-05-01', '2024-01-01')").bind(id),
    // a stable, chronic hypertension: what a long prescription of amlodipine needs
    env.DB.prepare("INSERT INTO patient_conditions (id, patient_id, icd10, name, chronic, stable, diagnosed_at, diagnosed_by) VALUES (?, ?, 'I10', '原发性高血压', 1, 1, '2024-01-01', 'doc-shimen-gp-intermediate')").bind(
      `pc-${id}`,
      id,
    ),
  ]);
  return id;
}

function aFirstLongPrescription(patientId: string, days: 28 | 56 | 84, instalments: 1 | 2 | 3 = 1): Draft {
  return {
    patientId,
    kind: "long_term",
    diagnoses: [{ icd10: "I10", name: "原发性高血压" }],
    items: [{ drugCode: AMLODIPINE, dose: { value: 5, unit: "mg" }, frequency: "qd", days, packages: days / 28 }],
    longTerm: { firstIssue: true, assessment: "血压控制达标，病情稳定，评估后开具长期处方。", patientConfirmed: true },
    fulfilment: { mode: "pickup", pickupSiteId: "site-cloud-shimen", instalments },
  };
}

async function sign(token: Promise<string>, draft: Draft): Promise<Signed> {
  const res = await api<Signed>("POST", "/prescriptions", { token: await token, headers: { "idempotency-key": crypto.randomUUID() }, body: draft });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

const normal = async (token: Promise<string>, mode: "pickup" | "delivery" = "pickup") => {
  const draft = aNormalPrescription(await freshPatient());
  if (mode === "delivery") draft.fulfilment = { mode: "delivery", address: { region: "青溪县/城关镇", line: "人民路1号", phone: "13800000000" } };
  return sign(token, draft);
};
const long = async (token: Promise<string>, days: 28 | 56 | 84, instalments: 1 | 2 | 3 = 1) => sign(token, aFirstLongPrescription(await freshPatient(), days, instalments));

/** Moves the prescription, its orders and their first events to `at` (as if signed then). */
async function backdate(rx: Signed, at: string): Promise<void> {
  await env.DB.batch([
    env.DB.prepare("UPDATE prescriptions SET created_at = ?, written_at = ? WHERE id = ?").bind(at, at, rx.id),
    env.DB.prepare("UPDATE orders SET created_at = ?, updated_at = ? WHERE prescription_id = ?").bind(at, at, rx.id),
    env.DB.prepare("UPDATE order_events SET at = ? WHERE order_id IN (SELECT id FROM orders WHERE prescription_id = ?)").bind(at, rx.id),
  ]);
}

/** One transition through the core (not the desk routes), at a chosen instant. */
async function move(orderId: string, at: string | number, action: OrderAction, opts: Partial<TransitionOptions> = {}): Promise<void> {
  const db = getDb(env.DB);
  const now = new Date(at);
  await transitionOrder({ db, actor: PHARMACIST, requestId: "test", now, queue: env.ORDER_QUEUE }, await loadOrder({ db }, orderId), action, { source: "desk", ...opts });
}

const first = (rx: Signed) => rx.orders.find((o) => o.instalment === 1)!.id;
const second = (rx: Signed) => rx.orders.find((o) => o.instalment === 2)!.id;

async function report<T>(path: string): Promise<T> {
  const res = await api<T>("GET", `/reports/${path}`, { token: await asAdmin() });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}

const groupOf = <G extends { key: string }>(r: { groups: G[] }, key: string): G => {
  const g = r.groups.find((x) => x.key === key);
  if (!g) throw new Error(`no group ${key}`);
  return g;
};

describe("GET /reports/qualification-rate", () => {
  beforeAll(async () => {
    await loadDemoSeed();
    // Shimen, January 2025: 4 prescriptions reviewed, 3 approved
    const s1 = await normal(SHIMEN());
    const s2 = await normal(SHIMEN());
    const s3 = await long(SHIMEN(), 56, 2);
    const s4 = await normal(SHIMEN());
    // reviewed on the last China evening of December and the first China morning of February
    const s5 = await normal(SHIMEN());
    const s6 = await normal(SHIMEN());
    // first reviewed in December; its second instalment is rejected in January
    const s7 = await long(SHIMEN(), 56, 2);
    // Chengguan, January 2025: 2 reviewed (1 approved), 1 still pending, 1 cancelled unreviewed
    const c1 = await normal(CHENGGUAN());
    const c2 = await normal(CHENGGUAN());
    const c3 = await normal(CHENGGUAN());
    const c4 = await normal(CHENGGUAN());
    for (const rx of [s1, s2, s3, s4, c1, c2, c3, c4]) await backdate(rx, "2025-01-02T01:00:00.000Z");
    for (const rx of [s5, s6, s7]) await backdate(rx, "2024-12-15T01:00:00.000Z");

    await move(first(s1), "2025-01-05T02:00:00.000Z", "approve");
    await move(first(s2), "2025-01-06T02:00:00.000Z", "approve");
    await move(first(s3), "2025-01-07T02:00:00.000Z", "approve");
    await move(second(s3), "2025-01-20T01:00:00.000Z", "release", { source: "system" });
    await move(second(s3), "2025-01-20T05:00:00.000Z", "reject", { changes: { rejectReason: "inappropriate.interaction" } });
    await move(first(s4), "2025-01-08T02:00:00.000Z", "reject", { changes: { rejectReason: "inappropriate.duplicate" } });
    await move(first(s5), "2024-12-31T15:59:59.999Z", "approve");
    await move(first(s6), "2025-01-31T16:00:00.000Z", "approve");
    await move(first(s7), "2024-12-20T02:00:00.000Z", "approve");
    await move(second(s7), "2025-01-15T01:00:00.000Z", "release", { source: "system" });
    await move(second(s7), "2025-01-15T03:00:00.000Z", "reject", { changes: { rejectReason: "abnormal.no_indication" } });
    await move(first(c1), "2025-01-10T02:00:00.000Z", "approve");
    await move(first(c2), "2025-01-11T02:00:00.000Z", "reject", { changes: { rejectReason: "non_standard.diagnosis_missing" } });
    await move(first(c4), "2025-01-12T02:00:00.000Z", "cancel", { note: "患者要求" });
  });

  it("counts each prescription once, by its first decision, per prescribing institution", async () => {
    const r = await report<QualificationRateReport>("qualification-rate?from=2025-01-01&to=2025-01-31");
    expect(r).toMatchObject({ from: "2025-01-01", to: "2025-01-31", groupBy: "institution" });
    expect(groupOf(r, "inst-shimen")).toEqual({
      key: "inst-shimen",
      label: "石门乡卫生院",
      reviewed: 4,
      approved: 3,
      rejected: 1,
      rate: 0.75,
      rejectedByCategory: { non_standard: 0, inappropriate: 1, abnormal: 0, unspecified: 0 },
      review: { sampled: 0, reviewed: 0, rational: 0, non_standard: 0, inappropriate: 0, abnormal: 0, rate: 0 },
    });
    expect(groupOf(r, "inst-chengguan")).toMatchObject({ reviewed: 2, approved: 1, rejected: 1, rate: 0.5, rejectedByCategory: { non_standard: 1, inappropriate: 0, abnormal: 0, unspecified: 0 } });
    expect(r.total).toMatchObject({ reviewed: 6, approved: 4, rejected: 2 });
    expect(r.total.rate).toBeCloseTo(4 / 6, 10);
    // every member institution is listed, zero-filled
    expect(r.groups.map((g) => g.key)).toEqual(expect.arrayContaining(["inst-city", "inst-county", "inst-fenglin", "inst-xikou", "inst-taoyuan"]));
    expect(groupOf(r, "inst-county")).toMatchObject({ reviewed: 0, approved: 0, rejected: 0, rate: 0 });
  });

  it("groups by China month: a decision at 23:59:59 China time on 31 December stays in December", async () => {
    const r = await report<QualificationRateReport>("qualification-rate?from=2024-12-01&to=2025-02-28&groupBy=month");
    expect(r.groups.map((g) => [g.key, g.reviewed, g.approved])).toEqual([
      ["2024-12", 2, 2],
      ["2025-01", 6, 4],
      ["2025-02", 1, 1],
    ]);
    expect(r.total).toMatchObject({ reviewed: 9, approved: 7, rejected: 2 });
  });

  it("a single day is a valid period", async () => {
    const r = await report<QualificationRateReport>("qualification-rate?from=2025-01-08&to=2025-01-08");
    expect(r.total).toMatchObject({ reviewed: 1, approved: 0, rejected: 1, rate: 0 });
  });
});

describe("GET /reports/turnaround", () => {
  beforeAll(async () => {
    await loadDemoSeed();
    const start = Date.parse("2025-04-10T00:00:00.000Z");
    // Shimen: review in 1, 2, 3 and 4 hours; two of them handed over 24 and 48 hours after approval
    const t = [await normal(SHIMEN()), await normal(SHIMEN(), "delivery"), await normal(SHIMEN()), await normal(SHIMEN())];
    for (const rx of t) await backdate(rx, new Date(start).toISOString());
    const [t1, t2, t3, t4] = t.map(first) as [string, string, string, string];
    await move(t1, start + 1 * HOUR, "approve");
    await move(t1, start + 2 * HOUR, "dispense");
    await move(t1, start + 3 * HOUR, "ready", { notify: { pickupCode: "123456" } });
    await move(t1, start + 25 * HOUR, "handover");
    await move(t2, start + 2 * HOUR, "approve");
    await move(t2, start + 3 * HOUR, "dispense");
    await move(t2, start + 4 * HOUR, "ship", { changes: { carrier: "顺丰速运", trackingNo: "SF0001" } });
    await move(t2, start + 50 * HOUR, "deliver");
    await move(t3, start + 3 * HOUR, "approve");
    await move(t4, start + 4 * HOUR, "reject", { changes: { rejectReason: "inappropriate.dosage" } });
    // Chengguan: one review in 10 hours
    const c1 = await normal(CHENGGUAN());
    await backdate(c1, "2025-04-11T00:00:00.000Z");
    await move(first(c1), "2025-04-11T10:00:00.000Z", "approve");
  });

  it("gives exact median, p90 and mean per institution and in total", async () => {
    const r = await report<TurnaroundReport>("turnaround?from=2025-04-01&to=2025-04-30");
    expect(groupOf(r, "inst-shimen")).toEqual({
      key: "inst-shimen",
      label: "石门乡卫生院",
      review: { count: 4, medianHours: 2.5, p90Hours: 3.7, meanHours: 2.5 },
      fulfilment: { count: 2, medianHours: 36, p90Hours: 45.6, meanHours: 36 },
    });
    expect(groupOf(r, "inst-chengguan")).toMatchObject({
      review: { count: 1, medianHours: 10, p90Hours: 10, meanHours: 10 },
      fulfilment: { count: 0, medianHours: 0, p90Hours: 0, meanHours: 0 },
    });
    // the total is ranked over all durations, not averaged from the groups
    expect(r.total).toEqual({
      review: { count: 5, medianHours: 3, p90Hours: 7.6, meanHours: 4 },
      fulfilment: { count: 2, medianHours: 36, p90Hours: 45.6, meanHours: 36 },
    });
    expect(groupOf(r, "inst-county").review.count).toBe(0);
  });

  it("groups by month", async () => {
    const r = await report<TurnaroundReport>("turnaround?from=2025-04-01&to=2025-04-30&groupBy=month");
    expect(r.groups).toEqual([{ key: "2025-04", label: "2025-04", ...r.total }]);
    expect(r.total.review.count).toBe(5);
  });

  it("dates a duration by its end: a hand-over after the period is not counted", async () => {
    const r = await report<TurnaroundReport>("turnaround?from=2025-04-01&to=2025-04-11");
    // China 11 April ends at 2025-04-11T16:00Z: t2's delivery (12 April, 02:00Z) falls outside
    expect(r.total.fulfilment.count).toBe(1);
    expect(r.total.review.count).toBe(5);
  });
});

describe("GET /reports/long-prescriptions", () => {
  beforeAll(async () => {
    await loadDemoSeed();
    const shimen = [await long(SHIMEN(), 28), await long(SHIMEN(), 56, 2), await long(SHIMEN(), 84), await normal(SHIMEN())];
    const chengguan = [await normal(CHENGGUAN())];
    for (const rx of [...shimen, ...chengguan]) await backdate(rx, "2025-05-12T03:00:00.000Z");
    // a cancelled prescription was still signed
    const cancelled = await api("POST", `/prescriptions/${shimen[2]!.id}/cancel`, { token: await SHIMEN(), body: { reason: "患者改用其他方案" } });
    expect(cancelled.status).toBe(200);
  });

  it("gives the long share of signed prescriptions and their mean days per institution", async () => {
    const r = await report<LongPrescriptionReport>("long-prescriptions?from=2025-05-01&to=2025-05-31");
    expect(groupOf(r, "inst-shimen")).toEqual({ key: "inst-shimen", label: "石门乡卫生院", signed: 4, longTerm: 3, share: 0.75, longTermMeanDays: 56, longTermOver28Days: 2 });
    expect(groupOf(r, "inst-chengguan")).toMatchObject({ signed: 1, longTerm: 0, share: 0, longTermMeanDays: 0, longTermOver28Days: 0 });
    expect(r.total).toEqual({ signed: 5, longTerm: 3, share: 0.6, longTermMeanDays: 56, longTermOver28Days: 2 });
  });

  it("groups by month", async () => {
    const r = await report<LongPrescriptionReport>("long-prescriptions?from=2025-05-01&to=2025-06-30&groupBy=month");
    expect(r.groups).toEqual([
      { key: "2025-05", label: "2025-05", ...r.total },
      { key: "2025-06", label: "2025-06", signed: 0, longTerm: 0, share: 0, longTermMeanDays: 0, longTermOver28Days: 0 },
    ]);
  });
});

describe("GET /reports/orders-by-state", () => {
  beforeAll(async () => {
    await loadDemoSeed();
    const at = "2025-07-08T02:00:00.000Z";
    const [o1, o2, o3, o4, o6] = [await normal(SHIMEN()), await normal(SHIMEN()), await normal(CHENGGUAN()), await normal(CHENGGUAN()), await normal(SHIMEN())];
    const o5 = await long(SHIMEN(), 56, 2);
    for (const rx of [o1, o2, o3, o4, o5, o6]) await backdate(rx, at);
    await move(first(o2), at, "approve");
    await move(first(o3), at, "reject", { changes: { rejectReason: "non_standard.incomplete" } });
    for (const action of ["approve", "dispense", "ready", "handover"] as const) await move(first(o4), at, action, action === "ready" ? { notify: { pickupCode: "654321" } } : {});
    await move(first(o6), at, "cancel", { note: "患者要求" });
  });

  it("counts the period's orders by current status for every pharmacy", async () => {
    const r = await report<OrdersByStateReport>("orders-by-state?from=2025-07-01&to=2025-07-31");
    const zeros = Object.fromEntries(ORDER_STATUSES.map((s) => [s, 0])) as Record<OrderStatus, number>;
    const cloud = { total: 7, byStatus: { ...zeros, scheduled: 1, pending_review: 2, approved: 1, rejected: 1, picked_up: 1, cancelled: 1 } };
    expect(r).toEqual({
      from: "2025-07-01",
      to: "2025-07-31",
      total: cloud,
      pharmacies: [
        { pharmacyId: "pharm-cloud", pharmacyName: "青溪县域云药房", ...cloud },
        { pharmacyId: "pharm-renhe", pharmacyName: "仁和大药房（桃源店）", total: 0, byStatus: zeros },
      ],
    });
  });

  it("defaults to the current China month", async () => {
    const r = await report<OrdersByStateReport>("orders-by-state");
    const today = chinaDate(new Date());
    expect(r.from).toBe(`${today.slice(0, 7)}-01`);
    expect(r.to.slice(0, 7)).toBe(today.slice(0, 7));
    expect(r.to >= today).toBe(true);
  });
});

describe("report cost", () => {
  beforeAll(loadDemoSeed);

  it("each report is one D1 round trip, whatever the grouping", async () => {
    const counts: number[] = [];
    const run = async (f: (ctx: { db: ReturnType<typeof getDb>; now: Date }) => Promise<unknown>) => {
      const counter = countingD1(env.DB);
      await f({ db: getDb(counter.db), now: new Date() });
      counts.push(counter.count());
    };
    for (const groupBy of ["institution", "month"] as const) {
      const q = { from: "2025-01-01", to: "2025-07-31", groupBy };
      await run((ctx) => qualificationRateReport(ctx, q));
      await run((ctx) => longPrescriptionReport(ctx, q));
      await run((ctx) => turnaroundReport(ctx, q));
    }
    await run((ctx) => ordersByStateReport(ctx, { from: "2025-01-01", to: "2025-07-31" }));
    expect(counts).toEqual([1, 1, 1, 1, 1, 1, 1]);
  });
});
