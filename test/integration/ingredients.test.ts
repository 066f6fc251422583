/**
 * Ingredients through the API (issue 10): an entry imported with its ingredients (CSV and
 * JSON) is compared by what it contains: 消渴丸 + 格列本脲 on one draft is a duplicate
 * ingredient, and a signed supply's ingredients are caught at another member institution.
 * Validation stays one D1 round trip.
 */
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "../../worker/db/index";
import type { ImportReport } from "../../worker/formulary/formulary.import";
import type { Entry } from "../../worker/formulary/formulary.schemas";
import type { Draft, Prescription } from "../../worker/prescriptions/prescriptions.schemas";
import { validatePrescription } from "../../worker/prescriptions/prescriptions.service";
import type { Finding } from "../../worker/rules/types";
import { api, asAdmin, tokenFor } from "../support/api";
import { countingD1 } from "../support/d1-counter";
import { loadDemoSeed } from "../support/seed";

const GLIBENCLAMIDE = "W316-01";
const tag = crypto.randomUUID().slice(0, 6).toUpperCase();
const CSV_CODE = `XKW-CSV-${tag}`;
const JSON_CODE = `XKW-JSON-${tag}`;
const shimenDoctor = () => tokenFor("doctor", "doc-shimen-gp-intermediate", "inst-shimen");
const taoyuanDoctor = () => tokenFor("doctor", "doc-taoyuan-gp-intermediate", "inst-taoyuan");

interface Validation {
  valid: boolean;
  findings: Finding[];
}

async function freshPatient(): Promise<string> {
  const id = `pat-ingr-${crypto.randomUUID().slice(0, 8)}`;
  await env.DB.prepare("INSERT INTO patients (id, name, gender, birth_date, created_at) VALUES (?, '测试', 'female', '1975-01-01', '2026-01-01')").bind(id).run();
  return id;
}

/** 消渴丸 10 pills three times a day for 7 days (210 pills: 2 bottles of 120), with or without 格列本脲 2.5 mg qd. */
function draft(patientId: string, xiaoke: string | null, glibenclamide: boolean): Draft {
  const items: Draft["items"] = [];
  if (xiaoke) items.push({ drugCode: xiaoke, dose: { value: 10, unit: "丸" }, frequency: "tid", days: 7, packages: 2 });
  if (glibenclamide) items.push({ drugCode: GLIBENCLAMIDE, dose: { value: 2.5, unit: "mg" }, frequency: "qd", days: 7, packages: 1 });
  return { patientId, kind: "normal", diagnoses: [{ icd10: "E11.9" }], items, fulfilment: { mode: "pickup", pickupSiteId: "site-cloud-shimen" } };
}

const duplicates = (v: Validation) => v.findings.filter((f) => f.ruleId === "safety-duplicate-ingredient");

describe("ingredients imported, validated and signed", () => {
  beforeAll(async () => {
    await loadDemoSeed();
    const csv = [
      "code,genericName,form,strengthValue,strengthUnit,packSize,packUnit,route,minLevel,conditions,ingredients",
      `${CSV_CODE},消渴丸,丸剂,0.25,g,120,丸,oral,village,E11,格列本脲:Glibenclamide:A10BB01:0.25mg`,
    ].join("\n");
    const fromCsv = await api<ImportReport>("POST", "/formulary/imports", { token: await asAdmin(), rawBody: csv, headers: { "content-type": "text/csv" } });
    expect(fromCsv.status, JSON.stringify(fromCsv.body)).toBe(200);
    expect(fromCsv.body.summary.created).toBe(1);
    const json = [
      {
        code: JSON_CODE,
        genericName: "消渴丸",
        form: "丸剂",
        strength: { value: 0.25, unit: "g" },
        pack: { size: 120, unit: "丸" },
        route: "oral",
        minLevel: "village",
        conditions: ["E11"],
        ingredients: [{ name: "格列本脲", molecule: "glibenclamide", atc: "A10BB01", amount: { value: 0.25, unit: "mg" } }],
      },
    ];
    const fromJson = await api<ImportReport>("POST", "/formulary/imports", { token: await asAdmin(), body: json });
    expect(fromJson.status, JSON.stringify(fromJson.body)).toBe(200);
    expect(fromJson.body.summary.created).toBe(1);
  });

  it("stores the ingredients as imported, the molecule as its key", async () => {
    for (const code of [CSV_CODE, JSON_CODE]) {
      const res = await api<Entry>("GET", `/formulary/drugs/${code}`, { token: await asAdmin() });
      expect(res.body.ingredients).toEqual([{ name: "格列本脲", molecule: "glibenclamide", atc: "A10BB01", amount: { value: 0.25, unit: "mg" } }]);
    }
  });

  it("rejects a row whose ingredients do not read, naming the field, and imports nothing", async () => {
    const csv = ["code,genericName,form,strengthValue,strengthUnit,packSize,packUnit,route,minLevel,ingredients", `BAD-${tag},消渴丸,丸剂,0.25,g,120,丸,oral,village,格列本脲`].join("\n");
    const res = await api<ImportReport>("POST", "/formulary/imports", { token: await asAdmin(), rawBody: csv, headers: { "content-type": "text/csv" } });
    expect(res.status).toBe(200);
    expect(res.body.rows[0]?.outcome).toBe("rejected");
    expect(res.body.rows[0]?.issues?.[0]?.path).toMatch(/^ingredients\.0\.molecule/);
  });

  it("catches 消渴丸 + 格列本脲 on one draft (CSV and JSON entries), in one D1 round trip", async () => {
    const patientId = await freshPatient();
    for (const code of [CSV_CODE, JSON_CODE]) {
      const res = await api<Validation>("POST", "/prescriptions/validate", { token: await shimenDoctor(), body: draft(patientId, code, true) });
      expect(res.status).toBe(200);
      expect(res.body.valid).toBe(false);
      expect(duplicates(res.body).map((f) => [f.itemIndex, f.message])).toEqual([[1, expect.stringContaining("成分重复（格列本脲）")]]);
    }
    const counter = countingD1(env.DB);
    const result = await validatePrescription(
      { db: getDb(counter.db), actor: { sub: "doc-shimen-gp-intermediate", org: "inst-shimen", role: "doctor", name: "" }, requestId: "t", now: new Date() },
      draft(patientId, CSV_CODE, true),
    );
    expect(duplicates(result)).toHaveLength(1);
    expect(counter.count()).toBe(1);
  });

  it("keeps a signed supply's ingredients, so 格列本脲 at another institution is a duplicate", async () => {
    const patientId = await freshPatient();
    const signed = await api<Prescription>("POST", "/prescriptions", { token: await shimenDoctor(), headers: { "idempotency-key": crypto.randomUUID() }, body: draft(patientId, JSON_CODE, false) });
    expect(signed.status, JSON.stringify(signed.body)).toBe(201);
    const row = await env.DB.prepare("SELECT ingredients FROM prescription_items WHERE patient_id = ?").bind(patientId).first<{ ingredients: string }>();
    expect(JSON.parse(row?.ingredients ?? "null")).toEqual([{ name: "格列本脲", molecule: "glibenclamide", atc: "A10BB01", amount: { value: 0.25, unit: "mg" } }]);
    const res = await api<Validation>("POST", "/prescriptions/validate", { token: await taoyuanDoctor(), body: draft(patientId, null, true) });
    expect(res.body.valid).toBe(false);
    expect(duplicates(res.body).map((f) => f.message)).toEqual([expect.stringContaining("机构 inst-shimen")]);
  });
});
