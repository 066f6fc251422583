import { and, asc, eq, getTableColumns, gt, inArray, lt, sql } from "drizzle-orm";
import { formularyEntries, formularyImportChunks, formularyImportJobs, formularyImportRows, formularyMeta } from "../../schema";
import { type BoundStatement, bulkInsert } from "../db/bulk";
import { constraintFailed } from "../db/errors";
import type { Db } from "../db/index";
import { fromRawRow } from "../db/rows";
import { rowToEntry } from "./formulary.mapping";
import type { Entry } from "./formulary.schemas";

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
  return bulkInsert(formularyImportRows, rows, { rowsPerStatement: STAGE_ROWS_PER_STATEMENT });
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
  input: string;
  current: Entry | null;
}

/**
 * A publish step's staged rows (valid ones, after the cursor) with the entries they replace,
 * in one statement: run alone for a call's first step, then as the last statement of each
 * step's write batch (it reads the entries as that batch left them).
 */
export function publishStepRowsStatement(jobId: string, afterRow: number, limit: number): BoundStatement {
  return {
    sql: `SELECT s.row AS staged_row, s.input AS staged_input,
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
    input: String(raw.staged_input),
    current: typeof raw.current === "string" ? currentEntryOf(raw.current) : null,
  }));
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

