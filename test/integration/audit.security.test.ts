import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { api, asAdmin, asDoctor, asPharmacist, tokenFor } from "../support/api";
import { loadDemoSeed } from "../support/seed";

const rows = async () => (await env.DB.prepare("SELECT count(*) AS n FROM audit_events").first<{ n: number }>())?.n;

describe("the audit log viewer: who may read it", () => {
  beforeAll(loadDemoSeed);

  it("answers 401 without a token or with a token signed by another key, writing nothing", async () => {
    const before = await rows();
    expect((await api("GET", "/audit-events")).status).toBe(401);
    const forged = await tokenFor("admin", "admin-county", "inst-county", "another-secret-of-at-least-32-characters");
    expect((await api("GET", "/audit-events", { token: forged })).status).toBe(401);
    expect(await rows()).toBe(before);
  });

  it("answers 403 to doctors and pharmacists, writing nothing", async () => {
    const before = await rows();
    for (const token of [await asDoctor(), await asPharmacist()]) {
      const res = await api<{ code: string }>("GET", "/audit-events?actorId=admin-county", { token });
      expect(res.status).toBe(403);
      expect(res.body.code).toBe("forbidden");
    }
    expect(await rows()).toBe(before);
  });

  it("lets an admin read, and that read is on the log", async () => {
    const before = await rows();
    expect((await api("GET", "/audit-events", { token: await asAdmin() })).status).toBe(200);
    expect(await rows()).toBe((before ?? 0) + 1);
  });
});
