import { z } from "@hono/zod-openapi";
import { serviceContext } from "../context";
import { guardedRoute, jsonResponse, openApiApp } from "../http/openapi";
import { decodeCursor, PageMeta, PageQuery, pageOf } from "../http/pagination";
import { ApiError, problemResponses } from "../errors/problem";
import { ImportFormat, ImportOutcome, importEntries } from "./formulary.import";
import { importJobRoutes } from "./import-jobs.routes";
import { DrugCode, Entry, EntryInput, EntryPatch, EntryStatus } from "./formulary.schemas";
import { createEntry, entryHistory, findEntries, getEntry, getFormularyVersion, parseIfMatch, patchEntry } from "./formulary.service";

const ALL_ROLES = ["doctor", "pharmacist", "admin"] as const;

const SearchCursor = z.object({ t: z.number().int().min(0).max(3), p: z.string(), c: z.string() });
const CodeParam = z.object({ code: DrugCode.openapi({ param: { name: "code", in: "path" } }) });
const EntryPage = z.object({ items: z.array(Entry), ...PageMeta }).openapi("FormularyEntryPage");
const WriteResponse = z.object({ entry: Entry, formularyVersion: z.number().int() }).openapi("FormularyWriteResult");
const HistoryItem = z
  .object({
    version: z.number().int(),
    formularyVersion: z.number().int(),
    change: z.enum(["create", "update", "status", "import"]),
    status: EntryStatus,
    effectiveFrom: z.string(),
    changedAt: z.string(),
    changedBy: z.string(),
    importId: z.string().nullable(),
    entry: Entry,
  })
  .openapi("FormularyEntryVersion");
const ImportReport = z
  .object({
    importId: z.string().nullable(),
    dryRun: z.boolean(),
    formularyVersion: z.number().int(),
    summary: z.object({ total: z.number(), created: z.number(), updated: z.number(), unchanged: z.number(), rejected: z.number() }),
    rows: z.array(
      z.object({
        row: z.number().int(),
        code: z.string().nullable(),
        outcome: ImportOutcome,
        version: z.number().int().optional(),
        issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
      }),
    ),
  })
  .openapi("FormularyImportReport");

const etag = (version: number) => `"${version}"`;

export const formularyRoutes = openApiApp()
  .openapi(
    guardedRoute(ALL_ROLES, {
      method: "get",
      path: "/formulary/drugs",
      tags: ["Formulary"],
      summary: "Search the formulary by code, generic name, INN or pinyin initials (prefix)",
      request: {
        query: z.object({
          q: z.string().max(64).optional().openapi({ example: "ASPL" }),
          status: EntryStatus.optional(),
          ...PageQuery,
        }),
      },
      responses: { 200: jsonResponse(EntryPage, "Ranked matches: exact code, pinyin prefix, name prefix, then other matches") },
    }),
    async (c) => {
      const { q, status, limit, cursor } = c.req.valid("query");
      const after = cursor ? decodeCursor(cursor, SearchCursor) : undefined;
      const hits = await findEntries(serviceContext(c), {
        q,
        status,
        limit,
        ...(after ? { after: { tier: after.t, pinyin: after.p, code: after.c } } : {}),
      });
      const page = pageOf(hits, limit, (h) => ({ t: h.tier, p: h.entry.pinyin, c: h.entry.code }));
      return c.json({ items: page.items.map((h) => h.entry), nextCursor: page.nextCursor }, 200);
    },
  )
  .openapi(
    guardedRoute(ALL_ROLES, {
      method: "get",
      path: "/formulary/version",
      tags: ["Formulary"],
      summary: "The consortium formulary version (changes on every edit)",
      responses: { 200: jsonResponse(z.object({ version: z.number().int(), updatedAt: z.string() }), "Current version") },
    }),
    async (c) => c.json(await getFormularyVersion(serviceContext(c)), 200),
  )
  .openapi(
    guardedRoute(ALL_ROLES, {
      method: "get",
      path: "/formulary/drugs/{code}",
      tags: ["Formulary"],
      summary: "One entry; its ETag is the entry version for If-Match",
      request: { params: CodeParam },
      responses: { 200: jsonResponse(Entry, "The entry"), ...problemResponses(404) },
    }),
    async (c) => {
      const entry = await getEntry(serviceContext(c), c.req.valid("param").code);
      c.header("ETag", etag(entry.version));
      return c.json(entry, 200);
    },
  )
  .openapi(
    guardedRoute(ALL_ROLES, {
      method: "get",
      path: "/formulary/drugs/{code}/history",
      tags: ["Formulary"],
      summary: "Every version of an entry, newest first",
      request: { params: CodeParam, query: z.object(PageQuery) },
      responses: { 200: jsonResponse(z.object({ items: z.array(HistoryItem), ...PageMeta }), "Versions"), ...problemResponses(404) },
    }),
    async (c) => {
      const { limit, cursor } = c.req.valid("query");
      const before = cursor ? decodeCursor(cursor, z.object({ v: z.number().int().positive() })).v : undefined;
      const rows = await entryHistory(serviceContext(c), c.req.valid("param").code, limit, before);
      const page = pageOf(rows, limit, (r) => ({ v: r.version }));
      return c.json(page, 200);
    },
  )
  .openapi(
    guardedRoute(["admin"], {
      method: "post",
      path: "/formulary/drugs",
      tags: ["Formulary"],
      summary: "Add an entry (version 1)",
      request: { body: { content: { "application/json": { schema: EntryInput } }, required: true } },
      responses: { 201: jsonResponse(WriteResponse, "Created"), ...problemResponses(409, 413) },
    }),
    async (c) => {
      const result = await createEntry(serviceContext(c), c.req.valid("json"));
      c.header("ETag", etag(result.entry.version));
      c.header("Location", `/api/v1/formulary/drugs/${encodeURIComponent(result.entry.code)}`);
      return c.json(result, 201);
    },
  )
  .openapi(
    guardedRoute(["admin"], {
      method: "patch",
      path: "/formulary/drugs/{code}",
      tags: ["Formulary"],
      summary: "Change an entry; suspend or withdraw it with status + effectiveFrom. Needs If-Match",
      request: {
        params: CodeParam,
        headers: z.object({ "if-match": z.string().optional().openapi({ description: 'the entry version, e.g. "3"' }) }),
        body: { content: { "application/json": { schema: EntryPatch } }, required: true },
      },
      responses: { 200: jsonResponse(WriteResponse, "Updated (or unchanged)"), ...problemResponses(404, 412, 428) },
    }),
    async (c) => {
      const expected = parseIfMatch(c.req.header("if-match"));
      const result = await patchEntry(serviceContext(c), c.req.valid("param").code, expected, c.req.valid("json"));
      c.header("ETag", etag(result.entry.version));
      return c.json(result, 200);
    },
  )
  .openapi(
    guardedRoute(["admin"], {
      method: "post",
      path: "/formulary/imports",
      tags: ["Formulary"],
      summary: "Bulk import (CSV or JSON). dryRun=true reports per row and applies nothing",
      description:
        "CSV columns are the entry fields with strength, pack and maxDailyDose flattened " +
        "(strengthValue, strengthUnit, packSize, packUnit, maxDailyDoseValue, maxDailyDoseUnit); conditions separated by '|'. " +
        "ingredients: separated by ';', each name:molecule[:atc[:amount]], e.g. '格列本脲:glibenclamide:A10BB01:0.25mg' or " +
        "'缬沙坦:valsartan:C09CA03;氨氯地平:amlodipine besylate:C08CA01'; the molecule is stored as its key (salts, enantiomers dropped). " +
        "JSON: an array of entries or { entries: [...] }. A row replaces the whole entry; omitted fields take their defaults. " +
        "At most 10,000 rows and 8 MiB, applied in one batch: bigger files go through /formulary/import-jobs (chunked, never holding the database).",
      request: {
        query: z.object({
          dryRun: z.enum(["true", "false"]).default("false"),
          format: ImportFormat.optional().openapi({ description: "defaults from Content-Type" }),
        }),
        // Plain schema objects, not zod: rows are validated one by one into the report,
        // so a bad row must not fail the whole request in the validator.
        body: {
          content: {
            "text/csv": { schema: { type: "string" } },
            "application/json": { schema: { type: "array", items: { $ref: "#/components/schemas/FormularyEntryInput" } } },
          },
          required: true,
        },
      },
      responses: { 200: jsonResponse(ImportReport, "Per-row report"), ...problemResponses(409, 413, 415) },
    }),
    async (c) => {
      const { dryRun, format } = c.req.valid("query");
      const type = c.req.header("content-type") ?? "";
      const resolved = format ?? (type.includes("csv") ? "csv" : type.includes("json") ? "json" : null);
      if (!resolved) throw new ApiError("unsupported-media-type", "send text/csv or application/json");
      const report = await importEntries(serviceContext(c), resolved, await c.req.text(), dryRun === "true");
      return c.json(report, 200);
    },
  )
  // big files: chunked, staged, published in steps (import-jobs.service.ts)
  .route("/", importJobRoutes);
