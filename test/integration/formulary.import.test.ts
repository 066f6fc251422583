import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { BULK_MAX_PARAM_CHARS, BULK_ROWS_PER_STATEMENT, D1_MAX_PARAMS, placeholderCount } from "../../worker/db/bulk";
import { importStatements } from "../../worker/formulary/formulary.repo";
import { entryToRow } from "../../worker/formulary/formulary.mapping";
import { EntryContent, type Entry } from "../../worker/formulary/formulary.schemas";
import { type ImportReport, MAX_ONE_SHOT_ROWS } from "../../worker/formulary/formulary.import";
import { anEntry } from "../builders/entries";
import { api, asAdmin } from "../support/api";

const HEADER = "code,genericName,innName,pinyin,form,strengthValue,strengthUnit,packSize,packUnit,route,minLevel,longRxEligible,conditions,maxDailyDoseValue,maxDailyDoseUnit,price,effectiveFrom";

function csvRow(code: string, price: string, extra: Partial<Record<"name" | "route" | "strength", string>> = {}) {
  return `${code},${extra.name ?? "二甲双胍"},Metformin,EJSG,片剂,${extra.strength ?? "500"},mg,48,片,${extra.route ?? "oral"},village,true,E11|E10,2550,mg,${price},2026-01-01`;
}

async function importCsv(csv: string, dryRun: boolean) {
  return api<ImportReport>("POST", `/formulary/imports?dryRun=${dryRun}`, { token: await asAdmin(), rawBody: csv, headers: { "content-type": "text/csv" } });
}

const entryCount = async (prefix: string) =>
  (await env.DB.prepare("SELECT count(*) AS n FROM formulary_entries WHERE code LIKE ?").bind(`${prefix}%`).first<{ n: number }>())?.n ?? 0;

describe("bulk import", () => {
  it("dry-runs a CSV with a per-row report and applies nothing; the real run applies; a re-run changes nothing", async () => {
    const p = `IMP${Date.now().toString(36).toUpperCase()}`;
    const existing = (await api<{ entry: Entry }>("POST", "/formulary/drugs", { token: await asAdmin(), body: anEntry({ code: `${p}-U`, genericName: "二甲双胍", innName: "Metformin", pinyin: "EJSG", strength: { value: 500, unit: "mg" }, pack: { size: 48, unit: "片" }, conditions: ["E11", "E10"], maxDailyDose: { value: 2550, unit: "mg" }, price: 9, atc: null, essential: false }) })).body.entry;
    const unchangedCsv = csvRow(`${p}-U`, "9");
    expect(existing.version).toBe(1);
    const csv = [HEADER, csvRow(`${p}-A`, "1.5"), csvRow(`${p}-B`, "2"), csvRow(`${p}-U`, "7.25"), csvRow(`${p}-BAD`, "x", { route: "mouth" }), csvRow(`${p}-A`, "3")].join("\n");

    const dry = await importCsv(csv, true);
    expect(dry.status).toBe(200);
    expect(dry.body.dryRun).toBe(true);
    expect(dry.body.summary).toEqual({ total: 5, created: 2, updated: 1, unchanged: 0, rejected: 2 });
    expect(dry.body.rows.map((r) => r.outcome)).toEqual(["created", "created", "updated", "rejected", "rejected"]);
    expect(dry.body.rows[3]?.issues?.map((i) => i.path)).toEqual(expect.arrayContaining(["route", "price"]));
    expect(dry.body.rows[4]?.issues?.[0]?.message).toContain("与第 1 行的编码重复");
    expect(await entryCount(p)).toBe(1);

    const real = await importCsv(csv, false);
    expect(real.status).toBe(200);
    expect(real.body.summary).toEqual(dry.body.summary);
    expect(real.body.importId).toBeTruthy();
    expect(await entryCount(p)).toBe(3);
    const updated = await api<Entry>("GET", `/formulary/drugs/${p}-U`, { token: await asAdmin() });
    expect(updated.body).toMatchObject({ version: 2, price: 7.25 });
    const history = await api<{ items: { version: number; change: string; importId: string | null; entry: Entry }[] }>("GET", `/formulary/drugs/${p}-U/history`, { token: await asAdmin() });
    expect(history.body.items.map((h) => [h.version, h.change, h.entry.price])).toEqual([
      [2, "import", 7.25],
      [1, "create", 9],
    ]);
    expect(history.body.items[0]?.importId).toBe(real.body.importId);
    const audit = await env.DB.prepare("SELECT count(*) AS n FROM audit_events WHERE entity_id = ?").bind(real.body.importId).first<{ n: number }>();
    expect(audit?.n).toBe(1);

    const again = await importCsv(csv, false);
    expect(again.body.summary).toEqual({ total: 5, created: 0, updated: 0, unchanged: 3, rejected: 2 });
    expect(again.body.importId).toBeNull();
    expect(again.body.formularyVersion).toBe(real.body.formularyVersion);
    expect(unchangedCsv).toContain(`${p}-U`);
  });

  it("imports JSON, finds the imported entries by search, and rejects a bad file as a whole", async () => {
    const p = `JSN${Date.now().toString(36).toUpperCase()}`;
    const rows = [anEntry({ code: `${p}-1`, pinyin: "JSNTEST" }), anEntry({ code: `${p}-2` })];
    const res = await api<ImportReport>("POST", "/formulary/imports", { token: await asAdmin(), body: { entries: rows } });
    expect(res.body.summary.created).toBe(2);
    const found = await api<{ items: Entry[] }>("GET", "/formulary/drugs?q=JSNTEST", { token: await asAdmin() });
    expect(found.body.items.map((e) => e.code)).toEqual([`${p}-1`]);

    for (const [body, type] of [
      ["{", "application/json"],
      ['{"rows": []}', "application/json"],
      ["[]", "application/json"],
      ["nope,header\n1,2", "text/csv"],
      ['code,genericName\n"unterminated', "text/csv"],
      ["a", "text/plain"],
    ] as const) {
      const bad = await api("POST", "/formulary/imports", { token: await asAdmin(), rawBody: body, headers: { "content-type": type } });
      expect([400, 415], body).toContain(bad.status);
      expect(bad.headers.get("content-type")).toContain("problem+json");
    }
  });

  it("tells the admin in Chinese why a row breaks the formulary's cross-field rules, while the API's own answer stays English", async () => {
    const p = `XFR${Date.now().toString(36).toUpperCase()}`;
    const narcotic = anEntry({ code: `${p}-N`, controlClass: "narcotic", longRxEligible: true });
    const coldChain = anEntry({ code: `${p}-C`, storage: "cold_chain", longRxEligible: true });
    const antiTb = anEntry({ code: `${p}-T`, antiTb: true, antimicrobial: null, longRxEligible: false });
    const res = await api<ImportReport>("POST", "/formulary/imports?dryRun=true", { token: await asAdmin(), body: { entries: [narcotic, coldChain, antiTb] } });
    expect(res.status).toBe(200);
    expect(res.body.rows.map((r) => [r.outcome, r.issues?.map((i) => `${i.path}: ${i.message}`)])).toEqual([
      ["rejected", ["longRxEligible: 不能标为可开长期处方：特殊管理药品（麻醉药品）不得开具长期处方（《长期处方管理规范（试行）》）"]],
      ["rejected", ["longRxEligible: 不能标为可开长期处方：冷链储存（2–8°C）的药品不得开具长期处方（《长期处方管理规范（试行）》）"]],
      ["rejected", ["antiTb: 抗结核药须填写抗菌药物分级"]],
    ]);
    const one = await api<{ issues: { path: string; message: string }[] }>("POST", "/formulary/drugs", { token: await asAdmin(), body: narcotic });
    expect(one.status).toBe(400);
    expect(one.body.issues).toEqual([{ path: "longRxEligible", message: "cannot be long-prescription eligible: special management class narcotic" }]);
  });

  it("applies a large import in statements that never bind more than D1's 100 parameters", async () => {
    const p = `BIG${Date.now().toString(36).toUpperCase()}`;
    const n = BULK_ROWS_PER_STATEMENT * 2 + 37; // three chunks, the last partial
    const rows = Array.from({ length: n }, (_, i) => anEntry({ code: `${p}-${i}`, pinyin: `BIG${i}` }));

    // the statements the import builds for these rows
    const contents = rows.map((r) => EntryContent.parse({ ...r, innName: "Amlodipine", nhsaCode: null, nemlCategory: null, insuranceClass: null, vbp: false, specialistOnly: false, controlClass: null, antimicrobial: null, antiTb: false, storage: "normal", freeProgramme: false, status: "active", dosing: null, ingredients: [] }));
    const statements = importStatements(contents.map((c) => entryToRow(c, { version: 1, updatedAt: "2026-01-01T00:00:00Z", updatedBy: "t" })), contents.map(() => "create"), "imp");
    // at least 3 upsert chunks + 3 history chunks (more when a chunk's JSON fills up first)
    expect(statements.length).toBeGreaterThanOrEqual(6);
    let rowsBound = 0;
    for (const s of statements) {
      expect(s.params.length).toBeLessThanOrEqual(D1_MAX_PARAMS);
      expect(placeholderCount(s.sql)).toBe(s.params.length);
      const json = String(s.params[0]);
      expect(json.length).toBeLessThanOrEqual(BULK_MAX_PARAM_CHARS);
      rowsBound += (JSON.parse(json) as unknown[]).length;
    }
    expect(rowsBound).toBe(2 * n); // every entry row and every history row, once

    const res = await api<ImportReport>("POST", "/formulary/imports", { token: await asAdmin(), body: rows });
    expect(res.status).toBe(200);
    expect(res.body.summary.created).toBe(n);
    expect(await entryCount(p)).toBe(n);
    const versions = await env.DB.prepare("SELECT count(*) AS n FROM formulary_entry_versions WHERE code LIKE ?").bind(`${p}%`).first<{ n: number }>();
    expect(versions?.n).toBe(n);
  });

  it(`takes at most ${MAX_ONE_SHOT_ROWS} rows in one request and names the chunked import jobs for bigger files, writing nothing`, async () => {
    const p = `CAP${Date.now().toString(36).toUpperCase()}`;
    // the smallest rows that pass the body limit: the row count alone decides
    const rows = Array.from({ length: MAX_ONE_SHOT_ROWS + 1 }, (_, i) => ({ code: `${p}-${i}` }));
    for (const dryRun of [true, false]) {
      const res = await api<{ code: string; detail: string }>("POST", `/formulary/imports?dryRun=${dryRun}`, { token: await asAdmin(), body: rows });
      expect(res.status).toBe(413);
      expect(res.body.code).toBe("payload-too-large");
      expect(res.body.detail).toContain("/api/v1/formulary/import-jobs");
    }
    expect(await entryCount(p)).toBe(0);
  });
});
