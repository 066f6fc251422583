import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import type { Problem } from "../../worker/errors/problem";
import type { Pharmacist } from "../../worker/members/pharmacists.schemas";
import { patchPharmacist } from "../../worker/members/pharmacists.service";
import { getDb } from "../../worker/db";
import { api, asAdmin } from "../support/api";
import { outcomes, readTogether } from "../support/race";
import { loadDemoSeed } from "../support/seed";
import { aPharmacist, aPharmacy, auditCount, auditOf, uid } from "./pharmacists.fixtures";

const pharmacistCount = async () => (await env.DB.prepare("SELECT count(*) AS n FROM pharmacists").first<{ n: number }>())?.n ?? 0;

function expectProblem(res: { status: number; headers: Headers; body: unknown }, status: number, code: string): Problem {
  expect(res.status).toBe(status);
  expect(res.headers.get("content-type")).toContain("application/problem+json");
  const body = res.body as Problem;
  expect(body).toMatchObject({ status, code });
  return body;
}

const paths = (p: Problem) => (p.issues ?? []).map((i) => i.path).sort();

describe("pharmacist errors", () => {
  beforeAll(loadDemoSeed);

  it("rejects invalid pharmacists with every issue, changing nothing", async () => {
    const before = [await pharmacistCount(), await auditCount()];
    const cases: [Record<string, unknown>, string[]][] = [
      [{ id: "ph x", name: "甲", pharmacyId: "pharm-cloud", title: "pharmacist" }, ["id"]],
      [{ id: uid("ph"), name: "  ", pharmacyId: "pharm-cloud", title: "pharmacist" }, ["name"]],
      [{ id: uid("ph"), name: "甲", pharmacyId: "pharm-cloud", title: "药师" }, ["title"]],
      [{ id: uid("ph"), name: "甲", pharmacyId: "pharm-cloud", title: "senior" }, ["title"]],
      [{ id: uid("ph"), name: "甲", title: "pharmacist" }, ["pharmacyId"]],
      [{ id: uid("ph"), name: "甲", pharmacyId: "pharm-cloud", title: "pharmacist", licence: "x" }, [""]],
      [{}, ["id", "name", "pharmacyId", "title"]],
    ];
    for (const [body, expected] of cases) {
      const res = await api("POST", "/pharmacists", { token: await asAdmin(), body });
      expect(paths(expectProblem(res, 400, "validation-failed")), JSON.stringify(body)).toEqual(expected);
    }
    expect([await pharmacistCount(), await auditCount()]).toEqual(before);
  });

  it("answers 422 with an issue on pharmacyId for an unknown pharmacy, on create and on a move", async () => {
    const p = await aPharmacist(await aPharmacy());
    const before = [await pharmacistCount(), await auditCount()];
    const created = await api("POST", "/pharmacists", { token: await asAdmin(), body: { id: uid("ph"), name: "甲", pharmacyId: "pharm-nowhere", title: "pharmacist" } });
    expect(expectProblem(created, 422, "unprocessable").issues).toEqual([{ path: "pharmacyId", message: "not a contracted pharmacy" }]);
    const moved = await api("PATCH", `/pharmacists/${p.id}`, { token: await asAdmin(), body: { pharmacyId: "pharm-nowhere" } });
    expect(expectProblem(moved, 422, "unprocessable").issues).toEqual([{ path: "pharmacyId", message: "not a contracted pharmacy" }]);
    expect([await pharmacistCount(), await auditCount()]).toEqual(before);
    expect((await api<Pharmacist>("GET", `/pharmacists/${p.id}`, { token: await asAdmin() })).body.pharmacyId).toBe(p.pharmacyId);
  });

  it("refuses a duplicate id with 409 and keeps the original", async () => {
    const p = await aPharmacist(await aPharmacy());
    const again = await api("POST", "/pharmacists", { token: await asAdmin(), body: { id: p.id, name: "冒名", pharmacyId: "pharm-cloud", title: "chief_pharmacist" } });
    expectProblem(again, 409, "already-exists");
    expect((await api<Pharmacist>("GET", `/pharmacists/${p.id}`, { token: await asAdmin() })).body).toEqual(p);
    expect((await auditOf(p.id)).map((a) => a.action)).toEqual(["pharmacist.create"]);
  });

  it("refuses empty, unknown-field and invalid patches, and 404s an unknown pharmacist", async () => {
    const p = await aPharmacist(await aPharmacy());
    for (const body of [{}, { specialties: ["other"] }, { title: "senior" }, { name: "" }, { pharmacyId: "a b" }]) {
      expectProblem(await api("PATCH", `/pharmacists/${p.id}`, { token: await asAdmin(), body }), 400, "validation-failed");
    }
    expectProblem(await api("PATCH", `/pharmacists/${uid("nobody")}`, { token: await asAdmin(), body: { title: "pharmacist" } }), 404, "not-found");
    expectProblem(await api("GET", `/pharmacists/${uid("nobody")}`, { token: await asAdmin() }), 404, "not-found");
    expectProblem(await api("GET", "/pharmacists?cursor=forged", { token: await asAdmin() }), 400, "invalid-cursor");
    expectProblem(await api("GET", "/pharmacists?limit=1000", { token: await asAdmin() }), 400, "validation-failed");
    expect((await auditOf(p.id)).map((a) => a.action)).toEqual(["pharmacist.create"]);
  });

  it("lets exactly one of two patches read from the same state win; the other is a 409 and writes nothing", async () => {
    const p = await aPharmacist(await aPharmacy());
    const d1 = readTogether(2);
    const ctx = (i: number) => ({ db: getDb(d1()), actor: { sub: "admin-county", role: "admin" as const, org: "inst-county", name: "" }, requestId: `race-${i}`, now: new Date() });
    const titles = ["senior_pharmacist", "assistant_pharmacist"] as const;
    const result = await outcomes(titles.map((title, i) => patchPharmacist(ctx(i), p.id, { title })));
    expect([...result].sort()).toEqual([`conflict: pharmacist ${p.id} was changed concurrently; reload it`, "ok"]);
    const stored = (await api<Pharmacist>("GET", `/pharmacists/${p.id}`, { token: await asAdmin() })).body;
    expect(stored.title).toBe(titles[result.indexOf("ok")]);
    expect((await auditOf(p.id)).map((a) => a.action)).toEqual(["pharmacist.create", "pharmacist.update"]);
  });
});
