import { zhCN } from "zod/locales";
import { z } from "@hono/zod-openapi";
import { auditStatement } from "../audit/audit.repo";
import type { Ctx } from "../context";
import { prepare } from "../db/bulk";
import { isGuardFailure } from "../db/guard";
import { ApiError, type ProblemIssue, issuesFromZod } from "../errors/problem";
import { parseCsv } from "../lib/csv";
import { type EntryRow, entryToRow } from "./formulary.mapping";
import {
  bumpFormularyVersion,
  type EntryChange,
  findEntriesByCodes,
  formularyVersionQuery,
  importStatements,
  insertImportRecord,
  isVersionConflict,
  PUBLISHING_CONFLICT,
  refuseWhilePublishing,
} from "./formulary.repo";
import { type Entry, type EntryContent, EntryInput } from "./formulary.schemas";
import { completeEntry, reviseEntry } from "./formulary.service";

export const MAX_IMPORT_ROWS = 100_000;
/**
 * Rows of POST /formulary/imports, the one-shot import: ONE batch that holds the database
 * for its whole length (~1 s for 10k rows locally) while every doctor waits. Bigger files go
 * through the chunked import jobs (import-jobs.service.ts), which never hold it that long.
 */
export const MAX_ONE_SHOT_ROWS = 10_000;

export const ImportFormat = z.enum(["csv", "json"]);
export type ImportFormat = z.infer<typeof ImportFormat>;

export const ImportOutcome = z.enum(["created", "updated", "unchanged", "rejected"]);
export type ImportOutcome = z.infer<typeof ImportOutcome>;

export interface ImportRowReport {
  row: number;
  code: string | null;
  outcome: ImportOutcome;
  version?: number;
  issues?: ProblemIssue[];
}

export interface ImportReport {
  importId: string | null;
  dryRun: boolean;
  formularyVersion: number;
  summary: Record<ImportOutcome | "total", number>;
  rows: ImportRowReport[];
}

/** CSV columns: the entry fields, with strength/pack/maxDailyDose flattened. */
const CSV_COLUMNS = [
  "code", "genericName", "innName", "pinyin", "form", "strengthValue", "strengthUnit", "packSize", "packUnit", "route",
  "atc", "nhsaCode", "nemlCategory", "essential", "insuranceClass", "vbp", "specialistOnly", "controlClass",
  "antimicrobial", "antiTb", "storage", "longRxEligible", "conditions", "minLevel", "maxDailyDoseValue",
  "maxDailyDoseUnit", "price", "freeProgramme", "status", "effectiveFrom", "dosing", "ingredients",
] as const;
const REQUIRED_CSV_COLUMNS = ["code", "genericName", "form", "strengthValue", "strengthUnit", "packSize", "packUnit", "route", "minLevel"];
const BOOLEAN_COLUMNS = new Set(["essential", "vbp", "specialistOnly", "antiTb", "longRxEligible", "freeProgramme"]);
const NUMBER_COLUMNS = new Set(["strengthValue", "packSize", "maxDailyDoseValue", "price"]);
const TRUE = new Set(["true", "1", "yes", "y", "是"]);
const FALSE = new Set(["false", "0", "no", "n", "否"]);

function csvCell(column: string, raw: string): unknown {
  const value = raw.trim();
  if (value === "") return undefined;
  const lower = value.toLowerCase();
  if (BOOLEAN_COLUMNS.has(column)) return TRUE.has(lower) ? true : FALSE.has(lower) ? false : value;
  if (NUMBER_COLUMNS.has(column)) return /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : value;
  if (column === "conditions") return value.split(/[|;,]/).map((s) => s.trim()).filter(Boolean);
  // dosing is one JSON object in its cell (too nested to flatten); unreadable JSON stays a
  // string, which the schema then rejects for that row alone
  if (column === "dosing") return parseJsonCell(value);
  if (column === "ingredients") return ingredientsCell(value);
  return value;
}

/**
 * The ingredients column: ingredients separated by ";" (or "；"), each
 * `name:molecule[:atc[:amount]]` with ":" (or "："), e.g.
 * `格列本脲:glibenclamide:A10BB01:0.25mg` or `缬沙坦:valsartan;氨氯地平:amlodipine besylate`.
 * Empty parts are left out (`消渴丸` → `格列本脲:glibenclamide::0.25mg`). What does not read
 * as an amount is passed on as text, for the schema to reject in that row alone.
 */
function ingredientsCell(value: string): unknown[] {
  return value
    .split(/[;；]/)
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const [name, molecule, atc, amount] = part.split(/[:：]/).map((s) => s.trim());
      const out: Record<string, unknown> = { name, molecule };
      if (atc) out.atc = atc;
      if (amount) {
        const m = /^(\d+(?:\.\d+)?)\s*(\S+)$/.exec(amount);
        out.amount = m ? { value: Number(m[1]), unit: m[2] } : amount;
      }
      return out;
    });
}

function parseJsonCell(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

/** A CSV record as the JSON shape of an entry input (nested strength, pack, maxDailyDose). */
function csvRecordToInput(header: string[], cells: string[]): Record<string, unknown> {
  const flat: Record<string, unknown> = {};
  header.forEach((column, i) => {
    const v = csvCell(column, cells[i] ?? "");
    if (v !== undefined) flat[column] = v;
  });
  const { strengthValue, strengthUnit, packSize, packUnit, maxDailyDoseValue, maxDailyDoseUnit, ...rest } = flat;
  const out: Record<string, unknown> = { ...rest, strength: { value: strengthValue, unit: strengthUnit }, pack: { size: packSize, unit: packUnit } };
  if (maxDailyDoseValue !== undefined || maxDailyDoseUnit !== undefined) out.maxDailyDose = { value: maxDailyDoseValue, unit: maxDailyDoseUnit };
  return out;
}

/** Parses the body into raw row objects, or rejects the whole file (400) when its shape is wrong. */
export function parseImportBody(format: ImportFormat, text: string): unknown[] {
  if (format === "json") {
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch {
      throw new ApiError("bad-request", "the body is not valid JSON");
    }
    const rows = Array.isArray(data) ? data : (data as { entries?: unknown })?.entries;
    if (!Array.isArray(rows)) throw new ApiError("bad-request", "expected an array of entries or { entries: [...] }");
    return rows;
  }
  let records: string[][];
  try {
    records = parseCsv(text);
  } catch (err) {
    throw new ApiError("bad-request", `the CSV cannot be parsed: ${err instanceof Error ? err.message : "syntax error"}`);
  }
  const [header, ...body] = records;
  if (!header) throw new ApiError("bad-request", "the CSV is empty");
  const names = header.map((h) => h.trim());
  const known = new Set<string>(CSV_COLUMNS);
  const unknown = names.filter((n) => !known.has(n));
  const missing = REQUIRED_CSV_COLUMNS.filter((n) => !names.includes(n));
  if (unknown.length || missing.length || new Set(names).size !== names.length) {
    throw new ApiError("bad-request", "the CSV header is not valid", [
      ...unknown.map((n) => ({ path: `header.${n}`, message: "unknown column" })),
      ...missing.map((n) => ({ path: `header.${n}`, message: "required column missing" })),
      ...(new Set(names).size !== names.length ? [{ path: "header", message: "a column appears twice" }] : []),
    ]);
  }
  return body.filter((cells) => cells.some((c) => c.trim() !== "")).map((cells) => csvRecordToInput(names, cells));
}

export interface PlannedRow {
  report: ImportRowReport;
  input?: EntryInput;
  content?: EntryContent;
}

/**
 * The per-row report is read by the consortium's admins on the import page: zod's own
 * messages (a wrong option, a missing field, a wrong type) come in Chinese there, while the
 * rest of the API keeps its English problem texts. Messages the schema writes itself stay as
 * written.
 */
const ROW_MESSAGES = { error: zhCN().localeError };

/** Parses and checks every row on its own: shape, enums, cross-field rules. `firstRow`: the number of raw[0] in its file. */
export function validateRows(raw: unknown[], now: Date, firstRow = 1): PlannedRow[] {
  return raw.map((item, i) => {
    const row = firstRow + i;
    const rawCode = (item as { code?: unknown } | null)?.code;
    const code = typeof rawCode === "string" ? rawCode.toUpperCase() : null;
    const parsed = EntryInput.safeParse(item, ROW_MESSAGES);
    if (!parsed.success) return { report: { row, code, outcome: "rejected", issues: issuesFromZod(parsed.error) } };
    try {
      const content = completeEntry(parsed.data, undefined, now, "zh");
      return { report: { row, code: content.code, outcome: "created", version: 1 }, input: parsed.data, content };
    } catch (err) {
      if (err instanceof ApiError) return { report: { row, code, outcome: "rejected", issues: err.issues ?? [] } };
      throw err;
    }
  });
}

/**
 * Classifies valid rows against the stored entries: created, updated, unchanged, or a
 * duplicate in the file. `firstRowOfCode`: codes already seen earlier in the file (other chunks).
 */
export function classify(validated: PlannedRow[], existing: Map<string, Entry>, now: Date, firstRowOfCode = new Map<string, number>()): PlannedRow[] {
  return validated.map((planned) => {
    const { input, report } = planned;
    if (!input || !planned.content) return planned;
    const seenAt = firstRowOfCode.get(input.code);
    if (seenAt !== undefined) {
      return { report: { row: report.row, code: input.code, outcome: "rejected", issues: [{ path: "code", message: `与第 ${seenAt} 行的编码重复（同一文件内）` }] } };
    }
    firstRowOfCode.set(input.code, report.row);
    const current = existing.get(input.code);
    if (!current) return planned;
    const content = reviseEntry(current, input, now);
    if (!content) return { report: { row: report.row, code: input.code, outcome: "unchanged", version: current.version } };
    return { report: { row: report.row, code: input.code, outcome: "updated", version: current.version + 1 }, input, content };
  });
}

export function summarize(rows: ImportRowReport[]): ImportReport["summary"] {
  const summary = { total: rows.length, created: 0, updated: 0, unchanged: 0, rejected: 0 };
  for (const r of rows) summary[r.outcome]++;
  return summary;
}

/**
 * Bulk import. A dry run reports what would happen and writes nothing. A real run applies
 * every valid row in ONE D1 batch (atomic): the version bump, json_each upserts guarded by
 * version, their history rows, the import record and one audit row. Re-running the same
 * file finds every row unchanged and writes nothing.
 */
export async function importEntries(ctx: Ctx, format: ImportFormat, text: string, dryRun: boolean): Promise<ImportReport> {
  const raw = parseImportBody(format, text);
  if (raw.length === 0) throw new ApiError("bad-request", "the import has no rows");
  if (raw.length > MAX_ONE_SHOT_ROWS) {
    throw new ApiError("payload-too-large", `at most ${MAX_ONE_SHOT_ROWS} rows in one request; import bigger files in chunks through POST /api/v1/formulary/import-jobs (up to ${MAX_IMPORT_ROWS} rows)`);
  }
  const validated = validateRows(raw, ctx.now);
  const codes = [...new Set(validated.flatMap((p) => (p.content ? [p.content.code] : [])))];
  const { entries: existing, formularyVersion } = await findEntriesByCodes(ctx.db, codes);
  const planned = classify(validated, existing, ctx.now);
  const rows = planned.map((p) => p.report);
  const summary = summarize(rows);
  const changes = planned.filter((p) => p.content && (p.report.outcome === "created" || p.report.outcome === "updated"));
  if (dryRun || changes.length === 0) {
    return { importId: null, dryRun, formularyVersion, summary, rows };
  }
  const importId = crypto.randomUUID();
  const at = ctx.now.toISOString();
  const entryRows: EntryRow[] = [];
  const kinds: EntryChange[] = [];
  for (const p of changes) {
    if (!p.content || p.report.version === undefined) continue;
    entryRows.push(entryToRow(p.content, { version: p.report.version, updatedAt: at, updatedBy: ctx.actor.sub }));
    kinds.push(p.report.outcome === "created" ? "create" : "import");
  }
  const superseded = changes.flatMap((p) => (p.report.outcome === "updated" && p.content ? [existing.get(p.content.code)].filter((e): e is Entry => e !== undefined) : []));
  const d1 = ctx.db.$client;
  const toD1 = (q: { toSQL(): { sql: string; params: unknown[] } }) => prepare(d1, q.toSQL());
  try {
    const results = await d1.batch([
      toD1(refuseWhilePublishing(ctx.db)),
      toD1(bumpFormularyVersion(ctx.db, at)),
      ...importStatements(entryRows, kinds, importId, superseded).map((s) => prepare(d1, s)),
      toD1(insertImportRecord(ctx.db, { id: importId, at, by: ctx.actor.sub, format, summary })),
      toD1(auditStatement(ctx, { action: "formulary.import", entityType: "formulary_import", entityId: importId, after: { format, summary } })),
      toD1(formularyVersionQuery(ctx.db)),
    ]);
    const fv = results.at(-1)?.results[0] as { version?: number } | undefined;
    return { importId, dryRun, formularyVersion: Number(fv?.version ?? 0), summary, rows };
  } catch (err) {
    if (isGuardFailure(err)) throw new ApiError("conflict", PUBLISHING_CONFLICT);
    if (isVersionConflict(err)) throw new ApiError("conflict", "entries changed while importing; run the import again");
    throw err;
  }
}
