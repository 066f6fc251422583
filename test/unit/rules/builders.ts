/**
 * One valid baseline RuleContext and the drugs the scenarios add to it (Medplum's
 * deepClone(VALID) pattern: every call returns a fresh copy, a case changes one thing).
 *
 * Baseline: 2026-09-01, a stable patient with hypertension (I10) and type 2 diabetes
 * (E11.9), a junior-titled village doctor (general practice) renewing a 12-week long
 * prescription of amlodipine 5 mg qd and metformin 0.5 g bid. The first long prescription
 * was written 2026-06-09 for 84 days, so its supply covers 06-09 … 08-31 and no longer
 * covers the prescription date. Another institution's atorvastatin still covers it.
 */
import { expect, it } from "vitest";
import { RULES, validateDraft } from "../../../worker/rules";
import type { ConsortiumPolicy, Draft, DraftItem, Finding, FormularyView, PatientRecord, Prescriber, RuleContext, RuleDrug, SupplyLine } from "../../../worker/rules";

export const AMLODIPINE = "W185-01";
export const METFORMIN = "W315-01";

/** Amlodipine besylate 5 mg tablets, 28 per box (NEML W185; facts from seeds/neml/facts-chronic.ts). */
export function anAmlodipine(overrides: Partial<RuleDrug> = {}): RuleDrug {
  return {
    code: AMLODIPINE,
    genericName: "氨氯地平",
    innName: "Amlodipine",
    form: "片剂",
    strength: { value: 5, unit: "mg" },
    pack: { size: 28, unit: "片" },
    route: "oral",
    atc: "C08CA01",
    controlClass: null,
    antimicrobial: null,
    antiTb: false,
    storage: "normal",
    longRxEligible: true,
    conditions: ["I10", "I20", "I25"],
    minLevel: "village",
    maxDailyDose: { value: 10, unit: "mg" },
    status: "active",
    effectiveFrom: "2026-01-01",
    ...overrides,
  };
}

/** Metformin 0.5 g tablets, 48 per box; max 2550 mg a day (plain tablets). */
export function aMetformin(overrides: Partial<RuleDrug> = {}): RuleDrug {
  return anAmlodipine({
    code: METFORMIN,
    genericName: "二甲双胍",
    innName: "Metformin",
    strength: { value: 0.5, unit: "g" },
    pack: { size: 48, unit: "片" },
    atc: "A10BA02",
    conditions: ["E11"],
    maxDailyDose: { value: 2550, unit: "mg" },
    ...overrides,
  });
}

/** Drugs the scenarios add; each a real product with its real class facts. */
export const DRUGS = {
  amoxicillin: () =>
    anAmlodipine({
      code: "W001-01",
      genericName: "阿莫西林",
      innName: "Amoxicillin",
      form: "胶囊",
      strength: { value: 0.25, unit: "g" },
      pack: { size: 24, unit: "粒" },
      atc: "J01CA04",
      antimicrobial: "unrestricted",
      longRxEligible: false,
      conditions: [],
      maxDailyDose: { value: 4, unit: "g" },
    }),
  enalapril: () =>
    anAmlodipine({
      code: "W190-01",
      genericName: "依那普利",
      innName: "Enalapril",
      strength: { value: 10, unit: "mg" },
      pack: { size: 16, unit: "片" },
      atc: "C09AA02",
      conditions: ["I10", "I50"],
      maxDailyDose: { value: 40, unit: "mg" },
    }),
  levamlodipine: () =>
    anAmlodipine({
      code: "W186-01",
      genericName: "左氨氯地平",
      innName: "Levamlodipine",
      strength: { value: 2.5, unit: "mg" },
      atc: "C08CA17",
      conditions: ["I10", "I20"],
      maxDailyDose: { value: 5, unit: "mg" },
    }),
  alendronate: () =>
    anAmlodipine({
      code: "W400-01",
      genericName: "阿仑膦酸钠",
      innName: "Alendronate Sodium",
      strength: { value: 70, unit: "mg" },
      pack: { size: 4, unit: "片" },
      atc: "M05BA04",
      conditions: ["M81"],
      // the 70 mg tablet is taken whole on its day (label: 每周 1 次，一次 70mg; seeds W346)
      maxDailyDose: { value: 70, unit: "mg" },
    }),
  levothyroxine: () =>
    anAmlodipine({
      code: "W420-01",
      genericName: "左甲状腺素钠",
      innName: "Levothyroxine Sodium",
      strength: { value: 50, unit: "µg" },
      pack: { size: 100, unit: "片" },
      atc: "H03AA01",
      conditions: ["E03"],
      maxDailyDose: { value: 0.3, unit: "mg" },
    }),
  /** 100 ml : 2 g, stored as a concentration with the pack counted in ml. */
  ibuprofenSuspension: () =>
    anAmlodipine({
      code: "W010-02",
      genericName: "布洛芬",
      innName: "Ibuprofen",
      form: "混悬液",
      strength: { value: 20, unit: "mg/ml" },
      pack: { size: 100, unit: "ml" },
      atc: "M01AE01",
      longRxEligible: false,
      conditions: [],
      maxDailyDose: { value: 2400, unit: "mg" },
    }),
  /** A concentration sold per bottle with no volume recorded. */
  ambroxolSolution: () =>
    anAmlodipine({
      code: "W230-03",
      genericName: "氨溴索",
      innName: "Ambroxol",
      form: "口服溶液",
      strength: { value: 6, unit: "mg/ml" },
      pack: { size: 1, unit: "瓶" },
      atc: "R05CB06",
      longRxEligible: false,
      conditions: [],
      maxDailyDose: { value: 90, unit: "mg" },
    }),
  urokinase: (overrides: Partial<RuleDrug> = {}) =>
    anAmlodipine({
      code: "W211-01",
      genericName: "尿激酶",
      innName: "Urokinase",
      form: "注射用无菌粉末",
      strength: { value: 10, unit: "万U" },
      pack: { size: 1, unit: "支" },
      route: "iv",
      atc: "B01AD04",
      longRxEligible: false,
      conditions: [],
      maxDailyDose: null,
      ...overrides,
    }),
  /** 2.5 mg tablets, 16 per bottle; NEML W365, no single ATC code (L01BA01 / L04AX03), so none is set. */
  methotrexate: () =>
    anAmlodipine({
      code: "W365-01",
      genericName: "甲氨蝶呤",
      innName: "Methotrexate",
      strength: { value: 2.5, unit: "mg" },
      pack: { size: 16, unit: "片" },
      atc: null,
      longRxEligible: false,
      conditions: [],
      maxDailyDose: null,
    }),
  /** Levofloxacin 0.5 g tablets (W030; graded unrestricted here, restricted in some provincial catalogues). */
  levofloxacin: () =>
    anAmlodipine({
      code: "W030-01",
      genericName: "左氧氟沙星",
      innName: "Levofloxacin",
      strength: { value: 0.5, unit: "g" },
      pack: { size: 4, unit: "片" },
      atc: "J01MA12",
      antimicrobial: "unrestricted",
      longRxEligible: false,
      conditions: [],
      maxDailyDose: { value: 0.75, unit: "g" },
    }),
  /** Moxifloxacin 0.4 g tablets (W031, restricted). */
  moxifloxacin: () =>
    anAmlodipine({
      code: "W031-01",
      genericName: "莫西沙星",
      innName: "Moxifloxacin",
      strength: { value: 0.4, unit: "g" },
      pack: { size: 3, unit: "片" },
      atc: "J01MA14",
      antimicrobial: "restricted",
      longRxEligible: false,
      conditions: [],
      maxDailyDose: { value: 0.4, unit: "g" },
    }),
  /** Doxycycline 0.1 g tablets (W018, unrestricted). */
  doxycycline: () =>
    anAmlodipine({
      code: "W018-01",
      genericName: "多西环素",
      innName: "Doxycycline",
      strength: { value: 0.1, unit: "g" },
      pack: { size: 10, unit: "片" },
      atc: "J01AA02",
      antimicrobial: "unrestricted",
      longRxEligible: false,
      conditions: [],
      maxDailyDose: { value: 0.2, unit: "g" },
    }),
  /** Caspofungin 50 mg for infusion (W040, special use). */
  caspofungin: (overrides: Partial<RuleDrug> = {}) =>
    anAmlodipine({
      code: "W040-01",
      genericName: "卡泊芬净",
      innName: "Caspofungin",
      form: "注射用无菌粉末",
      strength: { value: 50, unit: "mg" },
      pack: { size: 1, unit: "支" },
      route: "iv",
      atc: "J02AX04",
      antimicrobial: "special",
      longRxEligible: false,
      conditions: [],
      maxDailyDose: { value: 70, unit: "mg" },
      ...overrides,
    }),
  /** Glibenclamide 2.5 mg tablets (W316): max 15 mg a day. */
  glibenclamide: () =>
    anAmlodipine({
      code: "W316-01",
      genericName: "格列本脲",
      innName: "Glibenclamide",
      strength: { value: 2.5, unit: "mg" },
      pack: { size: 100, unit: "片" },
      atc: "A10BB01",
      conditions: ["E11"],
      maxDailyDose: { value: 15, unit: "mg" },
    }),
  /** Chlorphenamine 4 mg tablets (W347): a first-generation antihistamine. */
  chlorphenamine: () =>
    anAmlodipine({
      code: "W347-01",
      genericName: "氯苯那敏",
      innName: "Chlorphenamine",
      strength: { value: 4, unit: "mg" },
      pack: { size: 100, unit: "片" },
      atc: "R06AB04",
      longRxEligible: false,
      conditions: [],
      maxDailyDose: null,
    }),
  morphine: () =>
    anAmlodipine({
      code: "W020-02",
      genericName: "吗啡",
      innName: "Morphine",
      form: "缓释片",
      strength: { value: 30, unit: "mg" },
      pack: { size: 10, unit: "片" },
      atc: "N02AA01",
      controlClass: "narcotic",
      longRxEligible: false,
      conditions: [],
      maxDailyDose: null,
    }),
} satisfies Record<string, () => RuleDrug>;

export function aView(drug: RuleDrug, overrides: Partial<FormularyView> = {}): FormularyView {
  return { drug, inEffect: true, version: 7, ...overrides };
}

/** Amlodipine 5 mg once a day for 84 days: 84 tablets, exactly 3 boxes. */
export function anItem(overrides: Partial<DraftItem> = {}): DraftItem {
  return { drugCode: AMLODIPINE, dose: { value: 5, unit: "mg" }, frequency: "qd", route: "oral", days: 84, packages: 3, ...overrides };
}

export function aSupplyLine(overrides: Partial<SupplyLine> = {}): SupplyLine {
  return {
    prescriptionId: "RX-20260609-0001",
    institutionId: "INST-VILLAGE-01",
    drugCode: AMLODIPINE,
    genericName: "氨氯地平",
    atc: "C08CA01",
    route: "oral",
    startDate: "2026-06-09",
    days: 84,
    ...overrides,
  };
}

function baseline(): RuleContext {
  return {
    draft: {
      patientId: "PAT-0001",
      kind: "long_term",
      writtenAt: "2026-09-01T09:30:00+08:00",
      diagnoses: [
        { icd10: "I10", name: "原发性高血压" },
        { icd10: "E11.9", name: "2型糖尿病" },
      ],
      items: [
        anItem(),
        // 0.5 g twice a day for 84 days: 168 tablets, 3.5 boxes → 4 boxes.
        anItem({ drugCode: METFORMIN, dose: { value: 0.5, unit: "g" }, frequency: "bid", packages: 4 }),
      ],
      longTerm: { firstIssue: false, assessment: "血压、血糖控制达标，用药方案稳定，依从性好，评估可开具 12 周长期处方", patientConfirmed: true },
    },
    prescriber: {
      id: "DOC-VILLAGE-01",
      title: "junior",
      specialties: ["general_practice"],
      institutionId: "INST-VILLAGE-01",
      institutionLevel: "village",
    },
    patient: {
      id: "PAT-0001",
      birthDate: "1956-03-14",
      gender: "female",
      conditions: [
        { icd10: "I10", chronic: true, stable: true, diagnosedAt: "2018-05-02" },
        { icd10: "E11.9", chronic: true, stable: true, diagnosedAt: "2020-11-20" },
        { icd10: "J06.9", chronic: false, stable: true, diagnosedAt: "2026-03-01" },
      ],
      allergies: [{ substance: "磺胺", atcPrefix: "J01E" }],
      events: [{ type: "admission", at: "2025-12-02" }],
      egfr: null,
      pregnancy: null,
    },
    formulary: { [AMLODIPINE]: aView(anAmlodipine()), [METFORMIN]: aView(aMetformin()) },
    activeSupply: [
      aSupplyLine(),
      aSupplyLine({ drugCode: METFORMIN, genericName: "二甲双胍", atc: "A10BA02" }),
      aSupplyLine({
        prescriptionId: "RX-20260815-0042",
        institutionId: "INST-COUNTY-HOSP",
        drugCode: "W240-01",
        genericName: "阿托伐他汀",
        atc: "C10AA05",
        startDate: "2026-08-15",
        days: 30,
      }),
    ],
    lastLongPrescription: { prescriptionId: "RX-20260609-0001", writtenAt: "2026-06-09T10:00:00+08:00", firstIssue: true },
    interactions: [
      {
        id: "IX-SIMVASTATIN-AMLODIPINE",
        a: { name: "辛伐他汀" },
        b: { atcPrefix: "C08CA01" },
        severity: "moderate",
        note: "氨氯地平升高辛伐他汀血药浓度，合用时辛伐他汀每日不超过 20mg",
        source: "辛伐他汀片说明书",
      },
      {
        id: "IX-ACEI-ARNI",
        a: { atcPrefix: "C09AA" },
        b: { name: "沙库巴曲缬沙坦" },
        severity: "major",
        note: "合用增加血管性水肿风险，禁止合用，换药须间隔 36 小时",
        source: "沙库巴曲缬沙坦钠片说明书",
      },
    ],
    relatedSpecialties: {
      I10: ["cardiology", "internal_medicine", "geriatrics", "general_practice"],
      E11: ["endocrinology", "internal_medicine", "general_practice"],
    },
    // the national defaults (worker/settings/settings.schemas.ts)
    policy: { coldChainOnLongRx: false, antiviralsOnLongRx: false, refillGraceDays: 7 },
  };
}

export type Change = Partial<RuleContext> | ((ctx: RuleContext) => void);

/**
 * A normal prescription of one drug (replacing the baseline's items), for drugs outside the
 * long-term list: 3 days and one package unless the item says otherwise.
 */
export function onlyItem(drug: RuleDrug, item: Partial<DraftItem> = {}): (c: RuleContext) => void {
  return (c) => {
    c.draft.kind = "normal";
    c.draft.longTerm = undefined;
    c.formulary[drug.code] = aView(drug);
    c.draft.items = [anItem({ drugCode: drug.code, days: 3, packages: 1, ...item })];
  };
}

/** The baseline with the given changes applied in order (objects shallow-merge, functions mutate). */
export function aRuleContext(...changes: Change[]): RuleContext {
  const ctx = baseline();
  for (const change of changes) {
    if (typeof change === "function") change(ctx);
    else Object.assign(ctx, change);
  }
  return ctx;
}

/** A change adding `drug` to the formulary and an item for it to the draft. */
export function addItem(drug: RuleDrug, item: Partial<DraftItem> = {}): (ctx: RuleContext) => void {
  return (ctx) => {
    ctx.formulary[drug.code] = aView(drug);
    ctx.draft.items.push(anItem({ drugCode: drug.code, ...item }));
  };
}

/** A change replacing the formulary entry behind `code` (same item on the draft). */
export function withDrug(code: string, drug: RuleDrug, view: Partial<FormularyView> = {}): (ctx: RuleContext) => void {
  return (ctx) => {
    ctx.formulary[code] = aView(drug, view);
  };
}

/** Changes to one part of the context (shallow: the named fields are replaced). */
export const withDraft = (patch: Partial<Draft>) => (ctx: RuleContext) => void Object.assign(ctx.draft, patch);
export const withPatient = (patch: Partial<PatientRecord>) => (ctx: RuleContext) => void Object.assign(ctx.patient, patch);
export const withPrescriber = (patch: Partial<Prescriber>) => (ctx: RuleContext) => void Object.assign(ctx.prescriber, patch);
export const withPolicy = (patch: Partial<ConsortiumPolicy>) => (ctx: RuleContext) => void Object.assign(ctx.policy, patch);

/** A change to draft item `index`. */
export function withItem(index: number, patch: Partial<DraftItem>): (ctx: RuleContext) => void {
  return (ctx) => {
    const item = ctx.draft.items[index];
    if (!item) throw new Error(`no item ${index}`);
    Object.assign(item, patch);
  };
}

export type Expected = Pick<Finding, "ruleId" | "severity" | "itemIndex" | "path">;

/** What a scenario asserts of each finding: which rule, how severe, where. */
export function located(findings: Finding[]): Expected[] {
  return findings.map(({ ruleId, severity, itemIndex, path }) => {
    const e: Expected = { ruleId, severity };
    if (itemIndex !== undefined) e.itemIndex = itemIndex;
    if (path !== undefined) e.path = path;
    return e;
  });
}

export interface Scenario {
  name: string;
  change: Change | Change[];
  /** every finding expected, in any order; [] means the change is allowed */
  expected: Expected[];
}

function byKey(a: Expected, b: Expected): number {
  return JSON.stringify(a) < JSON.stringify(b) ? -1 : 1;
}

/** Spectral's testRule: one `it` per case, asserting exactly the findings listed and nothing else. */
export function testScenarios(cases: Scenario[]): void {
  it.each(cases)("$name", ({ change, expected }) => {
    const changes = Array.isArray(change) ? change : [change];
    const result = validateDraft(aRuleContext(...changes), RULES);
    expect(located(result.findings).sort(byKey)).toEqual([...expected].sort(byKey));
    expect(result.valid).toBe(!expected.some((e) => e.severity === "error"));
  });
}
