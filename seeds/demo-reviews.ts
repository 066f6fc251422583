/**
 * Last month's prescriptions of a village clinic (桃源镇溪口村卫生室), so a new admin opening
 * 处方点评 finds a finished month to draw from (seeds/local-seed.ts loads them for `npm start`
 * and the browser tests). "Last month" is the China month before `now`. A few carry the
 * warnings the engine would have stored at signing (a duplicate class, a moderate
 * interaction, a short quantity), which the review page pre-fills as suggested items.
 */
import type { BoundStatement } from "../worker/db/bulk";
import type { EntryContent } from "../worker/formulary/formulary.schemas";
import { chinaDate } from "../worker/lib/clock";
import type { Signer } from "../worker/signing/signer";
import type { StoredFinding } from "../worker/signing/findings.schema";
import { type DemoPrescription, demoPrescriptionStatements } from "./demo-history";

type Template = Pick<DemoPrescription, "diagnoses" | "items" | "days"> & { findings?: StoredFinding[] };

const HTN = { icd10: "I10", name: "原发性高血压" };
const URTI = { icd10: "J06.9", name: "急性上呼吸道感染" };

const TEMPLATES: readonly Template[] = [
  { diagnoses: [HTN], days: 7, items: [{ drugCode: "W185-01", dose: { value: 5, unit: "mg" }, frequency: "qd", days: 7, packages: 1 }] },
  { diagnoses: [URTI], days: 3, items: [{ drugCode: "W076-01", dose: { value: 0.3, unit: "g" }, frequency: "tid", days: 3, packages: 9 }] },
  {
    diagnoses: [HTN],
    days: 7,
    items: [
      { drugCode: "W185-01", dose: { value: 5, unit: "mg" }, frequency: "qd", days: 7, packages: 1 },
      { drugCode: "W154-05", dose: { value: 30, unit: "mg" }, frequency: "qd", days: 7, packages: 7 },
    ],
    findings: [
      {
        ruleId: "safety-duplicate-class",
        severity: "warning",
        itemIndex: 1,
        message: "硝苯地平与氨氯地平同属二氢吡啶类钙通道阻滞剂（ATC C08CA），同时使用属同类重复",
        source: "医疗机构处方审核规范（2018）第十五条",
      },
    ],
  },
  { diagnoses: [{ icd10: "E11.9", name: "2型糖尿病" }], days: 7, items: [{ drugCode: "W315-05", dose: { value: 0.5, unit: "g" }, frequency: "bid", days: 7, packages: 14 }] },
  {
    diagnoses: [{ icd10: "M25.5", name: "关节痛" }, { icd10: "I25.1", name: "冠状动脉粥样硬化性心脏病" }],
    days: 5,
    items: [
      { drugCode: "W078-03", dose: { value: 0.2, unit: "g" }, frequency: "tid", days: 5, packages: 15 },
      { drugCode: "W077-06", dose: { value: 0.1, unit: "g" }, frequency: "qd", days: 5, packages: 1 },
    ],
    findings: [
      {
        ruleId: "safety-interaction-moderate",
        severity: "warning",
        itemIndex: 0,
        message: "布洛芬可减弱阿司匹林的抗血小板作用，并增加消化道出血风险",
        source: "药品说明书【药物相互作用】",
      },
    ],
  },
  {
    diagnoses: [{ icd10: "E78.5", name: "高脂血症" }],
    days: 7,
    items: [{ drugCode: "W201-02", dose: { value: 20, unit: "mg" }, frequency: "qn", days: 7, packages: 7 }],
  },
  {
    diagnoses: [URTI],
    days: 5,
    items: [{ drugCode: "W076-02", dose: { value: 0.5, unit: "g" }, frequency: "tid", days: 5, packages: 10 }],
    findings: [
      {
        ruleId: "rx-quantity-short",
        severity: "warning",
        itemIndex: 0,
        message: "发药 10 片只够 3 天，少于处方天数 5 天",
        source: "处方管理办法（2007）第十八条",
      },
    ],
  },
];

/**
 * Who writes them: 彭秀兰 of 桃源镇溪口村卫生室 only, so the other demo doctors' lists (which
 * the browser tests read) stay as they were.
 */
const WRITER = { prescriberId: "doc-xikou-village", prescriberTitle: "junior", institutionId: "inst-xikou", institutionLevel: "village" } as const;
const COUNT = 14;

/** The China month before `now`, 'YYYY-MM'. */
export function lastChinaMonth(now: Date): string {
  const [y, m] = chinaDate(now).slice(0, 7).split("-").map(Number) as [number, number];
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, "0")}`;
}

/** The demo prescriptions of last month, each with the findings stored at its signing. */
export function demoReviewPrescriptions(now: Date): { rx: DemoPrescription; findings: StoredFinding[] }[] {
  const month = lastChinaMonth(now);
  const out: { rx: DemoPrescription; findings: StoredFinding[] }[] = [];
  for (let n = 0; n < COUNT; n++) {
    const template = TEMPLATES[n % TEMPLATES.length] as Template;
    // days 1–20: every supply has ended before this month begins, so no demo doctor's checks today see it
    const day = String(1 + ((n * 3) % 20)).padStart(2, "0");
    const at = new Date(`${month}-${day}T08:${String((n * 7) % 60).padStart(2, "0")}:00+08:00`);
    out.push({
      rx: {
        ...WRITER,
        id: `rx_demo_review_${String(n + 1).padStart(2, "0")}`,
        patientId: `pat-${String((n % 12) + 1).padStart(3, "0")}`,
        kind: "normal",
        writtenAt: at.toISOString(),
        date: chinaDate(at),
        days: template.days,
        status: "completed",
        diagnoses: template.diagnoses,
        items: template.items,
        longTerm: null,
        fulfilment: { mode: "pickup", pickupSiteId: "site-cloud-shimen" },
      },
      findings: template.findings ?? [],
    });
  }
  return out;
}

export async function demoReviewStatements(signer: Signer, entries: EntryContent[], formularyVersion: number, now: Date): Promise<BoundStatement[]> {
  const statements: BoundStatement[] = [];
  for (const { rx, findings } of demoReviewPrescriptions(now)) {
    statements.push(...(await demoPrescriptionStatements(signer, entries, formularyVersion, rx)).statements);
    if (findings.length) statements.push({ sql: "UPDATE prescriptions SET findings = ? WHERE id = ?", params: [JSON.stringify(findings), rx.id] });
  }
  return statements;
}
