import { describe, expect, it } from "vitest";
import { api, asDoctor, asPharmacist } from "../support/api";

describe("pharmacy management security", () => {
  it("needs a token for every pharmacy route (401)", async () => {
    for (const [method, path] of [
      ["GET", "/pharmacies"],
      ["GET", "/pharmacies/pharm-renhe"],
      ["POST", "/pharmacies"],
      ["PATCH", "/pharmacies/pharm-renhe"],
      ["POST", "/pharmacies/pharm-renhe/sites"],
    ] as const) {
      const res = await api(method, path, { body: method === "GET" ? undefined : {} });
      expect(res.status, `${method} ${path}`).toBe(401);
    }
  });

  it("lets only admins write (403)", async () => {
    for (const token of [await asDoctor(), await asPharmacist()]) {
      expect((await api("POST", "/pharmacies", { token, body: {} })).status).toBe(403);
      expect((await api("PATCH", "/pharmacies/pharm-renhe", { token, body: { name: "x" } })).status).toBe(403);
      expect((await api("POST", "/pharmacies/pharm-renhe/sites", { token, body: {} })).status).toBe(403);
    }
  });

  it("declares its roles in the OpenAPI document", async () => {
    const doc = await api<{ paths: Record<string, Record<string, { "x-roles"?: string[] }>> }>("GET", "/openapi.json");
    expect(doc.body.paths["/api/v1/pharmacies"]?.get?.["x-roles"]).toEqual(["doctor", "pharmacist", "admin"]);
    expect(doc.body.paths["/api/v1/pharmacies"]?.post?.["x-roles"]).toEqual(["admin"]);
    expect(doc.body.paths["/api/v1/pharmacies/{id}"]?.patch?.["x-roles"]).toEqual(["admin"]);
    expect(doc.body.paths["/api/v1/pharmacies/{id}/sites"]?.post?.["x-roles"]).toEqual(["admin"]);
  });
});
