import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { getDb } from "../../worker/db/index";
import { cleanupImportJobs, type JobView, MAX_CHUNK_BYTES, MAX_CHUNK_ROWS } from "../../worker/formulary/import-jobs.service";
import { anEntry } from "../builders/entries";
import { api, asAdmin, asDoctor, asPharmacist, tokenFor } from "../support/api";

type Problem = { type: string; status: number; detail: string; issues?: { path: string }[] };

async function newJob(body: Record<string, unknown> = {}, token?: string) {
  return api<JobView & Pick<Problem, "issues">>("POST", "/formulary/import-jobs", { token: token ?? (await asAdmin()), body: { fileName: "目录.json", format: "json", expectedChunks: 2, chunkRows: 2, ...body } });
}

async function send(id: string, seq: number | string, rawBody: string, type = "application/json", token?: string) {
  return api<Problem & { stored: boolean }>("PUT", `/formulary/import-jobs/${id}/chunks/${seq}`, { token: token ?? (await asAdmin()), rawBody, headers: { "content-type": type } });
}

const stagedRows = async (jobId: string) => (await env.DB.prepare("SELECT count(*) AS n FROM formulary_import_rows WHERE job_id = ?").bind(jobId).first<{ n: number }>())?.n ?? 0;
const auditCount = async (jobId: string) => (await env.DB.prepare("SELECT count(*) AS n FROM audit_events WHERE entity_id = ?").bind(jobId).first<{ n: number }>())?.n ?? 0;

describe("chunked import jobs: refusals change nothing", () => {
  it("a different body for a received chunk is 409 and the first one stays", async () => {
    const job = (await newJob()).body;
    const first = JSON.stringify([anEntry(), anEntry()]);
    expect((await send(job.id, 1, first)).status).toBe(201);
    const other = await send(job.id, 1, JSON.stringify([anEntry()]));
    expect(other.status).toBe(409);
    expect(other.headers.get("content-type")).toContain("application/problem+json");
    expect(other.body.detail).toContain("different body");
    expect(await stagedRows(job.id)).toBe(2);
  });

  it("refuses oversized chunks (rows 413, bytes 413), bad bodies (400), the wrong format (415) and seqs out of range, staging nothing", async () => {
    const job = (await newJob()).body;
    const tooMany = await send(job.id, 1, JSON.stringify([anEntry(), anEntry(), anEntry()]));
    expect([tooMany.status, tooMany.body.detail]).toEqual([413, "a chunk of this job has at most 2 rows"]);
    const overLimit = await send(job.id, 1, JSON.stringify(Array.from({ length: MAX_CHUNK_ROWS + 1 }, () => ({ code: "X" }))));
    expect(overLimit.status).toBe(413);
    const huge = await send(job.id, 1, `[${JSON.stringify({ code: "X", genericName: "x".repeat(MAX_CHUNK_BYTES) })}]`);
    expect(huge.status).toBe(413);
    expect((await send(job.id, 1, "[{")).status).toBe(400);
    expect((await send(job.id, 1, "[]")).status).toBe(400);
    const csv = "code,genericName,form,strengthValue,strengthUnit,packSize,packUnit,route,minLevel\nX1,阿司匹林,片剂,100,mg,30,片,oral,village";
    expect((await send(job.id, 1, csv, "text/csv")).status).toBe(415);
    expect((await send(job.id, 1, "x", "text/plain")).status).toBe(415);
    expect((await send(job.id, 3, JSON.stringify([anEntry()]))).status).toBe(400);
    expect((await send(job.id, 0, JSON.stringify([anEntry()]))).status).toBe(400);
    expect((await send(job.id, "x", JSON.stringify([anEntry()]))).status).toBe(400);
    expect(await stagedRows(job.id)).toBe(0);
    expect((await api<JobView>("GET", `/formulary/import-jobs/${job.id}`, { token: await asAdmin() })).body.chunksReceived).toBe(0);
  });

  it("refuses a malformed job (400) and one over 100k rows", async () => {
    expect((await newJob({ expectedChunks: 0 })).status).toBe(400);
    expect((await newJob({ format: "xml" })).status).toBe(400);
    expect((await newJob({ chunkRows: MAX_CHUNK_ROWS + 1 })).status).toBe(400);
    const over = await newJob({ expectedChunks: 101, chunkRows: 1000 });
    expect(over.status).toBe(400);
    expect(over.body.issues?.map((i) => i.path)).toContain("expectedChunks");
    expect((await newJob({ expectedRows: 9, expectedChunks: 2, chunkRows: 2 })).status).toBe(400);
  });

  it("aborts an open job: no more chunks, no publishing; the cleanup deletes its rows later", async () => {
    const job = (await newJob()).body;
    await send(job.id, 1, JSON.stringify([anEntry(), anEntry()]));
    const aborted = await api<JobView>("POST", `/formulary/import-jobs/${job.id}/abort`, { token: await asAdmin() });
    expect([aborted.status, aborted.body.status]).toEqual([200, "aborted"]);
    expect((await send(job.id, 2, JSON.stringify([anEntry()]))).status).toBe(409);
    expect((await api("POST", `/formulary/import-jobs/${job.id}/publish`, { token: await asAdmin() })).status).toBe(409);
    expect((await api("POST", `/formulary/import-jobs/${job.id}/abort`, { token: await asAdmin() })).status).toBe(409);
    expect(await stagedRows(job.id)).toBe(2);
    await cleanupImportJobs(getDb(env.DB), new Date(Date.now() + 1000));
    expect(await stagedRows(job.id)).toBe(0);
  });

  it("expires an abandoned open job", async () => {
    const job = (await newJob()).body;
    await send(job.id, 1, JSON.stringify([anEntry()]));
    const result = await cleanupImportJobs(getDb(env.DB), new Date(Date.now() + 25 * 3_600_000));
    expect(result.expired).toBeGreaterThanOrEqual(1);
    const after = await api<JobView>("GET", `/formulary/import-jobs/${job.id}`, { token: await asAdmin() });
    expect(after.body.status).toBe("expired");
    expect((await send(job.id, 2, JSON.stringify([anEntry()]))).status).toBe(409);
  });
});

describe("chunked import jobs: who may", () => {
  it("admins only: a doctor or pharmacist gets 403, nobody 401, and creates nothing", async () => {
    for (const token of [await asDoctor(), await asPharmacist()]) {
      expect((await newJob({}, token)).status).toBe(403);
    }
    expect((await api("POST", "/formulary/import-jobs", { body: { fileName: "x", format: "json", expectedChunks: 1 } })).status).toBe(401);
    const job = (await newJob()).body;
    expect((await send(job.id, 1, JSON.stringify([anEntry()]), "application/json", await asDoctor())).status).toBe(403);
    expect((await api("GET", `/formulary/import-jobs/${job.id}`, { token: await asPharmacist() })).status).toBe(403);
  });

  it("a job is its admin's: another admin gets 403 on every operation, and the job is untouched", async () => {
    const job = (await newJob()).body;
    const otherAdmin = await tokenFor("admin", "admin-city", "inst-city");
    expect((await api("GET", `/formulary/import-jobs/${job.id}`, { token: otherAdmin })).status).toBe(403);
    expect((await send(job.id, 1, JSON.stringify([anEntry()]), "application/json", otherAdmin)).status).toBe(403);
    expect((await api("GET", `/formulary/import-jobs/${job.id}/rows`, { token: otherAdmin })).status).toBe(403);
    expect((await api("POST", `/formulary/import-jobs/${job.id}/publish`, { token: otherAdmin })).status).toBe(403);
    expect((await api("POST", `/formulary/import-jobs/${job.id}/abort`, { token: otherAdmin })).status).toBe(403);
    expect(await stagedRows(job.id)).toBe(0);
    expect(await auditCount(job.id)).toBe(1);
    expect((await api("GET", `/formulary/import-jobs/${crypto.randomUUID()}`, { token: await asAdmin() })).status).toBe(404);
    expect((await api("GET", "/formulary/import-jobs/not-a-uuid", { token: await asAdmin() })).status).toBe(400);
  });
});
