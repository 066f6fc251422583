import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { getDb } from "../../worker/db/index";
import { formularyEntries } from "../../schema";
import { fromRawRow } from "../../worker/db/rows";
import { entryToRow } from "../../worker/formulary/formulary.mapping";
import { type Entry, EntryInput } from "../../worker/formulary/formulary.schemas";
import { completeEntry } from "../../worker/formulary/formulary.service";
import { type JobView, publish, putChunk, resumeStalledPublishing, STALLED_PUBLISHING_MINUTES } from "../../worker/formulary/import-jobs.service";
import { runScheduled } from "../../worker/pharmacy/scheduled";
import { loadRuleContext } from "../../worker/rules-context/rules-context.repo";
import { anEntry } from "../builders/entries";
import { countingD1 } from "../support/d1-counter";
import { api, asAdmin, asDoctor } from "../support/api";

const ADMIN = { sub: "admin-county", role: "admin" as const, org: "inst-county", name: "刘建军" };
const adminCtx = (d1: D1Database = env.DB) => ({ db: getDb(d1), actor: ADMIN, requestId: `ij-${crypto.randomUUID()}`, now: new Date() });

let prefixSerial = 0;
const uniquePrefix = () => `IJ${Date.now().toString(36).toUpperCase()}${++prefixSerial}`;

async function newJob(expectedChunks: number, chunkRows: number, format: "csv" | "json" = "json") {
  const res = await api<JobView>("POST", "/formulary/import-jobs", { token: await asAdmin(), body: { fileName: "药品目录.json", format, expectedChunks, chunkRows } });
  expect(res.status).toBe(201);
  return res.body;
}

async function sendChunk(id: string, seq: number, rows: unknown[]) {
  return api<{ stored: boolean; firstRow: number; counts: Record<string, number>; job: JobView }>("PUT", `/formulary/import-jobs/${id}/chunks/${seq}`, {
    token: await asAdmin(),
    rawBody: JSON.stringify(rows),
    headers: { "content-type": "application/json" },
  });
}

const getJob = async (id: string) => api<JobView>("GET", `/formulary/import-jobs/${id}`, { token: await asAdmin() });
const getEntry = async (code: string) => api<Entry>("GET", `/formulary/drugs/${code}`, { token: await asDoctor() });
const search = async (q: string) => (await api<{ items: Entry[] }>("GET", `/formulary/drugs?q=${q}&limit=50`, { token: await asDoctor() })).body.items;
const version = async () => (await api<{ version: number }>("GET", "/formulary/version", { token: await asDoctor() })).body.version;
const ruleFormulary = async (codes: string[]) =>
  (await loadRuleContext(getDb(env.DB), { prescriberId: "nobody", patientId: "nobody", codes, date: "2026-12-06", diagnoses: [] })).stored.formulary;

describe("chunked import jobs", () => {
  it("creates a job, stages chunks with a per-row report, publishes, and the formulary has the new list", async () => {
    const p = uniquePrefix();
    const job = await newJob(2, 3);
    expect(job).toMatchObject({ status: "open", chunksReceived: 0, missingChunks: [1, 2], rowsStaged: 0 });

    const first = await sendChunk(job.id, 1, [anEntry({ code: `${p}-A` }), anEntry({ code: `${p}-B`, route: "mouth" }), anEntry({ code: `${p}-C` })]);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ stored: true, firstRow: 1, counts: { rows: 3, created: 2, rejected: 1 } });
    expect(first.body.job.missingChunks).toEqual([2]);
    // a code of chunk 1 again in chunk 2: rejected as a duplicate of its row
    const second = await sendChunk(job.id, 2, [anEntry({ code: `${p}-D` }), anEntry({ code: `${p}-A`, price: 99 })]);
    expect(second.body.counts).toMatchObject({ rows: 2, created: 1, rejected: 1 });

    const progress = await getJob(job.id);
    expect(progress.body).toMatchObject({ chunksReceived: 2, missingChunks: [], rowsStaged: 5, summary: { total: 5, created: 3, updated: 0, unchanged: 0, rejected: 2 } });
    const rejected = await api<{ items: { row: number; code: string; issues: { path: string; message: string }[] }[] }>("GET", `/formulary/import-jobs/${job.id}/rows?outcome=rejected`, { token: await asAdmin() });
    expect(rejected.body.items.map((r) => [r.row, r.issues[0]?.path])).toEqual([
      [2, "route"],
      [5, "code"],
    ]);
    expect(rejected.body.items[1]?.issues[0]?.message).toContain("与第 1 行的编码重复");
    // staged is not published
    expect((await getEntry(`${p}-A`)).status).toBe(404);

    const before = await version();
    const published = await api<JobView>("POST", `/formulary/import-jobs/${job.id}/publish`, { token: await asAdmin() });
    expect(published.status).toBe(200);
    expect(published.body).toMatchObject({ status: "published", publish: { targetVersion: before + 1, created: 3, rowsPublished: 3, rowsToPublish: 3 } });
    expect(await version()).toBe(before + 1);
    expect((await search(p)).map((e) => e.code).sort()).toEqual([`${p}-A`, `${p}-C`, `${p}-D`]);
    const history = await api<{ items: { importId: string; formularyVersion: number }[] }>("GET", `/formulary/drugs/${p}-A/history`, { token: await asAdmin() });
    expect(history.body.items).toEqual([expect.objectContaining({ importId: job.id, formularyVersion: before + 1 })]);
    const audit = await env.DB.prepare("SELECT action FROM audit_events WHERE entity_id = ? ORDER BY id").bind(job.id).all<{ action: string }>();
    expect(audit.results.map((a) => a.action)).toEqual([
      "formulary.import-job.create",
      "formulary.import-job.chunk",
      "formulary.import-job.chunk",
      "formulary.import-job.publish-start",
      "formulary.import",
    ]);
    // publishing again is harmless
    expect((await api<JobView>("POST", `/formulary/import-jobs/${job.id}/publish`, { token: await asAdmin() })).status).toBe(200);
    expect(await version()).toBe(before + 1);
  });

  it("resumes after a missing chunk: publish is refused until it is sent; a re-sent chunk is harmless", async () => {
    const p = uniquePrefix();
    const job = await newJob(3, 2);
    const chunk1 = [anEntry({ code: `${p}-1` }), anEntry({ code: `${p}-2` })];
    await sendChunk(job.id, 1, chunk1);
    await sendChunk(job.id, 3, [anEntry({ code: `${p}-5` })]);
    const status = await getJob(job.id);
    expect(status.body.missingChunks).toEqual([2]);
    const early = await api<{ detail: string }>("POST", `/formulary/import-jobs/${job.id}/publish`, { token: await asAdmin() });
    expect(early.status).toBe(409);
    expect(early.body.detail).toContain("1 chunks are missing");

    // the client lost its answer to chunk 1 and sends it again: 200, nothing counted twice
    const again = await sendChunk(job.id, 1, chunk1);
    expect(again.status).toBe(200);
    expect(again.body.stored).toBe(false);
    expect((await getJob(job.id)).body).toMatchObject({ chunksReceived: 2, rowsStaged: 3 });

    const resumed = await sendChunk(job.id, 2, [anEntry({ code: `${p}-3` }), anEntry({ code: `${p}-4` })]);
    expect(resumed.body.firstRow).toBe(3);
    expect(resumed.body.job.missingChunks).toEqual([]);
    expect((await api("POST", `/formulary/import-jobs/${job.id}/publish`, { token: await asAdmin() })).status).toBe(200);
    expect((await search(p)).map((e) => e.code).sort()).toEqual([1, 2, 3, 4, 5].map((n) => `${p}-${n}`));
  });

  it("publishes in steps that readers cannot see: the old list wholly until the switch, the new one wholly after", async () => {
    const p = uniquePrefix();
    const created = await api<{ entry: Entry }>("POST", "/formulary/drugs", { token: await asAdmin(), body: anEntry({ code: `${p}-OLD`, price: 1 }) });
    expect(created.status).toBe(201);
    const job = await newJob(2, 2);
    await sendChunk(job.id, 1, [anEntry({ code: `${p}-OLD`, price: 2 }), anEntry({ code: `${p}-NEW1` })]);
    await sendChunk(job.id, 2, [anEntry({ code: `${p}-NEW2` }), anEntry({ code: `${p}-NEW3` })]);
    const before = await version();
    const codes = ["OLD", "NEW1", "NEW2", "NEW3"].map((s) => `${p}-${s}`);

    const oldListSeen = async () => {
      expect(await version()).toBe(before);
      expect((await getEntry(`${p}-OLD`)).body).toMatchObject({ price: 1, version: 1 });
      expect((await getEntry(`${p}-NEW1`)).status).toBe(404);
      expect((await search(p)).map((e) => [e.code, e.price])).toEqual([[`${p}-OLD`, 1]]);
      const rules = await ruleFormulary(codes);
      expect(Object.keys(rules)).toEqual([`${p}-OLD`]);
      expect(rules[`${p}-OLD`]?.drug.price).toBe(1);
    };
    // step by step, one row each: after each step the readers still see the old list
    for (let step = 1; step <= 4; step++) {
      const res = await publish(adminCtx(), job.id, { maxSteps: 1, stepRows: 1 });
      expect(res.done).toBe(false);
      expect(res.job.publish.rowsPublished).toBe(step);
      await oldListSeen();
      // writers that bump the formulary version would publish the half-written steps: 409
      const patch = await api<{ detail: string }>("PATCH", `/formulary/drugs/${p}-OLD`, { token: await asAdmin(), body: { price: 5 }, headers: { "if-match": '"1"' } });
      expect(patch.status).toBe(409);
    }
    // a second job cannot start publishing meanwhile
    const other = await newJob(1, 1);
    await sendChunk(other.id, 1, [anEntry({ code: `${p}-OTHER` })]);
    const second = await api<{ detail: string }>("POST", `/formulary/import-jobs/${other.id}/publish`, { token: await asAdmin() });
    expect(second.status).toBe(409);
    expect(second.body.detail).toContain("another import is being published");

    const done = await publish(adminCtx(), job.id, { maxSteps: 1, stepRows: 1 });
    expect(done.done).toBe(true);
    expect(await version()).toBe(before + 1);
    expect((await getEntry(`${p}-OLD`)).body).toMatchObject({ price: 2, version: 2 });
    expect((await search(p)).map((e) => e.code).sort()).toEqual([...codes].sort());
    const rules = await ruleFormulary(codes);
    expect(Object.keys(rules).sort()).toEqual([...codes].sort());
    expect(rules[`${p}-OLD`]?.drug.price).toBe(2);
    // the superseded version keeps its content
    const history = await api<{ items: { version: number; entry: Entry }[] }>("GET", `/formulary/drugs/${p}-OLD/history`, { token: await asAdmin() });
    expect(history.body.items.map((h) => [h.version, h.entry.price])).toEqual([
      [2, 2],
      [1, 1],
    ]);
    // and the second job may publish now
    expect((await api("POST", `/formulary/import-jobs/${other.id}/publish`, { token: await asAdmin() })).status).toBe(200);
  });

  it("costs two D1 round trips per chunk (one read, one write batch) and one per publish step", async () => {
    const p = uniquePrefix();
    const job = await newJob(1, 1000);
    const rows = Array.from({ length: 1000 }, (_, i) => anEntry({ code: `${p}-${i}` }));
    const counter = countingD1(env.DB);
    const result = await putChunk(adminCtx(counter.db), job.id, 1, "json", new TextEncoder().encode(JSON.stringify(rows)));
    expect(result.counts).toMatchObject({ rows: 1000, created: 1000 });
    expect(counter.count()).toBe(2);

    const publishCounter = countingD1(env.DB);
    // start (2: job read, start batch), reload (1), the first step's rows (1), 2 steps × 1 (a
    // step's batch writes its rows and reads the next step's), switch (job read, batch, job read)
    const res = await publish(adminCtx(publishCounter.db), job.id, { maxSteps: 3, stepRows: 500 });
    expect(res.done).toBe(true);
    expect(publishCounter.count()).toBe(2 + 1 + 1 + 2 * 1 + 3);
    expect((await search(`${p}-99`)).length).toBeGreaterThan(0);
  });

  it("finishes from the cron an import its admin left half-published, which kept the formulary's other writers out", async () => {
    const p = uniquePrefix();
    const job = await newJob(1, 4);
    await sendChunk(job.id, 1, [1, 2, 3, 4].map((n) => anEntry({ code: `${p}-${n}` })));
    const before = await version();
    // the admin's page published one step of two, then was closed
    const half = await publish(adminCtx(), job.id, { maxSteps: 1, stepRows: 2 });
    expect(half.done).toBe(false);
    expect(half.job).toMatchObject({ status: "publishing", publish: { rowsPublished: 2, rowsToPublish: 4 } });
    const blocked = await api("POST", "/formulary/drugs", { token: await asAdmin(), body: anEntry({ code: `${p}-X` }) });
    expect(blocked.status).toBe(409);
    expect(await search(p)).toEqual([]);

    // not stalled yet: a client may still be publishing it
    expect(await resumeStalledPublishing(getDb(env.DB), new Date())).toBeNull();
    const later = new Date(Date.now() + (STALLED_PUBLISHING_MINUTES + 1) * 60_000);
    const summary = await runScheduled(env, later);
    expect(summary.errors).toEqual([]);
    const finished = await getJob(job.id);
    expect(finished.body).toMatchObject({ status: "published", publish: { rowsPublished: 4, created: 4, publishedBy: "system:yaolian", targetVersion: before + 1 } });
    expect(await version()).toBe(before + 1);
    expect((await search(p)).map((e) => e.code).sort()).toEqual([1, 2, 3, 4].map((n) => `${p}-${n}`));
    // nothing left to resume, and the formulary takes edits again
    expect(await resumeStalledPublishing(getDb(env.DB), later)).toBeNull();
    expect((await api("POST", "/formulary/drugs", { token: await asAdmin(), body: anEntry({ code: `${p}-X` }) })).status).toBe(201);
  });

  it("publishes a file again as unchanged, exact to the last digit of a stored number, and an edited row as updated", async () => {
    const p = uniquePrefix();
    // a strength no human types, with every digit of a double (REAL columns), and an entry without a daily maximum
    const rows = [anEntry({ code: `${p}-1`, strength: { value: 0.1 + 0.2, unit: "mg" } }), anEntry({ code: `${p}-2`, price: 12.5, maxDailyDose: undefined })];
    for (const [round, expected] of [
      [rows, { created: 2, updated: 0, unchanged: 0 }],
      [rows, { created: 0, updated: 0, unchanged: 2 }],
      [[rows[0], { ...rows[1], price: 12.75 }], { created: 0, updated: 1, unchanged: 1 }],
    ] as const) {
      const job = await newJob(1, 2);
      expect((await sendChunk(job.id, 1, [...round])).status).toBe(201);
      const done = await api<JobView>("POST", `/formulary/import-jobs/${job.id}/publish`, { token: await asAdmin() });
      expect(done.status).toBe(200);
      expect(done.body.publish).toMatchObject(expected);
    }
    expect((await getEntry(`${p}-1`)).body.strength.value).toBe(0.30000000000000004);
    expect((await getEntry(`${p}-2`)).body).toMatchObject({ price: 12.75, version: 2 });
  });

  it("publishes a new entry from its staged row exactly as the Worker would write it, history included", async () => {
    const p = uniquePrefix();
    // what the columns can hold: odd doubles, no INN or daily maximum, derived pinyin, every flag both ways, JSON columns
    const rows = [
      anEntry({ code: `${p}-1`, strength: { value: 1 / 3, unit: "mg" }, pack: { size: 0.1 + 0.7, unit: "ml" }, price: 0.07, pinyin: undefined, innName: undefined, maxDailyDose: undefined }),
      anEntry({ code: `${p}-2`, essential: false, vbp: true, longRxEligible: false, conditions: [], antimicrobial: "restricted", route: "iv", minLevel: "secondary", effectiveFrom: undefined }),
      anEntry({ code: `${p}-3`, genericName: "二甲双胍", strength: { value: 123456.789, unit: "mg" }, maxDailyDose: { value: 2550.5, unit: "mg" } }),
    ];
    const job = await newJob(1, 3);
    expect((await sendChunk(job.id, 1, rows)).body.counts).toMatchObject({ created: 3 });
    const staged = await env.DB.prepare("SELECT COUNT(*) AS n FROM formulary_import_rows WHERE job_id = ? AND entry IS NOT NULL").bind(job.id).first<{ n: number }>();
    expect(staged?.n).toBe(3);
    const ctx = adminCtx();
    const before = await version();
    expect((await publish(ctx, job.id)).job).toMatchObject({ status: "published", publish: { created: 3 } });

    const stored = await env.DB.prepare("SELECT * FROM formulary_entries WHERE code LIKE ? ORDER BY code").bind(`${p}-%`).all<Record<string, unknown>>();
    const expected = rows.map((r) =>
      entryToRow(completeEntry(EntryInput.parse(r), undefined, ctx.now), { updatedAt: ctx.now.toISOString(), updatedBy: ADMIN.sub, version: 1 }),
    );
    expect(stored.results.map((raw) => fromRawRow(formularyEntries, raw))).toEqual(expected);
    const history = await env.DB.prepare("SELECT * FROM formulary_entry_versions WHERE code LIKE ? ORDER BY code").bind(`${p}-%`).all<Record<string, unknown>>();
    expect(history.results).toEqual(
      expected.map((e) => ({
        code: e.code,
        version: 1,
        formulary_version: before + 1,
        status: e.status,
        effective_from: e.effectiveFrom,
        change: "create",
        snapshot: null,
        changed_at: ctx.now.toISOString(),
        changed_by: ADMIN.sub,
        import_id: job.id,
      })),
    );
    // searchable like any entry
    expect((await search(p)).map((e) => e.code).sort()).toEqual([`${p}-1`, `${p}-2`, `${p}-3`]);
    expect((await search(`${p}-3`)).map((e) => e.genericName)).toEqual(["二甲双胍"]);
  });

  it("publishes a staged new code that an admin created meanwhile as an update of that entry", async () => {
    const p = uniquePrefix();
    const job = await newJob(1, 2);
    expect((await sendChunk(job.id, 1, [anEntry({ code: `${p}-1` }), anEntry({ code: `${p}-2` })])).body.counts).toMatchObject({ created: 2 });
    // before publishing, someone adds one of the codes by hand, with another price
    expect((await api("POST", "/formulary/drugs", { token: await asAdmin(), body: anEntry({ code: `${p}-1`, price: 99 }) })).status).toBe(201);
    const done = await api<JobView>("POST", `/formulary/import-jobs/${job.id}/publish`, { token: await asAdmin() });
    expect(done.body).toMatchObject({ status: "published", publish: { created: 1, updated: 1, unchanged: 0 } });
    expect((await getEntry(`${p}-1`)).body).toMatchObject({ price: 12.5, version: 2 });
    expect((await getEntry(`${p}-2`)).body).toMatchObject({ price: 12.5, version: 1 });
  });

  it("gives an entry without a date in its file the day it is published, not the day it was staged", async () => {
    const p = uniquePrefix();
    const job = await newJob(1, 2);
    // staged at 23:00 one China day, published at 01:00 the next
    const stagedAt = new Date(new Date(`${new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10)}T23:00:00+08:00`).getTime() - 24 * 3_600_000);
    const publishedAt = new Date(stagedAt.getTime() + 2 * 3_600_000);
    const rows = [anEntry({ code: `${p}-1`, effectiveFrom: undefined }), anEntry({ code: `${p}-2`, effectiveFrom: "2026-03-01" })];
    await putChunk({ ...adminCtx(), now: stagedAt }, job.id, 1, "json", new TextEncoder().encode(JSON.stringify(rows)));
    expect((await publish({ ...adminCtx(), now: publishedAt }, job.id)).done).toBe(true);
    expect((await getEntry(`${p}-1`)).body.effectiveFrom).toBe(new Date(publishedAt.getTime() + 8 * 3_600_000).toISOString().slice(0, 10));
    expect((await getEntry(`${p}-2`)).body.effectiveFrom).toBe("2026-03-01");
  });
});
