import { beforeAll, describe, expect, it } from "vitest";
import type { Pharmacist } from "../../worker/members/pharmacists.schemas";
import { api, asAdmin, asDoctor, asPharmacist, tokenFor } from "../support/api";
import { loadDemoSeed } from "../support/seed";
import { aPharmacist, aPharmacy, auditCount, auditOf, tokenOf, uid } from "./pharmacists.fixtures";

describe("pharmacists security", () => {
  beforeAll(loadDemoSeed);

  it("needs a token on every route (401)", async () => {
    for (const [method, path] of [
      ["POST", "/pharmacists"],
      ["GET", "/pharmacists"],
      ["GET", "/pharmacists/ph-cloud-1"],
      ["PATCH", "/pharmacists/ph-cloud-1"],
    ] as const) {
      const res = await api(method, path, { body: method === "GET" ? undefined : {} });
      expect(res.status, `${method} ${path}`).toBe(401);
      expect(res.headers.get("content-type")).toContain("application/problem+json");
    }
  });

  it("keeps doctors and pharmacists off the writes (403), changing nothing", async () => {
    const p = await aPharmacist(await aPharmacy());
    const before = await auditCount();
    // a pharmacist may not promote themself, nor register a colleague
    for (const token of [await asDoctor(), await asPharmacist(), await tokenOf(p)]) {
      expect((await api("POST", "/pharmacists", { token, body: { id: uid("ph"), name: "冒名", pharmacyId: p.pharmacyId, title: "chief_pharmacist" } })).status).toBe(403);
      expect((await api("PATCH", `/pharmacists/${p.id}`, { token, body: { title: "chief_pharmacist" } })).status).toBe(403);
    }
    expect(await auditCount()).toBe(before);
    expect((await api<Pharmacist>("GET", `/pharmacists/${p.id}`, { token: await asAdmin() })).body.title).toBe("pharmacist");
  });

  it("keeps doctors out of the pharmacist list (403)", async () => {
    for (const path of ["/pharmacists", "/pharmacists/ph-cloud-1"]) expect((await api("GET", path, { token: await asDoctor() })).status).toBe(403);
  });

  it("shows a pharmacist no other pharmacy's pharmacists: 403 for its list, 404 for one of them", async () => {
    const mine = await aPharmacist(await aPharmacy());
    const theirs = await aPharmacist(await aPharmacy());
    const token = await tokenOf(mine);
    expect((await api("GET", `/pharmacists?pharmacyId=${theirs.pharmacyId}`, { token })).status).toBe(403);
    const one = await api<{ code: string; detail: string }>("GET", `/pharmacists/${theirs.id}`, { token });
    expect(one.status).toBe(404);
    // the same answer as for an id nobody has
    const nobody = await api<{ code: string; detail: string }>("GET", `/pharmacists/${theirs.id}x`, { token });
    expect([one.body.code, one.body.detail.replace(theirs.id, "")]).toEqual([nobody.body.code, nobody.body.detail.replace(`${theirs.id}x`, "")]);
  });

  it("refuses a pharmacist token whose subject is not registered at the pharmacy it names", async () => {
    const p = await aPharmacist(await aPharmacy());
    const other = await aPharmacy();
    for (const token of [await tokenFor("pharmacist", uid("ghost"), p.pharmacyId), await tokenFor("pharmacist", p.id, other)]) {
      expect((await api("GET", "/pharmacists", { token })).status).toBe(403);
      expect((await api("GET", `/pharmacists/${p.id}`, { token })).status).toBe(403);
    }
  });

  it("audits every write with the actor and the request id", async () => {
    const pharmacyId = await aPharmacy();
    const id = uid("ph");
    const admin = await asAdmin();
    const writes: [string, string, unknown, string][] = [
      ["POST", "/pharmacists", { id, name: "审计", pharmacyId, title: "pharmacist" }, "pharmacist.create"],
      ["PATCH", `/pharmacists/${id}`, { title: "senior_pharmacist" }, "pharmacist.update"],
      ["PATCH", `/pharmacists/${id}`, { pharmacyId: "pharm-cloud" }, "pharmacist.move"],
    ];
    for (const [method, path, body] of writes) expect((await api(method, path, { token: admin, body })).status, `${method} ${path}`).toBeLessThan(300);
    const audit = await auditOf(id);
    expect(audit.map((a) => [a.action, a.actor_id, a.actor_role])).toEqual(writes.map(([, , , action]) => [action, "admin-county", "admin"]));
    expect(new Set(audit.map((a) => a.request_id)).size).toBe(3);
  });

  it("declares the roles of every pharmacist operation and the Chinese titles in the OpenAPI document", async () => {
    const doc = await api<{ paths: Record<string, Record<string, { "x-roles"?: string[] }>>; components: { schemas: Record<string, { description?: string }> } }>("GET", "/openapi.json");
    const roles = (path: string, method: string) => doc.body.paths[path]?.[method]?.["x-roles"];
    expect(roles("/api/v1/pharmacists", "post")).toEqual(["admin"]);
    expect(roles("/api/v1/pharmacists", "get")).toEqual(["pharmacist", "admin"]);
    expect(roles("/api/v1/pharmacists/{id}", "get")).toEqual(["pharmacist", "admin"]);
    expect(roles("/api/v1/pharmacists/{id}", "patch")).toEqual(["admin"]);
    const description = doc.body.components.schemas.PharmacistTitle?.description ?? "";
    for (const label of ["药士", "药师", "主管药师", "副主任药师", "主任药师"]) expect(description).toContain(label);
  });
});
