import { beforeAll, describe, expect, it } from "vitest";
import type { Problem } from "../../worker/errors/problem";
import { api, asAdmin } from "../support/api";
import { loadDemoSeed } from "../support/seed";

const ROUTES = ["/reports/prescribing-indicators", "/reports/qualification-rate", "/reports/long-prescriptions", "/reports/turnaround", "/reports/orders-by-state"];

async function problem(path: string): Promise<{ status: number; body: Problem; type: string | null }> {
  const res = await api<Problem>("GET", path, { token: await asAdmin() });
  return { status: res.status, body: res.body, type: res.headers.get("content-type") };
}

describe("report filters: bad input is a problem+json, never a 500", () => {
  beforeAll(loadDemoSeed);

  it.each([
    ["month=2026-13", "query.month"],
    ["month=2026-1", "query.month"],
    ["month=2026-11&from=2026-11-01", "query.month"],
    ["from=2026-11-30&to=2026-11-01", "query.from"],
    ["from=2024-01-01&to=2026-01-01", "query.to"],
    ["level=county", "query.level"],
    ["institutionId=", "query.institutionId"],
  ])("%s: 400 naming %s", async (query, path) => {
    for (const route of ROUTES) {
      const res = await problem(`${route}?${query}`);
      expect(res.status, route).toBe(400);
      expect(res.type, route).toContain("application/problem+json");
      expect(res.body.code).toBe("validation-failed");
      expect(res.body.issues?.map((i) => i.path)).toContain(path);
    }
  });

  it("an institution that is not a member: 404", async () => {
    for (const route of ROUTES) {
      const res = await problem(`${route}?month=2026-11&institutionId=inst-nowhere`);
      expect(res.status, route).toBe(404);
      expect(res.body.code).toBe("not-found");
      expect(res.type).toContain("application/problem+json");
    }
  });

  it("a level and an institution of another level: no rows, not an error", async () => {
    const res = await api<{ institutions: unknown[]; total: { prescriptions: number } }>("GET", "/reports/prescribing-indicators?month=2026-11&level=village&institutionId=inst-county", {
      token: await asAdmin(),
    });
    expect(res.status).toBe(200);
    expect(res.body.institutions).toEqual([]);
    expect(res.body.total.prescriptions).toBe(0);
  });
});
