/**
 * Issue 10, facts, through the HTTP API: the seeded maximum daily doses are the Chinese label's
 * figure for each form (格列齐特缓释片 120 mg vs 格列齐特片 240 mg; 二甲双胍缓释片 2 g vs 格华止
 * 0.5 g 2.55 g), 咪达唑仑 is class I only as an injection, and an entry imported with a class
 * older than the 2024 adjustment is judged by the current list (POST /prescriptions/validate).
 */
import { beforeAll, describe, expect, it } from "vitest";
import type { ImportReport } from "../../worker/formulary/formulary.import";
import type { Draft } from "../../worker/prescriptions/prescriptions.schemas";
import type { Finding } from "../../worker/rules/types";
import { api, asAdmin, tokenFor } from "../support/api";
import { loadDemoSeed } from "../support/seed";

interface Validation {
  valid: boolean;
  findings: Finding[];
}

const P = `FCT${Date.now().toString(36).toUpperCase()}`;
/** 氢溴酸右美沙芬片 15 mg imported with no class, as a formulary exported before 2024-07-01 would have it. */
const DEXTROMETHORPHAN = `${P}-DXM`;
/** 咪达唑仑注射液 imported as class II, its class before 2024-07-01. */
const MIDAZOLAM_INJECTION = `${P}-MDZ`;

const imported = [
  {
    code: DEXTROMETHORPHAN,
    genericName: "氢溴酸右美沙芬",
    innName: "Dextromethorphan",
    form: "片剂",
    strength: { value: 15, unit: "mg" },
    pack: { size: 24, unit: "片" },
    route: "oral",
    minLevel: "village",
    effectiveFrom: "2026-01-01",
  },
  {
    code: MIDAZOLAM_INJECTION,
    genericName: "咪达唑仑",
    innName: "Midazolam",
    form: "注射液",
    strength: { value: 10, unit: "mg" },
    pack: { size: 1, unit: "支" },
    route: "iv",
    controlClass: "psychotropic_2",
    minLevel: "secondary",
    effectiveFrom: "2026-01-01",
  },
];

/** A county-hospital internist (secondary level): the level 咪达唑仑 is listed for. */
const doctor = () => tokenFor("doctor", "doc-county-im-senior", "inst-county");

/** A normal 3-day prescription for 林小军 (36, no chronic condition) of one item. */
function draft(drugCode: string, item: Omit<Draft["items"][number], "drugCode" | "days"> & { days?: number }): Draft {
  return {
    patientId: "pat-012",
    kind: "normal",
    diagnoses: [{ icd10: "E11.9" }],
    items: [{ drugCode, days: 3, ...item }],
    fulfilment: { mode: "pickup", pickupSiteId: "site-cloud-shimen" },
  };
}

async function findings(body: Draft): Promise<string[]> {
  const res = await api<Validation>("POST", "/prescriptions/validate", { token: await doctor(), body });
  expect(res.status).toBe(200);
  return res.body.findings.map((f) => f.ruleId);
}

describe("facts through the API", () => {
  beforeAll(async () => {
    await loadDemoSeed();
    const res = await api<ImportReport>("POST", "/formulary/imports?dryRun=false", { token: await asAdmin(), body: imported });
    expect(res.status).toBe(200);
    expect(res.body.summary).toMatchObject({ created: 2, rejected: 0 });
  });

  it.each([
    ["格列齐特缓释片 30 mg, 4 tablets once a day (120 mg): at the label maximum", "W320-02", { value: 120, unit: "mg" }, "qd", 12, false],
    ["格列齐特缓释片 30 mg, 150 mg a day: above the modified-release label's 120 mg", "W320-02", { value: 150, unit: "mg" }, "qd", 15, true],
    ["格列齐特片 80 mg, 240 mg a day: at the domestic label maximum", "W320-01", { value: 80, unit: "mg" }, "tid", 9, false],
    ["格列齐特片 80 mg, 320 mg a day: above it (320 mg was the foreign IR figure)", "W320-01", { value: 160, unit: "mg" }, "bid", 12, true],
    ["二甲双胍缓释片 0.5 g, 2 g a day: at the label maximum", "W315-08", { value: 1, unit: "g" }, "bid", 12, false],
    ["二甲双胍缓释片 0.5 g, 2.5 g a day: above it", "W315-08", { value: 2.5, unit: "g" }, "qd", 15, true],
    ["二甲双胍片 0.5 g (格华止), 2.5 g a day: within the plain tablet's 2.55 g", "W315-05", { value: 2.5, unit: "g" }, "qd", 15, false],
  ] as const)("%s", async (_name, code, dose, frequency, packages, overMax) => {
    const ids = await findings(draft(code, { dose: { ...dose }, frequency, route: "oral", packages }));
    expect(ids.includes("rx-dose-max-daily")).toBe(overMax);
  });

  it("咪达唑仑片 (seeded class II) may be written; its injection (class I since 2024-07-01) may not", async () => {
    expect(await findings(draft("W149-01", { dose: { value: 15, unit: "mg" }, frequency: "qn", route: "oral", packages: 3 }))).not.toContain("rx-controlled-online");
    expect(await findings(draft("W149-04", { dose: { value: 10, unit: "mg" }, frequency: "qd", route: "iv", days: 1, packages: 1 }))).toContain("rx-controlled-online");
  });

  it("an imported 咪达唑仑注射液 still marked class II is class I today", async () => {
    expect(await findings(draft(MIDAZOLAM_INJECTION, { dose: { value: 10, unit: "mg" }, frequency: "qd", route: "iv", days: 1, packages: 1 }))).toContain("rx-controlled-online");
  });

  it("an imported 右美沙芬 without a class is a 第二类精神药品 today: 8 days need the recorded reason, not a ban", async () => {
    const body = draft(DEXTROMETHORPHAN, { dose: { value: 15, unit: "mg" }, frequency: "tid", route: "oral", packages: 1 });
    expect(await findings(body)).not.toContain("rx-controlled-online");
    const eight = { ...body, items: body.items.map((i) => ({ ...i, days: 8 })) };
    expect(await findings(eight)).toContain("rx-days-reason");
  });
});
