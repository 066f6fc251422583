import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { signDevToken } from "../../worker/http/dev-token";
import { anEntry } from "../builders/entries";
import { api, asAdmin, asDoctor, asPharmacist, tokenFor } from "../support/api";

describe("formulary security", () => {
  it("needs a token for every formulary route (401)", async () => {
    for (const [method, path] of [
      ["GET", "/formulary/drugs?q=ASPL"],
      ["GET", "/formulary/drugs/W001-01"],
      ["GET", "/formulary/drugs/W001-01/history"],
      ["GET", "/formulary/version"],
      ["POST", "/formulary/drugs"],
      ["PATCH", "/formulary/drugs/W001-01"],
      ["POST", "/formulary/imports?dryRun=true"],
    ] as const) {
      const res = await api(method, path, { body: method === "GET" ? undefined : {} });
      expect(res.status, `${method} ${path}`).toBe(401);
      expect(res.headers.get("content-type")).toContain("application/problem+json");
    }
  });

  it("rejects a token signed with another secret, an expired token and one without a role", async () => {
    const forged = await signDevToken("not-the-secret-0123456789", { sub: "x", role: "admin", org: "inst-county", name: "" });
    const expired = await signDevToken(env.AUTH_DEV_SECRET ?? "", { sub: "x", role: "admin", org: "inst-county", name: "" }, "-1m");
    const noRole = await signDevToken(env.AUTH_DEV_SECRET ?? "", { sub: "x", role: "nurse" as "admin", org: "inst-county", name: "" });
    const tampered = `${await tokenFor("admin")}x`;
    // the same secret signs a valid token: only expiry / the bad role make these fail
    expect((await api("GET", "/formulary/version", { token: await signDevToken(env.AUTH_DEV_SECRET ?? "", { sub: "x", role: "admin", org: "inst-county", name: "" }) })).status).toBe(200);
    for (const token of [forged, expired, noRole, tampered, "not.a.jwt"]) {
      const res = await api("GET", "/formulary/version", { token });
      expect(res.status).toBe(401);
    }
  });

  it("lets every role read but only admins write (403)", async () => {
    for (const token of [await asDoctor(), await asPharmacist(), await asAdmin()]) {
      expect((await api("GET", "/formulary/drugs", { token })).status).toBe(200);
    }
    for (const token of [await asDoctor(), await asPharmacist()]) {
      expect((await api("POST", "/formulary/drugs", { token, body: anEntry() })).status).toBe(403);
      expect((await api("PATCH", "/formulary/drugs/W001-01", { token, headers: { "if-match": "1" }, body: { price: 1 } })).status).toBe(403);
      expect((await api("POST", "/formulary/imports", { token, body: [anEntry()] })).status).toBe(403);
    }
  });

  it("declares the allowed roles of every API operation in the OpenAPI document", async () => {
    const res = await api<{ openapi: string; paths: Record<string, Record<string, { "x-roles"?: string[]; security?: unknown[] }>> }>("GET", "/openapi.json");
    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe("3.1.0");
    const operations = Object.entries(res.body.paths).flatMap(([path, ops]) => Object.entries(ops).map(([method, op]) => ({ path, method, op })));
    expect(operations.length).toBeGreaterThan(5);
    for (const { path, method, op } of operations) {
      expect(op["x-roles"], `${method} ${path}`).toBeInstanceOf(Array);
      expect(op.security, `${method} ${path}`).toBeDefined();
    }
  });
});
