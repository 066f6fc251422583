import { z } from "@hono/zod-openapi";
import { serviceContext } from "../context";
import { ApiError, problemResponses } from "../errors/problem";
import { readBodyCapped } from "../http/limits";
import { guardedRoute, jsonResponse, openApiApp } from "../http/openapi";
import { decodeCursor, PageMeta, PageQuery, pageOf } from "../http/pagination";
import { ImportFormat, ImportOutcome } from "./formulary.import";
import { abort, createJob, getJob, JobCreate, MAX_CHUNK_BYTES, MAX_CHUNK_ROWS, MAX_CHUNKS, publish, putChunk, reportPage } from "./import-jobs.service";

const ADMIN = ["admin"] as const;
const TAGS = ["Formulary import jobs"];

const Counts = { created: z.number().int(), updated: z.number().int(), unchanged: z.number().int(), rejected: z.number().int() };
const JobView = z
  .object({
    id: z.string(),
    fileName: z.string(),
    format: ImportFormat,
    status: z.enum(["open", "publishing", "published", "aborted", "expired"]),
    createdBy: z.string(),
    createdAt: z.string(),
    expiresAt: z.string(),
    expectedChunks: z.number().int(),
    expectedRows: z.number().int().nullable(),
    chunkRows: z.number().int(),
    chunksReceived: z.number().int(),
    missingChunks: z.array(z.number().int()).openapi({ description: "the seqs not received yet: a client resumes by sending these" }),
    rowsStaged: z.number().int(),
    summary: z.object({ total: z.number().int(), ...Counts }).openapi({ description: "as classified when each chunk came in" }),
    publish: z
      .object({
        targetVersion: z.number().int().nullable(),
        rowsPublished: z.number().int(),
        rowsToPublish: z.number().int(),
        created: z.number().int(),
        updated: z.number().int(),
        unchanged: z.number().int(),
        publishedAt: z.string().nullable(),
        publishedBy: z.string().nullable(),
      })
      .openapi({ description: "what publishing wrote (re-checked against the formulary of that moment)" }),
  })
  .openapi("FormularyImportJob");
const ChunkResult = z
  .object({
    seq: z.number().int(),
    stored: z.boolean().openapi({ description: "false: this chunk had been received already with the same body; nothing written" }),
    firstRow: z.number().int(),
    counts: z.object({ rows: z.number().int(), ...Counts }),
    job: JobView,
  })
  .openapi("FormularyImportChunkResult");
const ReportRow = z
  .object({
    row: z.number().int(),
    chunk: z.number().int(),
    code: z.string().nullable(),
    outcome: ImportOutcome,
    version: z.number().int().optional(),
    issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  })
  .openapi("FormularyImportReportRow");

const JobParam = z.object({ id: z.string().uuid().openapi({ param: { name: "id", in: "path" } }) });
const ChunkParams = JobParam.extend({
  seq: z.coerce.number().int().min(1).max(MAX_CHUNKS).openapi({ param: { name: "seq", in: "path" }, description: `1..expectedChunks` }),
});

function chunkFormat(contentType: string | undefined): ImportFormat {
  const type = contentType ?? "";
  if (type.includes("csv")) return "csv";
  if (type.includes("json")) return "json";
  throw new ApiError("unsupported-media-type", "send a chunk as text/csv or application/json");
}

export const importJobRoutes = openApiApp()
  .openapi(
    guardedRoute(ADMIN, {
      method: "post",
      path: "/formulary/import-jobs",
      tags: TAGS,
      summary: "Start a chunked import (big files: upload chunks, check the per-row report, then publish)",
      description:
        `Chunks are numbered 1..expectedChunks; each holds at most chunkRows rows (≤ ${MAX_CHUNK_ROWS}) and ${MAX_CHUNK_BYTES} bytes, ` +
        "as CSV (with its header line) or JSON (an array of entries), the same rows as POST /formulary/imports. " +
        "Nothing is visible to readers until publish switches the formulary version. An open job expires 24 h after its last chunk.",
      request: { body: { content: { "application/json": { schema: JobCreate } }, required: true } },
      responses: { 201: jsonResponse(JobView, "The job, open for chunks"), ...problemResponses(400) },
    }),
    async (c) => {
      const job = await createJob(serviceContext(c), c.req.valid("json"));
      c.header("Location", `/api/v1/formulary/import-jobs/${job.id}`);
      return c.json(job, 201);
    },
  )
  .openapi(
    guardedRoute(ADMIN, {
      method: "get",
      path: "/formulary/import-jobs/{id}",
      tags: TAGS,
      summary: "Progress of an import job: chunks received and missing, rows staged, counts, publication",
      request: { params: JobParam },
      responses: { 200: jsonResponse(JobView, "The job"), ...problemResponses(403, 404) },
    }),
    async (c) => c.json(await getJob(serviceContext(c), c.req.valid("param").id), 200),
  )
  .openapi(
    guardedRoute(ADMIN, {
      method: "put",
      path: "/formulary/import-jobs/{id}/chunks/{seq}",
      tags: TAGS,
      summary: "Upload one chunk: parsed, validated and staged (idempotent: the same body again changes nothing; another body is 409)",
      request: {
        params: ChunkParams,
        // plain schema objects, not zod: rows are validated one by one into the report
        body: {
          content: {
            "text/csv": { schema: { type: "string" } },
            "application/json": { schema: { type: "array", items: { $ref: "#/components/schemas/FormularyEntryInput" } } },
          },
          required: true,
        },
      },
      responses: {
        201: jsonResponse(ChunkResult, "Staged"),
        200: jsonResponse(ChunkResult, "Already received with this body: nothing written"),
        ...problemResponses(403, 404, 409, 413, 415),
      },
    }),
    async (c) => {
      const { id, seq } = c.req.valid("param");
      const format = chunkFormat(c.req.header("content-type"));
      const body = await readBodyCapped(c.req.raw, MAX_CHUNK_BYTES);
      const result = await putChunk(serviceContext(c), id, seq, format, body);
      return result.stored ? c.json(result, 201) : c.json(result, 200);
    },
  )
  .openapi(
    guardedRoute(ADMIN, {
      method: "get",
      path: "/formulary/import-jobs/{id}/rows",
      tags: TAGS,
      summary: "The per-row report, by row number (outcome=rejected: the rows to fix)",
      request: { params: JobParam, query: z.object({ outcome: ImportOutcome.optional(), ...PageQuery }) },
      responses: { 200: jsonResponse(z.object({ items: z.array(ReportRow), ...PageMeta }), "A page of rows"), ...problemResponses(403, 404) },
    }),
    async (c) => {
      const { outcome, limit, cursor } = c.req.valid("query");
      const after = cursor ? decodeCursor(cursor, z.object({ r: z.number().int().min(0) })).r : 0;
      const rows = await reportPage(serviceContext(c), c.req.valid("param").id, limit, after, outcome);
      return c.json(pageOf(rows, limit, (r) => ({ r: r.row })), 200);
    },
  )
  .openapi(
    guardedRoute(ADMIN, {
      method: "post",
      path: "/formulary/import-jobs/{id}/publish",
      tags: TAGS,
      summary: "Publish: bounded steps invisible to readers, then one switch of the formulary version. Call again while 202",
      description:
        "Readers (search, entries, validation, signing) see the old formulary until the switch and the new one after it, never a mix. " +
        "Each call runs a bounded number of steps; 202 means call again (it resumes), 200 means published. " +
        "While a job publishes, entry edits and other publications answer 409.",
      request: { params: JobParam },
      responses: {
        200: jsonResponse(JobView, "Published"),
        202: jsonResponse(JobView, "Publishing; call again to continue"),
        ...problemResponses(403, 404, 409),
      },
    }),
    async (c) => {
      const { done, job } = await publish(serviceContext(c), c.req.valid("param").id);
      return done ? c.json(job, 200) : c.json(job, 202);
    },
  )
  .openapi(
    guardedRoute(ADMIN, {
      method: "post",
      path: "/formulary/import-jobs/{id}/abort",
      tags: TAGS,
      summary: "Abort an open job (its staged rows are deleted by the cleanup); a publishing job cannot be aborted",
      request: { params: JobParam },
      responses: { 200: jsonResponse(JobView, "Aborted"), ...problemResponses(403, 404, 409) },
    }),
    async (c) => c.json(await abort(serviceContext(c), c.req.valid("param").id), 200),
  );
