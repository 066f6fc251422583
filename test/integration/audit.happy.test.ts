import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import type { AuditEventView } from "../../worker/audit/audit.schemas";
import { auditStatement } from "../../worker/audit/audit.repo";
import { listAudit } from "../../worker/audit/audit.service";
import { getDb } from "../../worker/db/index";
import { api, asAdmin } from "../support/api";
import { countingD1 } from "../support/d1-counter";
import { loadDemoSeed } from "../support/seed";

interface Page {
  items: AuditEventView[];
  nextCursor: string | null;
}

const audit = async (query: string) => api<Page>("GET", `/audit-events?${query}`, { token: await asAdmin() });

/** An audit row as a doctor's write would leave it, at a chosen instant. */
async function doctorWrote(entityId: string, at: string) {
  const db = getDb(env.DB);
  const ctx = { db, actor: { sub: "doc-shimen-gp-intermediate", role: "doctor" as const, org: "inst-shimen", name: "" }, requestId: "req-test", now: new Date(at) };
  await auditStatement(ctx, { action: "patients.update", entityType: "patient", entityId, before: { phone: null }, after: { phone: "masked" } });
}

describe("the audit log viewer", () => {
  beforeAll(async () => {
    await loadDemoSeed();
    await doctorWrote("pat-audit-1", "2026-11-30T15:59:59.000Z"); // China 2026-11-30 23:59:59
    await doctorWrote("pat-audit-1", "2026-11-30T16:00:00.000Z"); // China 2026-12-01 00:00
  });

  it("shows an admin's settings change newest first, with before/after and the actor's name", async () => {
    const put = await api("PUT", "/settings/instalmentLeadDays", { token: await asAdmin(), headers: { "if-match": '"0"' }, body: { value: 5 } });
    expect(put.status).toBe(200);
    const res = await audit("entityType=consortium_setting&entityId=instalmentLeadDays");
    expect(res.status).toBe(200);
    expect(res.body.items).toEqual([
      expect.objectContaining({
        actorId: "admin-county",
        actorName: "admin admin-county",
        actorRole: "admin",
        action: "settings.update",
        entityType: "consortium_setting",
        entityId: "instalmentLeadDays",
        before: { value: 7, version: 0, isDefault: true },
        after: { value: 5, version: 1 },
      }),
    ]);
    expect(res.body.nextCursor).toBeNull();
  });

  it("names practitioners from the member table and filters by actor", async () => {
    const res = await audit("actorId=doc-shimen-gp-intermediate");
    expect(res.status).toBe(200);
    expect(res.body.items.map((i) => [i.entityId, i.actorName, i.at])).toEqual([
      ["pat-audit-1", "邓春梅", "2026-11-30T16:00:00.000Z"],
      ["pat-audit-1", "邓春梅", "2026-11-30T15:59:59.000Z"],
    ]);
  });

  it("bounds by China dates, inclusive", async () => {
    const dec = await audit("actorId=doc-shimen-gp-intermediate&from=2026-12-01&to=2026-12-01");
    expect(dec.body.items.map((i) => i.at)).toEqual(["2026-11-30T16:00:00.000Z"]);
    const nov = await audit("actorId=doc-shimen-gp-intermediate&to=2026-11-30");
    expect(nov.body.items.map((i) => i.at)).toEqual(["2026-11-30T15:59:59.000Z"]);
  });

  it("pages by keyset cursor without gaps or repeats, and filters by action or action prefix", async () => {
    const first = await audit("entityType=patient&entityId=pat-audit-1&limit=1");
    expect(first.body.items).toHaveLength(1);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await audit(`entityType=patient&entityId=pat-audit-1&limit=1&cursor=${first.body.nextCursor}`);
    expect(second.body.items).toHaveLength(1);
    expect(second.body.items[0]?.id).toBeLessThan(first.body.items[0]?.id ?? 0);
    expect(second.body.nextCursor).toBeNull();
    expect((await audit("action=patients.update")).body.items).toHaveLength(2);
    expect((await audit("action=patients.")).body.items).toHaveLength(2);
    expect((await audit("action=patients")).body.items).toHaveLength(0);
  });

  it("audits every read with the filters it used", async () => {
    await audit("actorId=doc-shimen-gp-intermediate&from=2026-11-01");
    const reads = await audit("entityType=audit_log&limit=2");
    // the newest row is the previous read: a read's own row is written after its select, in the same batch
    expect(reads.body.items[0]).toMatchObject({
      action: "audit.read",
      actorId: "admin-county",
      entityId: "audit_events",
      after: { actorId: "doc-shimen-gp-intermediate", from: "2026-11-01", page: 1 },
    });
  });

  it("costs one D1 round trip, the read's audit row included", async () => {
    const counter = countingD1(env.DB);
    const ctx = { db: getDb(counter.db), actor: { sub: "admin-county", role: "admin" as const, org: "inst-county", name: "刘建军" }, requestId: "req-count", now: new Date() };
    const before = (await env.DB.prepare("SELECT count(*) AS n FROM audit_events WHERE request_id = 'req-count'").first<{ n: number }>())?.n;
    const page = await listAudit(ctx, { actorId: "admin-county", limit: 5 });
    expect(counter.count()).toBe(1);
    expect(page.items.length).toBeGreaterThan(0);
    const after = (await env.DB.prepare("SELECT count(*) AS n FROM audit_events WHERE request_id = 'req-count'").first<{ n: number }>())?.n;
    expect([before, after]).toEqual([0, 1]);
  });
});
