import { and, asc, eq, getTableColumns, gt, inArray, lt, sql } from "drizzle-orm";
import { formularyEntries, formularyImportChunks, formularyImportJobs, formularyImportRows, formularyMeta } from "../../schema";
import { type BoundStatement, bulkInsert } from "../db/bulk";
import { constraintFailed } from "../db/errors";
import type { Db } from "../db/index";
import { fromRawRow } from "../db/rows";
import { contentOf, type EntryRow, rowToEntry } from "./formulary.mapping";
import type { Entry, EntryInput } from "./formulary.schemas";

export type JobRow = typeof formularyImportJobs.$inferSelect;
export type ChunkRow = typeof formularyImportChunks.$inferSelect;
export type StagedRow = typeof formularyImportRows.$inferInsert;
export type JobStatus = "open" | "publishing" | "published" | "aborted" | "expired";

/** Staged rows per INSERT: one JSON parameter each, a few hundred KB at most, milliseconds to write. */
const STAGE_ROWS_PER_STATEMENT = 500;

export function insertJob(db: Db, job: typeof formularyImportJobs.$inferInsert) {
  return db.insert(formularyImportJobs).values(job);
}

export function jobQuery(db: Db, id: string) {
  return db.select().from(formularyImportJobs).where(eq(formularyImportJobs.id, id)).limit(1);
}

export function chunksQuery(db: Db, jobId: string) {
  return db.select({ seq: formularyImportChunks.seq, sha256: formularyImportChunks.sha256 }).from(formularyImportChunks).where(eq(formularyImportChunks.jobId, jobId));
}

/** Stored entries among `codes` (json_each: one parameter). */
export function entriesByCodesQuery(db: Db, codes: string[]) {
  return db.select().from(formularyEntries).where(sql`${formularyEntries.code} IN (SELECT value FROM json_each(${JSON.stringify(codes)}))`);
}

/** Codes of `codes` already staged as valid rows of the job (by another chunk), with their row numbers. */
export function stagedCodesQuery(db: Db, jobId: string, codes: string[]) {
  return db
    .select({ code: formularyImportRows.code, row: formularyImportRows.row })
    .from(formularyImportRows)
    .where(and(eq(formularyImportRows.jobId, jobId), sql`${formularyImportRows.outcome} <> 'rejected'`, sql`${formularyImportRows.code} IN (SELECT value FROM json_each(${JSON.stringify(codes)}))`));
}

export interface ChunkCounts {
  rows: number;
  created: number;
  updated: number;
  unchanged: number;
  rejected: number;
}

/** Counts a chunk into its open, unexpired job; changes no row (a guard then fails the batch) otherwise. */
export function countChunkIntoJob(db: Db, jobId: string, counts: ChunkCounts, at: string, expiresAt: string) {
  const j = formularyImportJobs;
  return db
    .update(j)
    .set({
      chunksReceived: sql`${j.chunksReceived} + 1`,
      rowsStaged: sql`${j.rowsStaged} + ${counts.rows}`,
      created: sql`${j.created} + ${counts.created}`,
      updated: sql`${j.updated} + ${counts.updated}`,
      unchanged: sql`${j.unchanged} + ${counts.unchanged}`,
      rejected: sql`${j.rejected} + ${counts.rejected}`,
      updatedAt: at,
      expiresAt,
    })
    .where(and(eq(j.id, jobId), eq(j.status, "open"), gt(j.expiresAt, at)));
}

export function insertChunk(db: Db, chunk: ChunkRow) {
  return db.insert(formularyImportChunks).values(chunk);
}

export function stageRowsStatements(rows: StagedRow[]): BoundStatement[] {
  // input and entry are JSON text (EntryInput's output, stagedEntryOf's row)
  return bulkInsert(formularyImportRows, rows, { rowsPerStatement: STAGE_ROWS_PER_STATEMENT, jsonText: ["input", "entry"] });
}

/** The same chunk seq received twice at once: the primary key refuses the second. */
export function isDuplicateChunk(err: unknown): boolean {
  return constraintFailed(err, "UNIQUE", "formulary_import_chunks");
}

/** A code staged by two chunks at once: the partial unique index refuses the second. */
export function isDuplicateStagedCode(err: unknown): boolean {
  return constraintFailed(err, "UNIQUE", "formulary_import_rows");
}

/** Another job is already publishing (the partial unique index on status). */
export function isAnotherPublishing(err: unknown): boolean {
  return constraintFailed(err, "UNIQUE", "formulary_import_jobs");
}

/** open → publishing, reserving the next formulary version; only with every chunk received. */
export function startPublishing(db: Db, jobId: string, at: string) {
  const j = formularyImportJobs;
  return db
    .update(j)
    .set({ status: "publishing", targetVersion: sql`(SELECT ${formularyMeta.version} FROM ${formularyMeta} WHERE ${formularyMeta.id} = 1) + 1`, publishCursor: 0, updatedAt: at })
    .where(and(eq(j.id, jobId), eq(j.status, "open"), eq(j.chunksReceived, j.expectedChunks), gt(j.expiresAt, at)));
}

export interface StepRow {
  row: number;
  /** EntryInput's output as staged (a row staged whole: rebuilt from its entry); null for a staged create that SQL copies (createStagedEntries) */
  input: EntryInput | null;
  current: Entry | null;
  /** its entry was staged whole and the code is still free: publishing copies the staged row in SQL */
  stagedCreate: boolean;
}

/**
 * A publish step's staged rows (valid ones, after the cursor) with the entries they replace,
 * in one statement: run alone for a call's first step, then as the last statement of each
 * step's write batch (it reads the entries as that batch left them).
 */
export function publishStepRowsStatement(jobId: string, afterRow: number, limit: number): BoundStatement {
  return {
    sql: `SELECT s.row AS staged_row, (${STAGED_CREATE}) AS staged_create, s.input AS staged_input,
      CASE WHEN s.entry IS NOT NULL AND e.code IS NOT NULL THEN s.entry END AS staged_entry,
      CASE WHEN e.code IS NULL THEN NULL ELSE json_object(${ENTRY_COLUMNS.map(({ name, real }) => `'${name}', ${real ? `iif(e."${name}" IS NULL, NULL, printf('%!.17g', e."${name}"))` : `e."${name}"`}`).join(", ")}) END AS current
    FROM formulary_import_rows s LEFT JOIN formulary_entries e ON e.code = s.code
    WHERE s.job_id = ? AND s.row > ? AND s.outcome <> 'rejected'
    ORDER BY s.row LIMIT ?`,
    params: [jobId, afterRow, limit],
  };
}

/**
 * formulary_entries' columns: a step reads the entry a row replaces as ONE json_object (3
 * values a row through D1's binding instead of ~45). JSON renders a REAL with 15 significant
 * digits, so REAL columns travel as 17-digit text (exactly the stored double) and are turned
 * back into numbers: an unchanged entry must compare equal to its row in the file.
 */
const ENTRY_COLUMNS = Object.values(getTableColumns(formularyEntries)).map((c) => ({ name: c.name, real: c.columnType === "SQLiteReal" }));

function currentEntryOf(json: string): Entry {
  const raw = JSON.parse(json) as Record<string, unknown>;
  for (const { name, real } of ENTRY_COLUMNS) if (real && typeof raw[name] === "string") raw[name] = Number(raw[name]);
  return rowToEntry(fromRawRow(formularyEntries, raw));
}

export function stepRowsOf(raws: Record<string, unknown>[]): StepRow[] {
  return raws.map((raw) => ({
    row: Number(raw.staged_row),
    input: typeof raw.staged_input === "string" ? (JSON.parse(raw.staged_input) as EntryInput) : typeof raw.staged_entry === "string" ? inputOfStagedEntry(raw.staged_entry) : null,
    current: typeof raw.current === "string" ? currentEntryOf(raw.current) : null,
    stagedCreate: raw.staged_create === 1,
  }));
}

/**
 * The input a row staged whole stands for, when its code was created after it was staged and
 * publishing must revise that entry instead: the staged content, its pinyin and defaults as
 * the file's row gave them, and its date only if the file had one.
 */
function inputOfStagedEntry(json: string): EntryInput {
  const staged = JSON.parse(json) as Record<string, unknown>;
  const content = contentOf(rowToEntry(fromRawRow(formularyEntries, { ...staged, version: 1, updated_at: "", updated_by: "" })));
  const effectiveFrom = typeof staged.effective_from === "string" ? staged.effective_from : undefined;
  return { ...content, effectiveFrom } as EntryInput;
}

/** A staged row `s` (joined with its entry `e`) whose entry was staged whole and does not exist yet. */
const STAGED_CREATE = "s.entry IS NOT NULL AND e.code IS NULL";

/** Columns a staged entry leaves out: the publishing admin's stamp, set when it is published. */
const STAMP_COLUMNS = new Set(["updated_at", "updated_by", "version"]);

/**
 * A row that creates its entry, staged whole (formulary_import_rows.entry): the
 * formulary_entries row as driver values by column name, as bulkInsert would bind them,
 * without the stamp; effective_from only when the file gave one (else the publishing day's).
 */
export function stagedEntryOf(row: EntryRow, effectiveFrom: string | null): string {
  const out: Record<string, unknown> = {};
  for (const { key, name, toDriver } of STAGED_COLUMNS) {
    const value = name === "effective_from" ? effectiveFrom : row[key];
    out[name] = value === null || value === undefined ? null : toDriver(value);
  }
  return JSON.stringify(out);
}

/**
 * formulary_entries' columns a staged entry holds (every one but the stamp), with their
 * driver mapping resolved once: a staged chunk maps ~45,000 values, and a call through
 * each column's mapToDriverValue was a tenth of the upload's CPU.
 */
const STAGED_COLUMNS = Object.entries(getTableColumns(formularyEntries))
  .filter(([, col]) => !STAMP_COLUMNS.has(col.name))
  .map(([key, col]) => ({ key: key as keyof EntryRow, name: col.name, toDriver: driverMapping(col) }));

/** A column's mapToDriverValue, spelled out for the kinds whose mapping is known (the rest call it). */
function driverMapping(col: { columnType: string; mapToDriverValue(v: unknown): unknown }): (v: unknown) => unknown {
  if (col.columnType === "SQLiteBoolean") return (v) => (v ? 1 : 0);
  if (col.columnType === "SQLiteTextJson") return (v) => JSON.stringify(v);
  if (col.columnType === "SQLiteText" || col.columnType === "SQLiteReal" || col.columnType === "SQLiteInteger") return (v) => v;
  return (v) => col.mapToDriverValue(v);
}

export interface PublishStamp {
  at: string;
  by: string;
  /** the publishing day (China), the effective date of an entry whose file gave none */
  today: string;
}

/**
 * The staged creates of a step's rows (afterRow, lastRow], published in SQL: their history
 * rows (version 1 of the job's target formulary version), then the entries, both straight
 * from formulary_import_rows, so a new entry never travels through the Worker twice. Only
 * codes that still do not exist (the step's read said so, and formulary edits wait while a
 * job publishes); the rest of the step goes through importStatements.
 */
export function createStagedEntries(jobId: string, afterRow: number, lastRow: number, stamp: PublishStamp, formularyVersion: number | null): BoundStatement[] {
  const from = `FROM formulary_import_rows s LEFT JOIN formulary_entries e ON e.code = s.code
    WHERE s.job_id = ? AND s.row > ? AND s.row <= ? AND s.outcome <> 'rejected' AND ${STAGED_CREATE}`;
  const range = [jobId, afterRow, lastRow];
  const staged = (name: string) => `json_extract(s.entry, '$.${name}')`;
  const effectiveFrom = `COALESCE(${staged("effective_from")}, ?)`;
  const history = {
    sql: `INSERT INTO formulary_entry_versions (code, version, formulary_version, status, effective_from, change, snapshot, changed_at, changed_by, import_id)
      SELECT s.code, 1, COALESCE(?, (SELECT version FROM formulary_meta WHERE id = 1)), ${staged("status")}, ${effectiveFrom}, 'create', NULL, ?, ?, ? ${from}`,
    params: [formularyVersion, stamp.today, stamp.at, stamp.by, jobId, ...range],
  };
  const columns = Object.values(getTableColumns(formularyEntries)).map((c) => c.name);
  const values = columns.map((name) => {
    if (name === "version") return { sql: "1", params: [] };
    if (name === "updated_at") return { sql: "?", params: [stamp.at] };
    if (name === "updated_by") return { sql: "?", params: [stamp.by] };
    if (name === "effective_from") return { sql: effectiveFrom, params: [stamp.today] };
    return { sql: staged(name), params: [] };
  });
  const entries = {
    sql: `INSERT INTO formulary_entries (${columns.map((c) => `"${c}"`).join(", ")}) SELECT ${values.map((v) => v.sql).join(", ")} ${from}`,
    params: [...values.flatMap((v) => v.params), ...range],
  };
  // the history first: the entries' insert makes their codes exist
  return [history, entries];
}

export interface StepCounts {
  lastRow: number;
  created: number;
  updated: number;
  unchanged: number;
}

/** The job publishing (at most one) when no step has moved it since `before`. */
export function stalledPublishingQuery(db: Db, before: string) {
  const j = formularyImportJobs;
  return db
    .select()
    .from(j)
    .where(and(eq(j.status, "publishing"), lt(j.updatedAt, before)))
    .limit(1);
}

/** Moves the cursor past a step; changes nothing when another call moved it first (then a guard fails the batch). */
export function advancePublishCursor(db: Db, jobId: string, fromRow: number, step: StepCounts, at: string) {
  const j = formularyImportJobs;
  return db
    .update(j)
    .set({
      publishCursor: step.lastRow,
      publishedCreated: sql`${j.publishedCreated} + ${step.created}`,
      publishedUpdated: sql`${j.publishedUpdated} + ${step.updated}`,
      publishedUnchanged: sql`${j.publishedUnchanged} + ${step.unchanged}`,
      updatedAt: at,
    })
    .where(and(eq(j.id, jobId), eq(j.status, "publishing"), eq(j.publishCursor, fromRow)));
}

/** THE switch: readers see the target version's entries from this statement on. */
export function switchFormularyVersion(db: Db, target: number, at: string) {
  return db
    .update(formularyMeta)
    .set({ version: target, updatedAt: at })
    .where(and(eq(formularyMeta.id, 1), eq(formularyMeta.version, target - 1)));
}

export function finishPublishing(db: Db, jobId: string, lastRow: number, by: string, at: string, expiresAt: string) {
  const j = formularyImportJobs;
  return db
    .update(j)
    .set({ status: "published", publishedAt: at, publishedBy: by, updatedAt: at, expiresAt })
    .where(and(eq(j.id, jobId), eq(j.status, "publishing"), eq(j.publishCursor, lastRow)));
}

export function abortJob(db: Db, jobId: string, at: string) {
  const j = formularyImportJobs;
  return db.update(j).set({ status: "aborted", updatedAt: at, expiresAt: at }).where(and(eq(j.id, jobId), eq(j.status, "open")));
}

/** A page of the per-row report, by row number. */
export function reportRowsQuery(db: Db, jobId: string, limit: number, afterRow: number, outcome?: string) {
  const r = formularyImportRows;
  return db
    .select({ row: r.row, seq: r.seq, code: r.code, outcome: r.outcome, version: r.version, issues: r.issues })
    .from(r)
    .where(and(eq(r.jobId, jobId), gt(r.row, afterRow), outcome ? eq(r.outcome, outcome) : undefined))
    .orderBy(asc(r.row))
    .limit(limit);
}

/** Rows deleted per cleanup statement: bounded, so a tick never holds the database. */
export const CLEANUP_ROWS_PER_TICK = 5000;

/**
 * Open jobs past their expiry become 'expired'; staged rows and chunks of finished jobs
 * (published, aborted, expired) past their expiry are deleted, a bounded number per call.
 * A 'publishing' job is left alone: publishing resumes when publish is called again.
 */
export function cleanupStatements(db: Db, at: string) {
  const j = formularyImportJobs;
  const finished = db
    .select({ id: j.id })
    .from(j)
    .where(and(inArray(j.status, ["published", "aborted", "expired"]), lt(j.expiresAt, at)));
  return [
    db.update(j).set({ status: "expired", updatedAt: at }).where(and(eq(j.status, "open"), lt(j.expiresAt, at))),
    db.delete(formularyImportRows).where(
      sql`rowid IN (SELECT rowid FROM ${formularyImportRows} WHERE ${formularyImportRows.jobId} IN ${finished} LIMIT ${CLEANUP_ROWS_PER_TICK})`,
    ),
    db.delete(formularyImportChunks).where(inArray(formularyImportChunks.jobId, finished)),
  ] as const;
}

