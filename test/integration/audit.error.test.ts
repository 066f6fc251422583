import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { api, asAdmin } from "../support/api";
import { loadDemoSeed } from "../support/seed";

const readRows = async () => (await env.DB.prepare("SELECT count(*) AS n FROM audit_events WHERE action = 'audit.read'").first<{ n: number }>())?.n;

describe("the audit log viewer: bad queries", () => {
  beforeAll(loadDemoSeed);

  it.each([
    ["from=2026-13-01", "query.from"],
    ["to=2026-02-30", "query.to"],
    ["from=yesterday", "query.from"],
    ["from=2026-12-02&to=2026-12-01", "query.from"],
    ["entityId=pat-001", "query.entityId"],
    ["actorId=a%20b", "query.actorId"],
    ["action=%25", "query.action"],
    ["limit=0", "query.limit"],
    ["limit=101", "query.limit"],
  ])("%s → 400 naming %s, and no read is audited", async (query, path) => {
    const before = await readRows();
    const res = await api<{ code: string; issues: { path: string }[] }>("GET", `/audit-events?${query}`, { token: await asAdmin() });
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    expect(res.body.issues.map((i) => i.path)).toContain(path);
    expect(await readRows()).toBe(before);
  });

  it("refuses a forged cursor", async () => {
    for (const cursor of ["not-a-cursor", btoa(JSON.stringify({ id: -1 })), btoa(JSON.stringify({ code: "x" }))]) {
      const res = await api<{ code: string }>("GET", `/audit-events?cursor=${encodeURIComponent(cursor)}`, { token: await asAdmin() });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe("invalid-cursor");
    }
  });
});
