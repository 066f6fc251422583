/*
 * Chunked, staged, resumable formulary imports (issue 12: imports that never freeze).
 *
 * 1. CREATE a job (file name, format, expected chunks and rows, rows per chunk).
 * 2. UPLOAD chunks (PUT …/chunks/{seq}, at most MAX_CHUNK_ROWS rows and MAX_CHUNK_BYTES):
 *    each is parsed and validated by the same code as POST /formulary/imports
 *    (parseImportBody, validateRows, classify), classified against the formulary of that
 *    moment, and staged in formulary_import_rows in ONE batch of a few statements (~ms),
 *    with the chunk's digest (re-sending it is harmless, a different body for its seq is
 *    409), the job's counters and an audit row. Two round trips per chunk: read, write.
 *    GET the job lists the missing chunks: a client resumes by sending those.
 * 3. PUBLISH in bounded steps, invisible until one switch:
 *    - start: the job becomes 'publishing' and reserves target = formulary_meta.version + 1
 *      (a partial unique index lets one job publish at a time);
 *    - each step (PUBLISH_STEP_ROWS staged rows; one batch, which also reads the next step's
 *      rows) re-classifies its rows against the entries as they are now, writes them into
 *      formulary_entries (upsert guarded by version, FTS by its triggers) with their history
 *      rows at formulary_version = target, after keeping each superseded entry's content as
 *      its previous version's snapshot;
 *    - the switch: ONE statement sets formulary_meta.version = target, in the batch that
 *      marks the job published, records the import and audits it.
 *    Readers see the published formulary only: a history row above formulary_meta.version
 *    is not published yet. The rule context (validate, sign) reads history rows of published
 *    versions only (publishedVersionsOnly), so a half-published entry resolves to its
 *    previous version's snapshot and a half-published new code does not exist; search and
 *    GET /formulary/drugs/{code} read formulary_entries through publishedEntrySql (an
 *    unpublished version shows its previous snapshot, an unpublished first version is left
 *    out). Before the switch every reader sees the old list wholly, after it the new one
 *    wholly, and no statement ever touches more than one step's rows. While a job is
 *    publishing, the writers that bump the formulary version (create, patch, the one-shot
 *    import) answer 409: their bump would publish the half-written steps.
 *    Known approximation: while publishing, search MATCHES on the new terms of a
 *    half-published entry (then shows its old content), and the last-long-prescription
 *    lookup compares the new generic names; both for the seconds a publication lasts.
 *    Between two steps the call yields (yieldToOtherRequests), so a doctor's request waits
 *    for one step's batch at most, never for a whole call.
 *    Publish is resumable: each call runs at most PUBLISH_STEPS_PER_CALL steps (well under
 *    1,000 queries per invocation) and answers 202 until the switch, 200 after it; the
 *    cursor in the job makes a retried or concurrent call safe (a guard refuses a stale step).
 *    A publishing job cannot be aborted (its steps are already written): it is finished.
 * 4. ABORT an open job; an open job untouched for JOB_TTL_HOURS expires
 *    (cleanupImportJobs, from the cron), which also deletes staged rows of finished jobs a
 *    bounded number at a time.
 */
import { z } from "@hono/zod-openapi";
import { auditStatement } from "../audit/audit.repo";
import { type Ctx, SYSTEM_ACTOR } from "../context";
import { prepare } from "../db/bulk";
import { expectChanged, isGuardFailure } from "../db/guard";
import type { Db } from "../db/index";
import { ApiError } from "../errors/problem";
import {
  classify,
  type ImportFormat,
  type ImportOutcome,
  type ImportRowReport,
  type PlannedRow,
  MAX_IMPORT_ROWS,
  parseImportBody,
  summarize,
  validateRows,
} from "./formulary.import";
import { type EntryRow, entryToRow, rowToEntry } from "./formulary.mapping";
import { type EntryChange, importStatements, insertImportRecord, isVersionConflict } from "./formulary.repo";
import type { Entry } from "./formulary.schemas";
import { completeEntry, reviseEntry, today } from "./formulary.service";
import {
  abortJob,
  advancePublishCursor,
  type ChunkCounts,
  chunksQuery,
  cleanupStatements,
  countChunkIntoJob,
  createStagedEntries,
  entriesByCodesQuery,
  finishPublishing,
  insertChunk,
  insertJob,
  isAnotherPublishing,
  isDuplicateChunk,
  isDuplicateStagedCode,
  type JobRow,
  type JobStatus,
  jobQuery,
  stagedCodesQuery,
  publishStepRowsStatement,
  type StepRow,
  stepRowsOf,
  reportRowsQuery,
  stageRowsStatements,
  stagedEntryOf,
  stalledPublishingQuery,
  startPublishing,
  switchFormularyVersion,
} from "./import-jobs.repo";

/** Rows per chunk at most: a chunk parses, validates and stages in well under a second of CPU and 128 MB. */
export const MAX_CHUNK_ROWS = 2000;
/** Bytes per chunk body at most (1 MiB): far below every request, string and statement limit once staged. */
export const MAX_CHUNK_BYTES = 1024 * 1024;
export const MAX_CHUNKS = 1000;
/** Rows written per publish step: one batch of a few statements, tens of milliseconds. */
export const PUBLISH_STEP_ROWS = 500;
/** Steps per publish call: ~6 statements each, far below 1,000 queries per invocation. */
export const PUBLISH_STEPS_PER_CALL = 40;
export const JOB_TTL_HOURS = 24;

export const JobCreate = z
  .object({
    fileName: z.string().trim().min(1).max(200).openapi({ example: "formulary-2026-12.csv" }),
    format: z.enum(["csv", "json"]),
    expectedChunks: z.number().int().min(1).max(MAX_CHUNKS),
    expectedRows: z.number().int().min(1).max(MAX_IMPORT_ROWS).optional(),
    chunkRows: z.number().int().min(1).max(MAX_CHUNK_ROWS).default(1000).openapi({ description: "rows per chunk at most (the last may have fewer)" }),
  })
  .strict()
  .refine((j) => j.expectedRows === undefined || (j.expectedRows <= j.expectedChunks * j.chunkRows && j.expectedRows > (j.expectedChunks - 1) * j.chunkRows), {
    message: "expectedRows does not fit expectedChunks × chunkRows",
    path: ["expectedRows"],
  })
  .refine((j) => j.expectedChunks * j.chunkRows <= MAX_IMPORT_ROWS, { message: `at most ${MAX_IMPORT_ROWS} rows per import (expectedChunks × chunkRows)`, path: ["expectedChunks"] })
  .openapi("FormularyImportJobCreate");
export type JobCreate = z.infer<typeof JobCreate>;

type Counts = Record<ImportOutcome, number>;

export interface JobView {
  id: string;
  fileName: string;
  format: ImportFormat;
  status: JobStatus;
  createdBy: string;
  createdAt: string;
  expiresAt: string;
  expectedChunks: number;
  expectedRows: number | null;
  chunkRows: number;
  chunksReceived: number;
  missingChunks: number[];
  rowsStaged: number;
  summary: Counts & { total: number };
  publish: {
    targetVersion: number | null;
    rowsPublished: number;
    rowsToPublish: number;
    created: number;
    updated: number;
    unchanged: number;
    publishedAt: string | null;
    publishedBy: string | null;
  };
}

function hoursFrom(now: Date, hours: number): string {
  return new Date(now.getTime() + hours * 3_600_000).toISOString();
}

function jobView(job: JobRow, receivedSeqs: Iterable<number>): JobView {
  const received = new Set(receivedSeqs);
  const missingChunks: number[] = [];
  for (let seq = 1; seq <= job.expectedChunks; seq++) if (!received.has(seq)) missingChunks.push(seq);
  const rowsPublished = job.publishedCreated + job.publishedUpdated + job.publishedUnchanged;
  return {
    id: job.id,
    fileName: job.fileName,
    format: job.format === "csv" ? "csv" : "json",
    status: job.status as JobStatus,
    createdBy: job.createdBy,
    createdAt: job.createdAt,
    expiresAt: job.expiresAt,
    expectedChunks: job.expectedChunks,
    expectedRows: job.expectedRows,
    chunkRows: job.chunkRows,
    chunksReceived: job.chunksReceived,
    missingChunks,
    rowsStaged: job.rowsStaged,
    summary: { total: job.rowsStaged, created: job.created, updated: job.updated, unchanged: job.unchanged, rejected: job.rejected },
    publish: {
      targetVersion: job.targetVersion,
      rowsPublished,
      rowsToPublish: job.rowsStaged - job.rejected,
      created: job.publishedCreated,
      updated: job.publishedUpdated,
      unchanged: job.publishedUnchanged,
      publishedAt: job.publishedAt,
      publishedBy: job.publishedBy,
    },
  };
}

/** The job, if it is the caller's (jobs are their admin's: another admin sees 403). */
function ownJob(ctx: Ctx, job: JobRow | undefined, id: string): JobRow {
  if (!job) throw new ApiError("not-found", `no import job ${id}`);
  if (job.createdBy !== ctx.actor.sub) throw new ApiError("forbidden", "this import job belongs to another admin");
  return job;
}

function assertOpen(job: JobRow, now: Date) {
  if (job.status === "open" && job.expiresAt <= now.toISOString()) throw new ApiError("conflict", "the import job expired; create a new one");
  if (job.status !== "open") throw new ApiError("conflict", `the import job is ${job.status}`);
}

async function loadJob(ctx: Ctx, id: string): Promise<{ job: JobRow; seqs: number[] }> {
  const [jobs, chunks] = await ctx.db.batch([jobQuery(ctx.db, id), chunksQuery(ctx.db, id)]);
  return { job: ownJob(ctx, jobs[0], id), seqs: chunks.map((c) => c.seq) };
}

export async function createJob(ctx: Ctx, input: JobCreate): Promise<JobView> {
  const at = ctx.now.toISOString();
  const job: JobRow = {
    id: crypto.randomUUID(),
    createdBy: ctx.actor.sub,
    createdAt: at,
    updatedAt: at,
    expiresAt: hoursFrom(ctx.now, JOB_TTL_HOURS),
    fileName: input.fileName,
    format: input.format,
    expectedChunks: input.expectedChunks,
    expectedRows: input.expectedRows ?? null,
    chunkRows: input.chunkRows,
    status: "open",
    chunksReceived: 0,
    rowsStaged: 0,
    created: 0,
    updated: 0,
    unchanged: 0,
    rejected: 0,
    targetVersion: null,
    publishCursor: 0,
    publishedCreated: 0,
    publishedUpdated: 0,
    publishedUnchanged: 0,
    publishedAt: null,
    publishedBy: null,
  };
  await ctx.db.batch([
    insertJob(ctx.db, job),
    auditStatement(ctx, { action: "formulary.import-job.create", entityType: "formulary_import_job", entityId: job.id, after: input }),
  ]);
  return jobView(job, []);
}

export async function getJob(ctx: Ctx, id: string): Promise<JobView> {
  const { job, seqs } = await loadJob(ctx, id);
  return jobView(job, seqs);
}

async function sha256Hex(bytes: Uint8Array): Promise<string> {
  // (a copy: digest() takes an ArrayBuffer-backed view, a request body may be any ArrayBufferLike)
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new Uint8Array(bytes)));
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}

export interface ChunkResult {
  seq: number;
  /** false: this very chunk had been received already (a retry); nothing was written */
  stored: boolean;
  firstRow: number;
  counts: ChunkCounts;
  job: JobView;
}

/** A staged entry's stamp is set when it is published (createStagedEntries); stagedEntryOf leaves it out. */
const UNSTAMPED = { updatedAt: "", updatedBy: "", version: 1 };

/**
 * A row that creates its entry is staged whole, as the entry's row (formulary_import_rows.entry),
 * not as its input: publishing copies it in SQL (createStagedEntries). Null for any other row.
 */
function stagedEntry(p: PlannedRow): string | null {
  if (p.report.outcome !== "created" || !p.content || !p.input) return null;
  return stagedEntryOf(entryToRow(p.content, UNSTAMPED), p.input.effectiveFrom ?? null);
}

function countsOf(rows: ImportRowReport[]): ChunkCounts {
  const s = summarize(rows);
  return { rows: s.total, created: s.created, updated: s.updated, unchanged: s.unchanged, rejected: s.rejected };
}

/**
 * Stages one chunk: one read round trip (job, received chunks, stored entries and codes
 * staged by other chunks), one write batch (guarded counters, chunk, staged rows, audit).
 */
export async function putChunk(ctx: Ctx, id: string, seq: number, format: ImportFormat, body: Uint8Array): Promise<ChunkResult> {
  if (body.byteLength > MAX_CHUNK_BYTES) throw new ApiError("payload-too-large", `a chunk is at most ${MAX_CHUNK_BYTES} bytes`);
  const digest = await sha256Hex(body);
  // parsed and validated before the read (the format comes with the request and is checked
  // against the job's), so the job, its chunks, the stored entries and the codes other
  // chunks staged are read in ONE round trip
  const raw = parseImportBody(format, new TextDecoder().decode(body));
  if (raw.length === 0) throw new ApiError("bad-request", "the chunk has no rows");
  if (raw.length > MAX_CHUNK_ROWS) throw new ApiError("payload-too-large", `a chunk has at most ${MAX_CHUNK_ROWS} rows`);
  const provisional = validateRows(raw, ctx.now);
  const codes = [...new Set(provisional.flatMap((p) => (p.content ? [p.content.code] : [])))];
  const [jobs, chunks, existingRows, staged] = await ctx.db.batch([
    jobQuery(ctx.db, id),
    chunksQuery(ctx.db, id),
    entriesByCodesQuery(ctx.db, codes),
    stagedCodesQuery(ctx.db, id, codes),
  ]);
  const job = ownJob(ctx, jobs[0], id);
  const seqs = chunks.map((c) => c.seq);
  const firstRow = (seq - 1) * job.chunkRows + 1;
  const already = chunks.find((c) => c.seq === seq);
  if (already) {
    if (already.sha256 !== digest) throw new ApiError("conflict", `chunk ${seq} was received with a different body`);
    return { seq, stored: false, firstRow, counts: { rows: 0, created: 0, updated: 0, unchanged: 0, rejected: 0 }, job: jobView(job, seqs) };
  }
  assertOpen(job, ctx.now);
  if (format !== job.format) throw new ApiError("unsupported-media-type", `this import job takes ${job.format} chunks`);
  if (seq > job.expectedChunks) throw new ApiError("bad-request", `the job has ${job.expectedChunks} chunks; there is no chunk ${seq}`);
  if (raw.length > job.chunkRows) throw new ApiError("payload-too-large", `a chunk of this job has at most ${job.chunkRows} rows`);
  // row numbers in the file: this chunk's rows start at firstRow
  const validated = provisional.map((p) => ({ ...p, report: { ...p.report, row: p.report.row + firstRow - 1 } }));
  const existing = new Map(existingRows.map((r) => [r.code, rowToEntry(r)]));
  const seen = new Map(staged.flatMap((s) => (s.code ? [[s.code, s.row] as const] : [])));
  const planned = classify(validated, existing, ctx.now, seen);
  const reports = planned.map((p) => p.report);
  const counts = countsOf(reports);
  const at = ctx.now.toISOString();
  const stageRows = planned.map((p, i) => {
    const entry = stagedEntry(p);
    return {
      jobId: id,
      row: p.report.row,
      seq,
      code: p.report.code,
      outcome: p.report.outcome,
      version: p.report.version ?? null,
      issues: p.report.issues ?? null,
      // the row as EntryInput parsed it (zod's output): publishing re-classifies it against the
      // entries of that moment without parsing it again (a third of a publish step's CPU)
      input: p.report.outcome === "rejected" || entry !== null ? null : JSON.stringify(validated[i]?.input ?? null),
      entry,
    };
  });
  const d1 = ctx.db.$client;
  const toD1 = (q: { toSQL(): { sql: string; params: unknown[] } }) => prepare(d1, q.toSQL());
  try {
    await d1.batch([
      toD1(countChunkIntoJob(ctx.db, id, counts, at, hoursFrom(ctx.now, JOB_TTL_HOURS))),
      toD1(expectChanged(ctx.db)),
      toD1(insertChunk(ctx.db, { jobId: id, seq, sha256: digest, rows: counts.rows, created: counts.created, updated: counts.updated, unchanged: counts.unchanged, rejected: counts.rejected, receivedAt: at })),
      ...stageRowsStatements(stageRows).map((s) => prepare(d1, s)),
      toD1(auditStatement(ctx, { action: "formulary.import-job.chunk", entityType: "formulary_import_job", entityId: id, after: { seq, sha256: digest, ...counts } })),
    ]);
  } catch (err) {
    if (isGuardFailure(err)) throw new ApiError("conflict", "the import job is no longer open");
    if (isDuplicateChunk(err)) throw new ApiError("conflict", `chunk ${seq} is being received by another request; send it again to check it`);
    if (isDuplicateStagedCode(err)) throw new ApiError("conflict", "another chunk staged one of these codes at the same moment; send this chunk again");
    throw err;
  }
  const updated: JobRow = {
    ...job,
    chunksReceived: job.chunksReceived + 1,
    rowsStaged: job.rowsStaged + counts.rows,
    created: job.created + counts.created,
    updated: job.updated + counts.updated,
    unchanged: job.unchanged + counts.unchanged,
    rejected: job.rejected + counts.rejected,
    updatedAt: at,
  };
  return { seq, stored: true, firstRow, counts, job: jobView(updated, [...seqs, seq]) };
}

export async function reportPage(ctx: Ctx, id: string, limit: number, afterRow: number, outcome?: ImportOutcome) {
  const [jobs, rows] = await ctx.db.batch([jobQuery(ctx.db, id), reportRowsQuery(ctx.db, id, limit + 1, afterRow, outcome)]);
  ownJob(ctx, jobs[0], id);
  return rows.map((r) => ({
    row: r.row,
    chunk: r.seq,
    code: r.code,
    outcome: r.outcome as ImportOutcome,
    ...(r.version === null ? {} : { version: r.version }),
    ...(r.issues ? { issues: r.issues } : {}),
  }));
}

export async function abort(ctx: Ctx, id: string): Promise<JobView> {
  const { job, seqs } = await loadJob(ctx, id);
  if (job.status === "publishing") throw new ApiError("conflict", "the import job is being published and cannot be aborted; publish it to the end");
  if (job.status !== "open") throw new ApiError("conflict", `the import job is ${job.status}`);
  const at = ctx.now.toISOString();
  try {
    await ctx.db.batch([
      abortJob(ctx.db, id, at),
      expectChanged(ctx.db),
      auditStatement(ctx, { action: "formulary.import-job.abort", entityType: "formulary_import_job", entityId: id }),
    ]);
  } catch (err) {
    if (isGuardFailure(err)) throw new ApiError("conflict", "the import job changed meanwhile; reload it");
    throw err;
  }
  return jobView({ ...job, status: "aborted", updatedAt: at, expiresAt: at }, seqs);
}

interface StepPlan {
  entryRows: EntryRow[];
  kinds: EntryChange[];
  superseded: Entry[];
  /** rows whose staged entry SQL copies (createStagedEntries) */
  stagedCreates: number;
  counts: { lastRow: number; created: number; updated: number; unchanged: number };
}

/** Classifies a step's staged rows (EntryInput's output, checked when their chunk came in) against the entries as they are now. */
function planStep(ctx: Ctx, rows: StepRow[]): StepPlan {
  const at = ctx.now.toISOString();
  const plan: StepPlan = { entryRows: [], kinds: [], superseded: [], stagedCreates: 0, counts: { lastRow: 0, created: 0, updated: 0, unchanged: 0 } };
  for (const staged of rows) {
    plan.counts.lastRow = staged.row;
    if (staged.stagedCreate) {
      // staged whole by putChunk: createStagedEntries copies it in SQL
      plan.stagedCreates++;
      plan.counts.created++;
      continue;
    }
    // EntryInput's own output, staged by putChunk (the only writer of formulary_import_rows); only rejected rows have none, and steps skip them
    const input = staged.input;
    if (input === null) throw new Error(`staged row ${staged.row} has no input`);
    const stamp = { updatedAt: at, updatedBy: ctx.actor.sub };
    if (!staged.current) {
      plan.entryRows.push(entryToRow(completeEntry(input, undefined, ctx.now), { ...stamp, version: 1 }));
      plan.kinds.push("create");
      plan.counts.created++;
      continue;
    }
    const content = reviseEntry(staged.current, input, ctx.now);
    if (!content) {
      plan.counts.unchanged++;
      continue;
    }
    plan.entryRows.push(entryToRow(content, { ...stamp, version: staged.current.version + 1 }));
    plan.kinds.push("import");
    plan.superseded.push(staged.current);
    plan.counts.updated++;
  }
  return plan;
}

async function readStepRows(ctx: Ctx, jobId: string, cursor: number, stepRows: number): Promise<StepRow[]> {
  const { results } = await prepare(ctx.db.$client, publishStepRowsStatement(jobId, cursor, stepRows)).all<Record<string, unknown>>();
  return stepRowsOf(results);
}

/**
 * One step: one batch that writes `rows` and reads the next step's rows (its last
 * statement). Returns the new cursor and those rows.
 */
async function publishStep(ctx: Ctx, job: JobRow, cursor: number, rows: StepRow[], stepRows: number): Promise<{ cursor: number; next: StepRow[] }> {
  const plan = planStep(ctx, rows);
  const d1 = ctx.db.$client;
  const toD1 = (q: { toSQL(): { sql: string; params: unknown[] } }) => prepare(d1, q.toSQL());
  let results: D1Result[];
  try {
    results = await d1.batch([
      toD1(advancePublishCursor(ctx.db, job.id, cursor, plan.counts, ctx.now.toISOString())),
      toD1(expectChanged(ctx.db)),
      ...(plan.stagedCreates > 0
        ? createStagedEntries(job.id, cursor, plan.counts.lastRow, { at: ctx.now.toISOString(), by: ctx.actor.sub, today: today(ctx.now) }, job.targetVersion).map((s) => prepare(d1, s))
        : []),
      ...importStatements(plan.entryRows, plan.kinds, job.id, plan.superseded, job.targetVersion ?? undefined).map((s) => prepare(d1, s)),
      prepare(d1, publishStepRowsStatement(job.id, plan.counts.lastRow, stepRows)),
    ]);
  } catch (err) {
    if (isGuardFailure(err)) throw new ApiError("conflict", "another request is publishing this job; reload it");
    if (isVersionConflict(err)) throw new ApiError("conflict", "an entry changed while publishing; publish again");
    throw err;
  }
  return { cursor: plan.counts.lastRow, next: stepRowsOf((results.at(-1)?.results ?? []) as Record<string, unknown>[]) };
}

/**
 * Lets requests that arrived meanwhile run between two steps. On Cloudflare a D1 call is
 * network I/O and they would anyway; in workerd locally (npm start, the bench) the app and
 * its D1 share one event loop, and a chain of D1 calls that never waits on a socket keeps
 * every other request (a doctor's lookup) out until the whole publish call ends: seconds.
 * A zero-delay timer sends the loop back to its I/O once per step.
 */
function yieldToOtherRequests(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

export interface PublishLimits {
  maxSteps: number;
  stepRows: number;
}

/**
 * Publishes the job: starts it, runs up to `maxSteps` steps, and switches when none is
 * left. (Tests pass small limits to read the formulary between steps.)
 */
export async function publish(ctx: Ctx, id: string, limits: PublishLimits = { maxSteps: PUBLISH_STEPS_PER_CALL, stepRows: PUBLISH_STEP_ROWS }): Promise<{ done: boolean; job: JobView }> {
  let { job, seqs } = await loadJob(ctx, id);
  const at = ctx.now.toISOString();
  if (job.status === "published") return { done: true, job: jobView(job, seqs) };
  if (job.status === "open") {
    assertOpen(job, ctx.now);
    if (job.chunksReceived < job.expectedChunks) throw new ApiError("conflict", `${job.expectedChunks - job.chunksReceived} chunks are missing; send them first`);
    try {
      await ctx.db.batch([
        startPublishing(ctx.db, id, at),
        expectChanged(ctx.db),
        auditStatement(ctx, { action: "formulary.import-job.publish-start", entityType: "formulary_import_job", entityId: id }),
      ]);
    } catch (err) {
      if (isAnotherPublishing(err)) throw new ApiError("conflict", "another import is being published; publish this one when it is done");
      if (isGuardFailure(err)) throw new ApiError("conflict", "the import job changed meanwhile; reload it");
      throw err;
    }
    ({ job, seqs } = await loadJob(ctx, id));
  }
  if (job.status !== "publishing") throw new ApiError("conflict", `the import job is ${job.status}`);
  return publishSteps(ctx, job, limits);
}

/** Up to `limits.maxSteps` steps of a publishing job from its cursor, then the switch when none is left. */
async function publishSteps(ctx: Ctx, job: JobRow, limits: PublishLimits): Promise<{ done: boolean; job: JobView }> {
  let cursor = job.publishCursor;
  let rows = await readStepRows(ctx, job.id, cursor, limits.stepRows);
  for (let step = 0; step < limits.maxSteps; step++) {
    if (rows.length === 0) return { done: true, job: await switchToNew(ctx, job, cursor) };
    ({ cursor, next: rows } = await publishStep(ctx, job, cursor, rows, limits.stepRows));
    await yieldToOtherRequests();
  }
  const [[fresh], chunks] = await ctx.db.batch([jobQuery(ctx.db, job.id), chunksQuery(ctx.db, job.id)]);
  return { done: false, job: jobView(fresh ?? job, chunks.map((c) => c.seq)) };
}

/** A publishing job untouched this long was left by its admin (page closed, network gone): the cron carries it on. */
export const STALLED_PUBLISHING_MINUTES = 2;

/**
 * For the cron (pharmacy/scheduled.ts): a job left half-published keeps the formulary's
 * other writers at 409 until it is finished, so the cron finishes it (its rows were checked
 * and the admin asked for it to be published), one call's worth of steps per run, as the
 * scheduler. A client publishing at the same moment is safe: the cursor's guard refuses
 * the slower of the two steps.
 */
export async function resumeStalledPublishing(db: Db, now: Date, limits: PublishLimits = { maxSteps: PUBLISH_STEPS_PER_CALL, stepRows: PUBLISH_STEP_ROWS }): Promise<{ jobId: string; done: boolean } | null> {
  const [job] = await stalledPublishingQuery(db, new Date(now.getTime() - STALLED_PUBLISHING_MINUTES * 60_000).toISOString());
  if (!job) return null;
  const { done } = await publishSteps({ db, actor: SYSTEM_ACTOR, requestId: `cron-import-${job.id}`, now }, job, limits);
  return { jobId: job.id, done };
}

/** The switch batch: readers see the new list from here on. */
async function switchToNew(ctx: Ctx, job: JobRow, lastRow: number): Promise<JobView> {
  const at = ctx.now.toISOString();
  const [fresh] = await jobQuery(ctx.db, job.id);
  const current = fresh ?? job;
  const changed = current.publishedCreated + current.publishedUpdated > 0;
  const summary = {
    total: current.rowsStaged,
    created: current.publishedCreated,
    updated: current.publishedUpdated,
    unchanged: current.publishedUnchanged,
    rejected: current.rejected,
  };
  const target = current.targetVersion ?? 0;
  try {
    await ctx.db.batch([
      finishPublishing(ctx.db, job.id, lastRow, ctx.actor.sub, at, hoursFrom(ctx.now, JOB_TTL_HOURS)),
      expectChanged(ctx.db),
      // nothing written: the formulary keeps its version (and target stays unused)
      ...(changed ? [switchFormularyVersion(ctx.db, target, at), expectChanged(ctx.db)] : []),
      insertImportRecord(ctx.db, { id: job.id, at, by: ctx.actor.sub, format: job.format, summary }),
      auditStatement(ctx, { action: "formulary.import", entityType: "formulary_import", entityId: job.id, after: { format: job.format, fileName: job.fileName, summary, formularyVersion: changed ? target : null } }),
    ]);
  } catch (err) {
    if (isGuardFailure(err)) throw new ApiError("conflict", "the import job changed meanwhile; reload it");
    throw err;
  }
  const [after] = await ctx.db.batch([jobQuery(ctx.db, job.id), chunksQuery(ctx.db, job.id)]).then(([j, c]) => [j[0] ? jobView(j[0], c.map((x) => x.seq)) : undefined]);
  if (!after) throw new ApiError("not-found", `no import job ${job.id}`);
  return after;
}

/** For the cron (pharmacy/scheduled.ts): expire abandoned jobs, delete finished jobs' staged rows a bounded number at a time. */
export async function cleanupImportJobs(db: Db, now: Date): Promise<{ expired: number; rowsDeleted: number }> {
  const [expired, rows] = await db.batch(cleanupStatements(db, now.toISOString()));
  return { expired: expired.meta.changes ?? 0, rowsDeleted: rows.meta.changes ?? 0 };
}

