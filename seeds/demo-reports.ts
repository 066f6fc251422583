/**
 * Three months of believable history for the admins' reports (统计报表), written at load
 * time relative to `now`: prescriptions signed across the consortium's village, township
 * and county institutions, their orders reviewed, dispensed and handed over (a few
 * rejected, by 处方点评 category), and a closed 处方点评 sample two months back. So 刘建军,
 * signing in to a fresh `npm start`, can answer "how did our village clinics do last month?".
 *
 * Kept clear of what the browser tests and the other demo stories read: no pat-001 or
 * pat-009, no supply line reaching into the current month, no rejection for a
 * doctor whose inbox a browser test counts (曹德贵, 邓春梅, 周建国), no order left open on a
 * desk, and no 点评 sample for last month (the review page's demo draws that one).
 * Deterministic: the same `now` gives the same rows.
 */
import { orderEvents, orders, reviewItems, reviewSamples } from "../schema";
import { type BoundStatement, bulkInsert } from "../worker/db/bulk";
import type { EntryContent } from "../worker/formulary/formulary.schemas";
import { chinaDate } from "../worker/lib/clock";
import type { OrderRow } from "../worker/pharmacy/orders/orders.repo";
import type { Signer } from "../worker/signing/signer";
import { type DemoPrescription, demoSignedOrders } from "./demo-history";

type Prescriber = Pick<DemoPrescription, "prescriberId" | "prescriberTitle" | "institutionId" | "institutionLevel"> & {
  /** prescriptions a month */
  volume: number;
  /** the pool of templates this doctor writes from (indexes into TEMPLATES) */
  writes: readonly number[];
  /** whether the pharmacist may reject one (not for doctors whose inbox a browser test counts) */
  mayReject: boolean;
};

const doctor = (
  prescriberId: string,
  prescriberTitle: DemoPrescription["prescriberTitle"],
  institutionId: string,
  institutionLevel: DemoPrescription["institutionLevel"],
  volume: number,
  writes: readonly number[],
  mayReject = true,
): Prescriber => ({ prescriberId, prescriberTitle, institutionId, institutionLevel, volume, writes, mayReject });

type Item = DemoPrescription["items"][number];
const item = (drugCode: string, value: number, unit: string, frequency: string, days: number, packages: number): Item => ({ drugCode, dose: { value, unit }, frequency, days, packages });

const HTN = { icd10: "I10", name: "原发性高血压" };
const T2DM = { icd10: "E11.9", name: "2型糖尿病" };
const URTI = { icd10: "J06.9", name: "急性上呼吸道感染" };
const AB = { icd10: "J20.9", name: "急性支气管炎" };

interface Template {
  diagnoses: DemoPrescription["diagnoses"];
  items: readonly Item[];
  /** a long prescription of 28 days (written on the 1st, so it ends before the current month begins) */
  long?: boolean;
}

const TEMPLATES: readonly Template[] = [
  /* 0 */ { diagnoses: [HTN], items: [item("W185-01", 5, "mg", "qd", 7, 1)] },
  /* 1 */ { diagnoses: [URTI], items: [item("W076-01", 0.3, "g", "tid", 3, 9)] },
  /* 2 */ { diagnoses: [AB], items: [item("W006-05", 0.5, "g", "tid", 5, 30), item("W076-01", 0.3, "g", "tid", 3, 9)] },
  /* 3 */ { diagnoses: [T2DM], items: [item("W315-05", 0.5, "g", "bid", 7, 14)] },
  /* 4 */ { diagnoses: [HTN, T2DM], items: [item("W185-01", 5, "mg", "qd", 7, 1), item("W315-05", 0.5, "g", "bid", 7, 14)] },
  /* 5 */ { diagnoses: [{ icd10: "E78.5", name: "高脂血症" }], items: [item("W201-02", 20, "mg", "qn", 7, 7)] },
  /* 6 */ { diagnoses: [HTN], items: [item("W154-05", 30, "mg", "qd", 7, 7), item("W077-06", 0.1, "g", "qd", 7, 1)] },
  /* 7 */ { diagnoses: [{ icd10: "M25.5", name: "关节痛" }], items: [item("W078-03", 0.2, "g", "tid", 5, 15)] },
  /* 8: 基层/县级 injections */ { diagnoses: [{ icd10: "I20.9", name: "心绞痛" }], items: [item("W151-03", 5, "mg", "qd", 1, 1), item("W077-06", 0.1, "g", "qd", 7, 1)] },
  /* 9 */ { diagnoses: [HTN], long: true, items: [item("W185-01", 5, "mg", "qd", 28, 1)] },
  /* 10 */ { diagnoses: [HTN, T2DM], long: true, items: [item("W185-01", 5, "mg", "qd", 28, 1), item("W315-05", 0.5, "g", "bid", 28, 56)] },
  /* 11 */ { diagnoses: [AB], items: [item("W006-05", 0.5, "g", "tid", 5, 30)] },
];

const VILLAGE = [0, 1, 2, 2, 3, 4, 7, 11, 11, 1] as const;
const TOWNSHIP = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11] as const;
const COUNTY = [0, 3, 4, 5, 6, 8, 8, 9, 10, 10, 2] as const;

const PRESCRIBERS: readonly Prescriber[] = [
  doctor("doc-fenglin-village", "junior", "inst-fenglin", "village", 9, VILLAGE, false),
  doctor("doc-xikou-village", "junior", "inst-xikou", "village", 7, [1, 2, 11, 11, 2, 7, 0, 3]),
  doctor("doc-chengguan-gp-junior", "junior", "inst-chengguan", "primary", 10, TOWNSHIP),
  doctor("doc-shimen-gp-junior", "junior", "inst-shimen", "primary", 8, TOWNSHIP),
  doctor("doc-taoyuan-gp-intermediate", "intermediate", "inst-taoyuan", "primary", 9, TOWNSHIP),
  doctor("doc-taoyuan-gp-junior", "junior", "inst-taoyuan", "primary", 6, [1, 2, 11, 0, 3, 7, 8]),
  doctor("doc-county-cardio-intermediate", "intermediate", "inst-county", "secondary", 10, COUNTY),
  doctor("doc-county-endo-associate", "associate_senior", "inst-county", "secondary", 8, [3, 4, 5, 10, 10, 3]),
  doctor("doc-county-im-junior", "junior", "inst-county", "secondary", 7, COUNTY),
  doctor("doc-city-cardio-senior", "senior", "inst-city", "tertiary", 5, [0, 6, 8, 9, 5]),
];

/** Patients of the history: the demo patients no browser test or demo story reads. */
const PATIENTS = ["pat-002", "pat-003", "pat-004", "pat-005", "pat-006", "pat-007", "pat-008", "pat-010", "pat-011", "pat-012"] as const;

const PHARMACISTS = ["ph-cloud-1", "ph-cloud-2"] as const;
const SITES = ["site-cloud-chengguan", "site-cloud-shimen"] as const;
const REJECTIONS = ["inappropriate.indication", "non_standard.dosage_unclear", "inappropriate.drug_selection", "abnormal.no_indication"] as const;

/** A small deterministic generator (mulberry32): the same seed, the same history. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** The China month `back` months before `now`'s, 'YYYY-MM'. */
function monthBefore(now: Date, back: number): string {
  const [y, m] = chinaDate(now).slice(0, 7).split("-").map(Number) as [number, number];
  const index = y * 12 + (m - 1) - back;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, "0")}`;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const chinaTime = (month: string, day: number, hour: number, minute: number) =>
  new Date(`${month}-${String(day).padStart(2, "0")}T${String(hour).padStart(2, "0")}:${String(minute).padStart(2, "0")}:00+08:00`);

type EventRow = typeof orderEvents.$inferInsert;

/** The order's life after signing: reviewed within minutes to hours, then dispensed and handed over (or rejected). */
function lifeOf(order: OrderRow, signedAt: Date, rnd: () => number, reject: string | null): EventRow[] {
  const pharmacist = PHARMACISTS[Math.floor(rnd() * PHARMACISTS.length)] ?? "ph-cloud-1";
  const ev = (at: Date, from: OrderRow["status"], to: OrderRow["status"]): EventRow => ({
    orderId: order.id,
    at: at.toISOString(),
    fromStatus: from,
    toStatus: to,
    actorId: pharmacist,
    actorRole: "pharmacist",
    source: "desk",
    note: null,
  });
  // most reviews within the hour, a long tail to the afternoon
  const reviewed = new Date(signedAt.getTime() + (8 + rnd() * 40 + (rnd() < 0.15 ? 120 + rnd() * 240 : 0)) * MINUTE);
  if (reject) {
    Object.assign(order, { status: "rejected", rejectReason: reject, pendingSince: null, version: 2, updatedAt: reviewed.toISOString() });
    return [ev(reviewed, "pending_review", "rejected")];
  }
  const dispensing = new Date(reviewed.getTime() + (10 + rnd() * 50) * MINUTE);
  const ready = new Date(dispensing.getTime() + (15 + rnd() * 45) * MINUTE);
  const events = [ev(reviewed, "pending_review", "approved"), ev(dispensing, "approved", "dispensing")];
  let done: Date;
  if (order.mode === "delivery") {
    done = new Date(ready.getTime() + (20 + rnd() * 28) * HOUR);
    events.push(ev(ready, "dispensing", "shipped"), ev(done, "shipped", "delivered"));
    Object.assign(order, { status: "delivered", carrier: "中国邮政", trackingNo: `YZ${String(Math.floor(rnd() * 1e10)).padStart(10, "0")}` });
  } else {
    // picked up the same afternoon, or the next days
    done = new Date(ready.getTime() + (rnd() < 0.6 ? 1 + rnd() * 5 : 20 + rnd() * 50) * HOUR);
    events.push(ev(ready, "dispensing", "ready_for_pickup"), ev(done, "ready_for_pickup", "picked_up"));
    Object.assign(order, { status: "picked_up", readyAt: ready.toISOString() });
  }
  Object.assign(order, { pendingSince: null, version: 5, updatedAt: done.toISOString() });
  return events;
}

/** The standard item each irrational demo result names (worker/reviews/standard-items.ts): 剂量书写不规范, 适应证不适宜, 无适应证用药. */
const PROBLEM_OF = { non_standard: ["ns-07"], inappropriate: ["ia-01"], abnormal: ["ab-01"], rational: [] } as const;

const OUTCOMES = ["rational", "rational", "rational", "rational", "rational", "rational", "rational", "rational", "non_standard", "inappropriate", "rational", "abnormal"] as const;

/**
 * The demo formulary's 集采 products: the chronic-disease staples the demo prescribes
 * (氨氯地平, 二甲双胍, 阿托伐他汀, 硝苯地平缓释片). The NEML list itself carries no 集采
 * flag, so without this the 集采 indicator would read 0% everywhere. Applied to the entries
 * before they are seeded, so formulary version 1, its history and the signed content agree.
 */
const DEMO_VBP_CODES: ReadonlySet<string> = new Set(["W185-01", "W315-05", "W201-02", "W154-05"]);

export function withDemoVbp(entries: EntryContent[]): EntryContent[] {
  return entries.map((e) => (DEMO_VBP_CODES.has(e.code) ? { ...e, vbp: true } : e));
}

export async function demoReportStatements(signer: Signer, entries: EntryContent[], formularyVersion: number, now: Date): Promise<BoundStatement[]> {
  const statements: BoundStatement[] = [];
  const allOrders: OrderRow[] = [];
  const events: EventRow[] = [];
  const samples: (typeof reviewSamples.$inferInsert)[] = [];
  const sampled: (typeof reviewItems.$inferInsert)[] = [];
  const rnd = random(20_261_101);
  let n = 0;
  for (const back of [3, 2, 1]) {
    const month = monthBefore(now, back);
    const monthly = new Map<string, DemoPrescription[]>();
    for (const who of PRESCRIBERS) {
      // a little busier each month, as the platform settles in
      const volume = who.volume - (back - 1) * 2;
      let rejected = 0;
      for (let k = 0; k < volume; k++) {
        n++;
        const template = TEMPLATES[who.writes[(k + back) % who.writes.length] ?? 0] as Template;
        const long = template.long === true;
        // long prescriptions on the 1st (28 days: over before the current month begins, February too); the rest on days 3–22
        const day = long ? 1 : 3 + Math.floor(rnd() * 20);
        const at = chinaTime(month, day, 8 + Math.floor(rnd() * 9), Math.floor(rnd() * 60));
        const days = Math.max(...template.items.map((i) => i.days));
        const delivery = rnd() < 0.15;
        const reject = who.mayReject && rejected < 1 && rnd() < 0.12 ? (REJECTIONS[n % REJECTIONS.length] ?? null) : null;
        if (reject) rejected++;
        const rx: DemoPrescription = {
          prescriberId: who.prescriberId,
          prescriberTitle: who.prescriberTitle,
          institutionId: who.institutionId,
          institutionLevel: who.institutionLevel,
          id: `rx_demo_rpt_${String(n).padStart(3, "0")}`,
          patientId: PATIENTS[(n * 7) % PATIENTS.length] ?? "pat-002",
          kind: long ? "long_term" : "normal",
          writtenAt: at.toISOString(),
          date: chinaDate(at),
          days,
          // a rejected prescription goes back to its doctor, still signed
          status: reject ? "signed" : "completed",
          diagnoses: template.diagnoses,
          items: template.items,
          longTerm: long ? { firstIssue: true, assessment: "病情稳定，用药方案 3 个月未变，评估后开具 4 周长期处方。", patientConfirmed: true } : null,
          fulfilment: delivery
            ? { mode: "delivery", address: { region: "青溪县", line: "城关镇人民路 12 号", phone: "13800000000" } }
            : { mode: "pickup", pickupSiteId: SITES[n % SITES.length] ?? "site-cloud-shimen" },
        };
        const { statements: signedStatements, plan } = await demoSignedOrders(signer, entries, formularyVersion, rx, at);
        statements.push(...signedStatements);
        const order = plan.orders[0];
        if (!order) continue;
        order.id = `ord_demo_rpt_${String(n).padStart(3, "0")}`;
        for (const e of plan.events) e.orderId = order.id;
        events.push(...plan.events, ...lifeOf(order, at, rnd, reject));
        allOrders.push(order);
        if (!monthly.has(who.institutionId)) monthly.set(who.institutionId, []);
        monthly.get(who.institutionId)?.push(rx);
      }
    }
    // 处方点评 of the months before last, done and closed (last month's sample is the review page's to draw)
    if (back >= 2) {
      for (const [institutionId, written] of monthly) {
        const id = `rs_demo_${month}_${institutionId}`;
        const drawnAt = chinaTime(monthBefore(now, back - 1), 5, 9, 0).toISOString();
        const closedAt = chinaTime(monthBefore(now, back - 1), 12, 17, 0).toISOString();
        const picked = written.filter((_, i) => i % 2 === 0);
        samples.push({ id, month, institutionId, size: 100, population: written.length, seed: `demo-${month}-${institutionId}`, status: "closed", drawnAt, drawnBy: "admin-county", closedAt, closedBy: "admin-county", version: 2 });
        for (const rx of picked) {
          const outcome = OUTCOMES[Math.floor(rnd() * OUTCOMES.length)] ?? "rational";
          sampled.push({
            sampleId: id,
            prescriptionId: rx.id,
            month,
            institutionId,
            prescriberId: rx.prescriberId,
            outcome,
            problems: [...PROBLEM_OF[outcome]],
            note: null,
            reviewerId: "admin-county",
            reviewedAt: chinaTime(monthBefore(now, back - 1), 10, 10, 0).toISOString(),
            version: 2,
          });
        }
      }
    }
  }
  statements.push(...bulkInsert(orders, allOrders), ...bulkInsert(orderEvents, events), ...bulkInsert(reviewSamples, samples), ...bulkInsert(reviewItems, sampled));
  return statements;
}
