import { beforeAll, describe, expect, it } from "vitest";
import type { Pharmacist } from "../../worker/members/pharmacists.schemas";
import { act, aPickupOrder } from "./desk.fixtures";
import { api, asAdmin } from "../support/api";
import { loadDemoSeed } from "../support/seed";
import { aPharmacist, aPharmacy, auditOf, type Page, tokenOf, uid } from "./pharmacists.fixtures";

describe("pharmacists as members", () => {
  beforeAll(loadDemoSeed);

  it("registers a pharmacist of every title, serves them and audits the creation", async () => {
    const pharmacyId = await aPharmacy();
    for (const title of ["assistant_pharmacist", "pharmacist", "senior_pharmacist", "associate_chief_pharmacist", "chief_pharmacist"]) {
      const id = uid("ph");
      const res = await api<Pharmacist>("POST", "/pharmacists", { token: await asAdmin(), body: { id, name: " 陈晓梅 ", pharmacyId, title } });
      expect(res.status, title).toBe(201);
      expect(res.headers.get("location")).toBe(`/api/v1/pharmacists/${id}`);
      expect(res.body).toEqual({ id, name: "陈晓梅", pharmacyId, title, createdAt: expect.any(String), updatedAt: null });
      expect((await api<Pharmacist>("GET", `/pharmacists/${id}`, { token: await asAdmin() })).body).toEqual(res.body);

      const audit = await auditOf(id);
      expect(audit.map((a) => [a.action, a.actor_id, a.actor_role, a.request_id])).toEqual([["pharmacist.create", "admin-county", "admin", res.headers.get("x-request-id")]]);
      expect(JSON.parse(audit[0]?.after ?? "{}")).toMatchObject({ id, pharmacyId, title });
    }
  });

  it("lists pharmacists by id, of one pharmacy or all, page by page", async () => {
    const pharmacyId = await aPharmacy();
    const mine = [await aPharmacist(pharmacyId), await aPharmacist(pharmacyId), await aPharmacist(pharmacyId)];
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = `/pharmacists?pharmacyId=${pharmacyId}&limit=2${cursor ? `&cursor=${cursor}` : ""}`;
      const page: { status: number; body: Page<Pharmacist> } = await api<Page<Pharmacist>>("GET", query, { token: await asAdmin() });
      expect(page.status).toBe(200);
      seen.push(...page.body.items.map((p) => p.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(mine.map((p) => p.id).sort());

    const all = await api<Page<Pharmacist>>("GET", "/pharmacists?limit=100", { token: await asAdmin() });
    expect(all.body.items.map((p) => p.id)).toEqual(expect.arrayContaining(["ph-cloud-1", "ph-renhe-1"]));
  });

  it("shows a pharmacist the colleagues of their own pharmacy", async () => {
    const pharmacyId = await aPharmacy();
    const me = await aPharmacist(pharmacyId);
    const colleague = await aPharmacist(pharmacyId, { title: "assistant_pharmacist" });
    const token = await tokenOf(me);
    for (const query of ["/pharmacists", `/pharmacists?pharmacyId=${pharmacyId}`]) {
      const res = await api<Page<Pharmacist>>("GET", query, { token });
      expect(res.status, query).toBe(200);
      expect(res.body.items.map((p) => p.id)).toEqual([me.id, colleague.id].sort());
    }
    expect((await api<Pharmacist>("GET", `/pharmacists/${colleague.id}`, { token })).body).toEqual(colleague);
  });

  it("changes name and title with before and after in the audit; a no-op writes nothing", async () => {
    const pharmacyId = await aPharmacy();
    const p = await aPharmacist(pharmacyId);
    const res = await api<Pharmacist>("PATCH", `/pharmacists/${p.id}`, { token: await asAdmin(), body: { name: "陈晓玫", title: "associate_chief_pharmacist" } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: p.id, name: "陈晓玫", title: "associate_chief_pharmacist", pharmacyId, createdAt: p.createdAt });
    expect(res.body.updatedAt).not.toBeNull();
    expect((await api<Pharmacist>("GET", `/pharmacists/${p.id}`, { token: await asAdmin() })).body).toEqual(res.body);

    const noop = await api<Pharmacist>("PATCH", `/pharmacists/${p.id}`, { token: await asAdmin(), body: { title: "associate_chief_pharmacist", pharmacyId } });
    expect(noop.status).toBe(200);
    expect(noop.body).toEqual(res.body);
    const audit = await auditOf(p.id);
    expect(audit.map((a) => a.action)).toEqual(["pharmacist.create", "pharmacist.update"]);
    expect(JSON.parse(audit[1]?.before ?? "{}")).toMatchObject({ name: "陈晓梅", title: "pharmacist", updatedAt: null });
    expect(JSON.parse(audit[1]?.after ?? "{}")).toMatchObject({ name: "陈晓玫", title: "associate_chief_pharmacist", updatedAt: res.body.updatedAt });
  });

  it("moves a pharmacist to another pharmacy: audited as a move, and their desk follows them", async () => {
    const from = await aPharmacy();
    const to = await aPharmacy();
    const p = await aPharmacist(from);
    const moved = await api<Pharmacist>("PATCH", `/pharmacists/${p.id}`, { token: await asAdmin(), body: { pharmacyId: to } });
    expect(moved.status).toBe(200);
    expect(moved.body.pharmacyId).toBe(to);
    const audit = await auditOf(p.id);
    expect(audit.at(-1)?.action).toBe("pharmacist.move");
    expect(JSON.parse(audit.at(-1)?.before ?? "{}")).toMatchObject({ pharmacyId: from });
    expect(JSON.parse(audit.at(-1)?.after ?? "{}")).toMatchObject({ pharmacyId: to });

    // a token naming the old pharmacy no longer opens its colleagues; one naming the new pharmacy does
    expect((await api("GET", "/pharmacists", { token: await tokenOf({ id: p.id, pharmacyId: from }) })).status).toBe(403);
    expect((await api<Page<Pharmacist>>("GET", "/pharmacists", { token: await tokenOf(moved.body) })).body.items.map((x) => x.id)).toEqual([p.id]);
  });

  it("gives a newly registered licensed pharmacist the desk of their pharmacy, and a 药士 only the dispensing", async () => {
    const licensed = await aPharmacist("pharm-cloud", { title: "chief_pharmacist" });
    const assistant = await aPharmacist("pharm-cloud", { title: "assistant_pharmacist" });
    const { orderId } = await aPickupOrder();
    expect((await act(orderId, "review", { decision: "approve" }, await tokenOf(assistant))).status).toBe(403);
    const approved = await act(orderId, "review", { decision: "approve" }, await tokenOf(licensed));
    expect(approved.status, JSON.stringify(approved.body)).toBe(200);
    expect(approved.body.status).toBe("approved");
  });
});
