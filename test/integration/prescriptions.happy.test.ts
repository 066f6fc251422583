import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "../../worker/db/index";
import { chinaDate, addDays } from "../../worker/lib/clock";
import type { Prescription } from "../../worker/prescriptions/prescriptions.schemas";
import { validatePrescription } from "../../worker/prescriptions/prescriptions.service";
import type { Finding } from "../../worker/rules/types";
import { aLongRenewal, aNormalPrescription, aPastLongPrescription, AMLODIPINE, AMOXICILLIN, METFORMIN } from "../builders/prescriptions";
import { api, tokenFor } from "../support/api";
import { countingD1 } from "../support/d1-counter";
import { loadDemoSeed } from "../support/seed";

interface Validation {
  valid: boolean;
  findings: Finding[];
  formularyVersion: number;
  totals: { days: number; packagesByItem: (number | null)[] };
}

const villageDoctor = () => tokenFor("doctor", "doc-fenglin-village", "inst-fenglin");
const shimenDoctor = () => tokenFor("doctor", "doc-shimen-gp-intermediate", "inst-shimen");
const taoyuanDoctor = () => tokenFor("doctor", "doc-taoyuan-gp-intermediate", "inst-taoyuan");
/** The distinct rule ids of the error findings (a per-item rule may fire once per item). */
const errorIds = (v: Validation) => [...new Set(v.findings.filter((f) => f.severity === "error").map((f) => f.ruleId))];
const today = () => chinaDate(new Date());

async function validate(token: string, draft: unknown) {
  const res = await api<Validation>("POST", "/prescriptions/validate", { token, body: draft });
  expect(res.status).toBe(200);
  return res.body;
}

describe("the issue's scenarios, one response each", () => {
  beforeAll(async () => {
    await loadDemoSeed();
    // pat-001's first long prescription, written 90 days ago and since run out
    await aPastLongPrescription("pat-001", `${addDays(today(), -90)}T02:00:00.000Z`);
  });

  it("passes a village doctor's 12-week metformin + amlodipine renewal for a stable patient", async () => {
    const v = await validate(await villageDoctor(), aLongRenewal());
    expect(errorIds(v)).toEqual([]);
    expect(v.valid).toBe(true);
    expect(v.totals).toEqual({ days: 84, packagesByItem: [168, 3] });
    expect(v.formularyVersion).toBeGreaterThan(0);
  });

  it("fails the same by a junior doctor as a first issue with ltrx-prescriber-qualification", async () => {
    const v = await validate(await villageDoctor(), aLongRenewal({ longTerm: { firstIssue: true, assessment: "首次评估", patientConfirmed: true } }));
    expect(v.valid).toBe(false);
    expect(errorIds(v)).toEqual(["ltrx-prescriber-qualification"]);
  });

  it("fails 13 weeks with ltrx-max-days", async () => {
    const draft = aLongRenewal();
    draft.items = draft.items.map((i) => ({ ...i, days: 91, packages: i.drugCode === METFORMIN ? 182 : 4 }));
    expect(errorIds(await validate(await villageDoctor(), draft))).toEqual(["ltrx-max-days"]);
  });

  it("fails 6 weeks without patient confirmation with ltrx-assessment-required", async () => {
    const draft = aLongRenewal({ longTerm: { firstIssue: false, assessment: "稳定", patientConfirmed: false } });
    draft.items = draft.items.map((i) => ({ ...i, days: 42, packages: i.drugCode === METFORMIN ? 84 : 2 }));
    expect(errorIds(await validate(await villageDoctor(), draft))).toEqual(["ltrx-assessment-required"]);
  });

  it("fails adding amoxicillin with ltrx-drug-excluded, reporting every finding together", async () => {
    const draft = aLongRenewal();
    draft.items.push({ drugCode: AMOXICILLIN, dose: { value: 0.5, unit: "g" }, frequency: "tid", days: 84, packages: 504 });
    const v = await validate(await villageDoctor(), draft);
    expect(v.valid).toBe(false);
    const excluded = v.findings.filter((f) => f.ruleId === "ltrx-drug-excluded");
    expect(excluded).toHaveLength(1);
    expect(excluded[0]).toMatchObject({ severity: "error", itemIndex: 2 });
    expect(excluded[0]?.source).toContain("长期处方");
  });

  it("fails amlodipine at another township while the first prescription still covers the date (safety-duplicate-ingredient)", async () => {
    const first = await api<Prescription>("POST", "/prescriptions", {
      token: await shimenDoctor(),
      headers: { "idempotency-key": crypto.randomUUID() },
      body: aNormalPrescription("pat-003", AMLODIPINE, 7),
    });
    expect(first.status).toBe(201);
    const v = await validate(await taoyuanDoctor(), aNormalPrescription("pat-003", AMLODIPINE, 7));
    const dup = v.findings.filter((f) => f.ruleId === "safety-duplicate-ingredient");
    expect(dup).toHaveLength(1);
    expect(dup[0]).toMatchObject({ severity: "error", itemIndex: 0 });
    expect(v.valid).toBe(false);
  });
});

describe("validation cost", () => {
  beforeAll(loadDemoSeed);

  it("assembles the rule context in one D1 round trip whatever the number of items", async () => {
    const counts: number[] = [];
    for (const n of [1, 5]) {
      const counter = countingD1(env.DB);
      const draft = aLongRenewal();
      draft.items = Array.from({ length: n }, (_, i) => ({ drugCode: i % 2 ? AMLODIPINE : METFORMIN, dose: { value: 0.5, unit: "g" }, frequency: "qd" as const, days: 28, packages: 28 }));
      await validatePrescription(
        { db: getDb(counter.db), actor: { sub: "doc-fenglin-village", org: "inst-fenglin", role: "doctor", name: "" }, requestId: "t", now: new Date() },
        draft,
      );
      counts.push(counter.count());
    }
    expect(counts).toEqual([1, 1]);
  });
});

describe("the formulary version in effect on the prescription date", () => {
  beforeAll(loadDemoSeed);

  async function createEntry(code: string, effectiveFrom: string) {
    const res = await api("POST", "/formulary/drugs", {
      token: await tokenFor("admin", "admin-county", "inst-county"),
      body: { code, genericName: "测试地平", pinyin: "CSDP", form: "片剂", strength: { value: 5, unit: "mg" }, pack: { size: 28, unit: "片" }, route: "oral", minLevel: "village", atc: "C08CA99", effectiveFrom },
    });
    expect(res.status).toBe(201);
  }
  const draftFor = (code: string) => ({ ...aNormalPrescription("pat-007", code, 7), diagnoses: [{ icd10: "I10" }] });
  const inactive = (v: Validation) => v.findings.filter((f) => f.ruleId === "rx-drug-inactive").length;

  it("keeps an entry usable until its suspension date, and a future entry unusable until its start", async () => {
    const tag = `ASOF${Date.now().toString(36).toUpperCase()}`;
    await createEntry(`${tag}-A`, "2026-01-01");
    const suspended = await api("PATCH", `/formulary/drugs/${tag}-A`, {
      token: await tokenFor("admin", "admin-county", "inst-county"),
      headers: { "if-match": '"1"' },
      body: { status: "suspended", effectiveFrom: addDays(today(), 30) },
    });
    expect(suspended.status).toBe(200);
    expect(inactive(await validate(await shimenDoctor(), draftFor(`${tag}-A`)))).toBe(0);
    expect(inactive(await validate(await shimenDoctor(), { ...draftFor(`${tag}-A`), writtenAt: addDays(today(), 31) }))).toBe(1);

    await createEntry(`${tag}-F`, addDays(today(), 10));
    expect(inactive(await validate(await shimenDoctor(), draftFor(`${tag}-F`)))).toBe(1);
    expect(inactive(await validate(await shimenDoctor(), { ...draftFor(`${tag}-F`), writtenAt: addDays(today(), 10) }))).toBe(0);
  });
});
