import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import type { Pharmacy, Site } from "../../worker/pharmacy/pharmacies/pharmacies.schemas";
import { api, asAdmin, asDoctor, asPharmacist } from "../support/api";
import { loadDemoSeed } from "../support/seed";

const SECRET = "partner-secret-0123456789-abcdefghij";

const anExternalPharmacy = (id: string) => ({
  id,
  name: "康泰大药房（石门店）",
  integration: "external",
  endpointUrl: "https://pharmacy-partner.example/kangtai/orders",
  sharedSecret: SECRET,
  deliveryRegions: ["青溪县/石门乡", "青溪县/石门乡"],
  capabilities: ["pickup", "delivery", "delivery"],
  hours: "08:00-20:00",
});

const audits = async (id: string) =>
  (await env.DB.prepare("SELECT action, before, after FROM audit_events WHERE entity_id = ? ORDER BY id").bind(id).all<{ action: string; before: string | null; after: string | null }>()).results;

describe("pharmacy management", () => {
  beforeAll(loadDemoSeed);

  it("lists every pharmacy with its sites to every role, never with a shared secret", async () => {
    for (const token of [await asDoctor(), await asPharmacist(), await asAdmin()]) {
      const res = await api<{ items: Pharmacy[] }>("GET", "/pharmacies", { token });
      expect(res.status).toBe(200);
      const renhe = res.body.items.find((p) => p.id === "pharm-renhe");
      expect(renhe).toMatchObject({ integration: "external", hasSharedSecret: true, endpointUrl: expect.stringMatching(/^https:/) });
      expect(res.body.items.find((p) => p.id === "pharm-cloud")?.sites.map((s) => s.id).sort()).toEqual(["site-cloud-chengguan", "site-cloud-shimen"]);
      expect(JSON.stringify(res.body)).not.toContain("dev-only-renhe-hmac-secret");
      expect(JSON.stringify(res.body)).not.toContain("sharedSecret");
    }
  });

  it("contracts an external pharmacy, in one batch with its audit row (which keeps no secret)", async () => {
    const res = await api<Pharmacy>("POST", "/pharmacies", { token: await asAdmin(), body: anExternalPharmacy("pharm-kangtai") });
    expect(res.status).toBe(201);
    expect(res.headers.get("location")).toBe("/api/v1/pharmacies/pharm-kangtai");
    expect(res.body).toMatchObject({ id: "pharm-kangtai", hasSharedSecret: true, deliveryRegions: ["青溪县/石门乡"], capabilities: ["delivery", "pickup"], sites: [] });
    const stored = await env.DB.prepare("SELECT shared_secret AS s FROM pharmacies WHERE id = 'pharm-kangtai'").first<{ s: string }>();
    expect(stored?.s).toBe(SECRET);
    const trail = await audits("pharm-kangtai");
    expect(trail.map((a) => a.action)).toEqual(["pharmacy.create"]);
    expect(trail[0]?.after).not.toContain(SECRET);
    const got = await api<Pharmacy>("GET", "/pharmacies/pharm-kangtai", { token: await asDoctor() });
    expect(got.body).toEqual(res.body);
  });

  it("contracts a desk pharmacy without endpoint or secret", async () => {
    const res = await api<Pharmacy>("POST", "/pharmacies", {
      token: await asAdmin(),
      body: { id: "pharm-desk-2", name: "县医院门诊药房", integration: "desk", deliveryRegions: [], capabilities: ["pickup"] },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ endpointUrl: null, hasSharedSecret: false, hours: null });
  });

  it("patches a pharmacy: rotates the secret, changes its area; an unchanged patch writes nothing; switching to desk clears endpoint and secret", async () => {
    await api("POST", "/pharmacies", { token: await asAdmin(), body: anExternalPharmacy("pharm-patch") });
    const rotated = await api<Pharmacy>("PATCH", "/pharmacies/pharm-patch", { token: await asAdmin(), body: { sharedSecret: `${SECRET}-v2`, deliveryRegions: ["青溪县"] } });
    expect(rotated.status).toBe(200);
    expect(rotated.body.deliveryRegions).toEqual(["青溪县"]);
    expect((await env.DB.prepare("SELECT shared_secret AS s FROM pharmacies WHERE id = 'pharm-patch'").first<{ s: string }>())?.s).toBe(`${SECRET}-v2`);
    const trail = await audits("pharm-patch");
    expect(trail.map((a) => a.action)).toEqual(["pharmacy.create", "pharmacy.update"]);
    expect(JSON.parse(trail[1]?.after ?? "{}")).toMatchObject({ sharedSecretChanged: true, hasSharedSecret: true });
    expect(trail.map((a) => `${a.before}${a.after}`).join()).not.toContain(SECRET);

    const same = await api<Pharmacy>("PATCH", "/pharmacies/pharm-patch", { token: await asAdmin(), body: { hours: "08:00-20:00" } });
    expect(same.status).toBe(200);
    expect(await audits("pharm-patch")).toHaveLength(2);

    const desk = await api<Pharmacy>("PATCH", "/pharmacies/pharm-patch", { token: await asAdmin(), body: { integration: "desk" } });
    expect(desk.status).toBe(200);
    expect(desk.body).toMatchObject({ integration: "desk", endpointUrl: null, hasSharedSecret: false });
  });

  it("adds a pickup site, optionally at a member institution, audited", async () => {
    const res = await api<Site>("POST", "/pharmacies/pharm-cloud/sites", {
      token: await asAdmin(),
      body: { id: "site-cloud-taoyuan", name: "桃源镇卫生院便民取药窗口", address: "青溪县桃源镇健康路 1 号", institutionId: "inst-taoyuan" },
    });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ id: "site-cloud-taoyuan", pharmacyId: "pharm-cloud", name: "桃源镇卫生院便民取药窗口", address: "青溪县桃源镇健康路 1 号", institutionId: "inst-taoyuan" });
    expect((await audits("site-cloud-taoyuan")).map((a) => a.action)).toEqual(["pharmacy_site.create"]);
    const list = await api<{ items: Pharmacy[] }>("GET", "/pharmacies", { token: await asDoctor() });
    expect(list.body.items.find((p) => p.id === "pharm-cloud")?.sites.map((s) => s.id)).toContain("site-cloud-taoyuan");
  });
});
