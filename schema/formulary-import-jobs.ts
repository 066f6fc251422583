import { sql } from "drizzle-orm";
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

/**
 * Chunked formulary imports (issue 12; worker/formulary/import-jobs.service.ts explains the
 * design). A job is created, its chunks are uploaded and staged row by row, then it is
 * published in bounded steps behind the formulary_meta version pointer.
 */
export const formularyImportJobs = sqliteTable(
  "formulary_import_jobs",
  {
    id: text("id").primaryKey(),
    createdBy: text("created_by").notNull(),
    createdAt: text("created_at").notNull(),
    /** last activity; an open job untouched until expires_at is abandoned */
    updatedAt: text("updated_at").notNull(),
    expiresAt: text("expires_at").notNull(),
    fileName: text("file_name").notNull(),
    format: text("format").notNull(),
    expectedChunks: integer("expected_chunks").notNull(),
    expectedRows: integer("expected_rows"),
    /** rows per chunk at most; row numbers are (seq - 1) × chunkRows + position */
    chunkRows: integer("chunk_rows").notNull(),
    /** open → publishing → published; open → aborted | expired */
    status: text("status").notNull(),
    chunksReceived: integer("chunks_received").notNull().default(0),
    rowsStaged: integer("rows_staged").notNull().default(0),
    created: integer("created").notNull().default(0),
    updated: integer("updated").notNull().default(0),
    unchanged: integer("unchanged").notNull().default(0),
    rejected: integer("rejected").notNull().default(0),
    /** the formulary version the publication becomes (readers see it once formulary_meta reaches it) */
    targetVersion: integer("target_version"),
    /** the last staged row already written by a publish step */
    publishCursor: integer("publish_cursor").notNull().default(0),
    /** what publishing actually wrote (re-checked against the formulary of that moment) */
    publishedCreated: integer("published_created").notNull().default(0),
    publishedUpdated: integer("published_updated").notNull().default(0),
    publishedUnchanged: integer("published_unchanged").notNull().default(0),
    publishedAt: text("published_at"),
    publishedBy: text("published_by"),
  },
  (t) => [
    // one publication at a time: a second job's switch to 'publishing' violates it
    uniqueIndex("formulary_import_jobs_one_publishing").on(t.status).where(sql`status = 'publishing'`),
    index("formulary_import_jobs_expiry").on(t.status, t.expiresAt),
  ],
);

/** One uploaded chunk: its digest makes a re-sent chunk harmless and a different body for its seq a conflict. */
export const formularyImportChunks = sqliteTable(
  "formulary_import_chunks",
  {
    jobId: text("job_id").notNull(),
    seq: integer("seq").notNull(),
    sha256: text("sha256").notNull(),
    rows: integer("rows").notNull(),
    created: integer("created").notNull(),
    updated: integer("updated").notNull(),
    unchanged: integer("unchanged").notNull(),
    rejected: integer("rejected").notNull(),
    receivedAt: text("received_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.jobId, t.seq] })],
);

/** Staged rows: the per-row report, and for valid rows the validated input that publishing applies. */
export const formularyImportRows = sqliteTable(
  "formulary_import_rows",
  {
    jobId: text("job_id").notNull(),
    row: integer("row").notNull(),
    seq: integer("seq").notNull(),
    code: text("code"),
    outcome: text("outcome").notNull(),
    version: integer("version"),
    issues: text("issues", { mode: "json" }).$type<{ path: string; message: string }[]>(),
    /** the validated EntryInput (JSON); NULL for a rejected row, and for a row staged whole (entry) */
    input: text("input"),
    /**
     * A row that creates its entry: the formulary_entries row as staged (a JSON object of
     * driver values by column name; effective_from only when the file gave it, no stamps),
     * so publishing copies it in SQL instead of through the Worker. NULL otherwise.
     */
    entry: text("entry"),
  },
  (t) => [
    primaryKey({ columns: [t.jobId, t.row] }),
    // a code staged twice in one job (two chunks) violates it, so the second chunk is refused whole
    uniqueIndex("formulary_import_rows_code").on(t.jobId, t.code).where(sql`outcome <> 'rejected'`),
  ],
);
