import { describe, expect, it } from "vitest";
import type { Problem } from "../../worker/errors/problem";
import { api, asPharmacist, tokenFor } from "../support/api";

const PATHS = ["/reports/qualification-rate", "/reports/long-prescriptions", "/reports/orders-by-state", "/reports/turnaround", "/reports/prescribing-indicators"];

describe("reports are for admins only", () => {
  it("needs a token (401)", async () => {
    for (const path of PATHS) {
      const res = await api<Problem>("GET", path);
      expect(res.status, path).toBe(401);
      expect(res.body.code).toBe("unauthorized");
    }
  });

  it("refuses doctors and pharmacists (403), before looking at the query", async () => {
    const tokens = [await tokenFor("doctor", "doc-county-cardio-senior", "inst-county"), await asPharmacist()];
    for (const path of PATHS) {
      for (const token of tokens) {
        expect((await api("GET", path, { token })).status, path).toBe(403);
        expect((await api("GET", `${path}?from=nonsense`, { token })).status, path).toBe(403);
      }
    }
  });

  it("refuses a token signed with another secret (401)", async () => {
    const forged = await tokenFor("admin", "admin-county", "inst-county", "not-the-secret-0123456789abcdef");
    expect((await api("GET", PATHS[0]!, { token: forged })).status).toBe(401);
  });

  it("publishes the routes with their roles in the OpenAPI document", async () => {
    const doc = await api<{ paths: Record<string, { get?: { "x-roles"?: string[] } }> }>("GET", "/openapi.json");
    expect(doc.status).toBe(200);
    for (const path of PATHS) expect(doc.body.paths[`/api/v1${path}`]?.get?.["x-roles"], path).toEqual(["admin"]);
    expect(doc.body.paths["/api/v1/notifications"]?.get?.["x-roles"]).toEqual(["admin", "pharmacist"]);
  });
});
