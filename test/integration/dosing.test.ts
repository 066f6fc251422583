/**
 * Issue 10, units and regimens through the HTTP API: an entry imported with its dosing (a
 * liquid's bottle volume, an inhaler's actuations) is stored, versioned and read back, and
 * POST /prescriptions/validate doses it in ml, puffs or mg, in one D1 round trip. The NEML
 * seed's own liquids and the label facts (single-dose maximum, a form's schedule) hold too.
 */
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "../../worker/db/index";
import type { ImportReport } from "../../worker/formulary/formulary.import";
import type { Entry } from "../../worker/formulary/formulary.schemas";
import type { Draft } from "../../worker/prescriptions/prescriptions.schemas";
import { validatePrescription } from "../../worker/prescriptions/prescriptions.service";
import type { Finding } from "../../worker/rules/types";
import { api, asAdmin, tokenFor } from "../support/api";
import { countingD1 } from "../support/d1-counter";
import { loadDemoSeed } from "../support/seed";

interface Validation {
  valid: boolean;
  findings: Finding[];
  totals: { days: number; packagesByItem: (number | null)[] };
}

const P = `DOS${Date.now().toString(36).toUpperCase()}`;
const IBUPROFEN = `${P}-IBU`;
const SALBUTAMOL = `${P}-SAL`;

/** 布洛芬混悬液 100ml:2g: 2 g a bottle, 100 ml a bottle (20 mg/ml); max 2.4 g a day. */
const ibuprofenEntry = {
  code: IBUPROFEN,
  genericName: "布洛芬",
  innName: "Ibuprofen",
  form: "混悬液",
  strength: { value: 2, unit: "g" },
  pack: { size: 1, unit: "瓶" },
  route: "oral",
  minLevel: "village",
  maxDailyDose: { value: 2.4, unit: "g" },
  dosing: { containerVolume: { value: 100, unit: "ml" } },
  effectiveFrom: "2026-01-01",
};

const CSV_HEADER = "code,genericName,form,strengthValue,strengthUnit,packSize,packUnit,route,minLevel,maxDailyDoseValue,maxDailyDoseUnit,effectiveFrom,dosing";
/** 沙丁胺醇吸入气雾剂 200 揿，每揿 100µg, one device; the dosing cell is JSON (CSV-quoted). */
const salbutamolRow = `${SALBUTAMOL},沙丁胺醇,吸入气雾剂,100,µg,1,支,inhalation,village,800,µg,2026-01-01,"{""actuations"":200}"`;

const doctor = () => tokenFor("doctor", "doc-fenglin-village", "inst-fenglin");
const ruleIds = (v: Validation) => v.findings.map((f) => f.ruleId).sort();

/** A normal prescription for 林小军 (36, no chronic condition) of one item. */
function draft(drugCode: string, item: Omit<Draft["items"][number], "drugCode">): Draft {
  return {
    patientId: "pat-012",
    kind: "normal",
    diagnoses: [{ icd10: "J06.9" }],
    items: [{ drugCode, ...item }],
    fulfilment: { mode: "pickup", pickupSiteId: "site-cloud-shimen" },
  };
}

async function validate(body: unknown) {
  const res = await api<Validation>("POST", "/prescriptions/validate", { token: await doctor(), body });
  expect(res.status).toBe(200);
  return res.body;
}

describe("formulary dosing: import, read back, validate", () => {
  beforeAll(async () => {
    await loadDemoSeed();
    const json = await api<ImportReport>("POST", "/formulary/imports?dryRun=false", { token: await asAdmin(), body: [ibuprofenEntry] });
    expect(json.status).toBe(200);
    expect(json.body.summary).toMatchObject({ created: 1, rejected: 0 });
    const csv = await api<ImportReport>("POST", "/formulary/imports?dryRun=false", {
      token: await asAdmin(),
      rawBody: [CSV_HEADER, salbutamolRow].join("\n"),
      headers: { "content-type": "text/csv" },
    });
    expect(csv.status).toBe(200);
    expect(csv.body.summary).toMatchObject({ created: 1, rejected: 0 });
  });

  it("stores dosing and reads it back (JSON and CSV)", async () => {
    const ibu = await api<Entry>("GET", `/formulary/drugs/${IBUPROFEN}`, { token: await asAdmin() });
    expect(ibu.body.dosing).toEqual({ containerVolume: { value: 100, unit: "ml" } });
    const sal = await api<Entry>("GET", `/formulary/drugs/${SALBUTAMOL}`, { token: await asAdmin() });
    expect(sal.body.dosing).toEqual({ actuations: 200 });
  });

  it("rejects a malformed dosing row by row, with its path, and writes nothing for it", async () => {
    const bad = [
      { ...ibuprofenEntry, code: `${P}-B1`, dosing: { containerVolume: { value: -5, unit: "ml" } } },
      { ...ibuprofenEntry, code: `${P}-B2`, dosing: { bottle: 100 } },
      { ...ibuprofenEntry, code: `${P}-B3`, dosing: { labelFrequencies: ["q8h"] } },
    ];
    const res = await api<ImportReport>("POST", "/formulary/imports?dryRun=false", { token: await asAdmin(), body: bad });
    expect(res.status).toBe(200);
    expect(res.body.summary).toMatchObject({ created: 0, rejected: 3 });
    expect(res.body.rows.map((r) => r.issues?.[0]?.path)).toEqual(["dosing.containerVolume.value", "dosing", "dosing.labelFrequencies.0"]);
    const csv = await api<ImportReport>("POST", "/formulary/imports?dryRun=true", {
      token: await asAdmin(),
      rawBody: [CSV_HEADER, salbutamolRow.replace('"{""actuations"":200}"', "{actuations")].join("\n"),
      headers: { "content-type": "text/csv" },
    });
    expect(csv.body.rows[0]?.outcome).toBe("rejected");
    expect(csv.body.rows[0]?.issues?.[0]?.path).toBe("dosing");
  });

  it("validates a suspension dosed in ml: 10 ml tid × 3 days = 90 ml, one 100 ml bottle", async () => {
    const v = await validate(draft(IBUPROFEN, { dose: { value: 10, unit: "ml" }, frequency: "tid", days: 3, packages: 1 }));
    expect(ruleIds(v)).toEqual([]);
    expect(v.valid).toBe(true);
    expect(v.totals.packagesByItem).toEqual([1]);
  });

  it("checks packages from the bottle's volume and the daily mg against the maximum", async () => {
    const short = await validate(draft(IBUPROFEN, { dose: { value: 10, unit: "ml" }, frequency: "tid", days: 4, packages: 1 }));
    expect(ruleIds(short)).toEqual(["rx-quantity-short"]);
    expect(short.totals.packagesByItem).toEqual([2]);
    const excess = await validate(draft(IBUPROFEN, { dose: { value: 200, unit: "mg" }, frequency: "tid", days: 3, packages: 2 }));
    expect(ruleIds(excess)).toEqual(["rx-quantity-excess"]);
    // 30 ml = 600 mg, qid = 2400 mg: exactly the maximum; 30.5 ml qid = 2440 mg (3 days: 360/366 ml, 4 bottles)
    const atMax = await validate(draft(IBUPROFEN, { dose: { value: 30, unit: "ml" }, frequency: "qid", days: 3, packages: 4 }));
    expect(ruleIds(atMax)).toEqual([]);
    const over = await validate(draft(IBUPROFEN, { dose: { value: 30.5, unit: "ml" }, frequency: "qid", days: 3, packages: 4 }));
    expect(ruleIds(over)).toEqual(["rx-dose-max-daily"]);
    expect(over.valid).toBe(false);
  });

  it("counts an inhaler in puffs against the actuations of one device", async () => {
    const one = await validate(draft(SALBUTAMOL, { dose: { value: 2, unit: "揿" }, frequency: "qid", days: 7, packages: 1 }));
    expect(ruleIds(one)).toEqual([]);
    const two = await validate(draft(SALBUTAMOL, { dose: { value: 2, unit: "揿" }, frequency: "qid", days: 7, packages: 2 }));
    expect(ruleIds(two)).toEqual(["rx-quantity-excess"]);
  });

  it("assembles the context in one D1 round trip", async () => {
    const counter = countingD1(env.DB);
    await validatePrescription(
      { db: getDb(counter.db), actor: { sub: "doc-fenglin-village", org: "inst-fenglin", role: "doctor", name: "" }, requestId: "t", now: new Date() },
      draft(IBUPROFEN, { dose: { value: 10, unit: "ml" }, frequency: "tid", days: 3, packages: 1 }),
    );
    expect(counter.count()).toBe(1);
  });
});

describe("the NEML seed's liquids and the label facts", () => {
  beforeAll(loadDemoSeed);

  it("doses the seeded 布洛芬混悬液 100ml:2g (W078-09) in ml", async () => {
    const v = await validate(draft("W078-09", { dose: { value: 10, unit: "ml" }, frequency: "tid", days: 3, packages: 1 }));
    expect(ruleIds(v)).toEqual([]);
  });

  it("holds 对乙酰氨基酚口服溶液 100ml:2.4g (W076-03) to a 1 g single dose: 41 ml passes, 42 ml does not", async () => {
    const below = await validate(draft("W076-03", { dose: { value: 41, unit: "ml" }, frequency: "prn", days: 1, packages: 1 }));
    expect(ruleIds(below)).toEqual([]);
    const above = await validate(draft("W076-03", { dose: { value: 42, unit: "ml" }, frequency: "prn", days: 1, packages: 1 }));
    expect(ruleIds(above)).toEqual(["rx-dose-max-single"]);
  });

  it("doses the seeded 沙丁胺醇吸入气雾剂 (W217-01, 200 揿) in puffs", async () => {
    const v = await validate(draft("W217-01", { dose: { value: 2, unit: "揿" }, frequency: "tid", days: 7, packages: 1 }));
    expect(ruleIds(v)).toEqual([]);
  });

  it("accepts 红霉素软膏 (W020-12) 适量 without arithmetic", async () => {
    const v = await validate(draft("W020-12", { dose: { value: 1, unit: "适量" }, frequency: "bid", days: 7, packages: 2 }));
    expect(ruleIds(v)).toEqual([]);
  });
});
