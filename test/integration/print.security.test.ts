import { beforeAll, describe, expect, it } from "vitest";
import type { PrintedPrescription } from "../../worker/prescriptions/prescriptions.schemas";
import { aNormalPrescription, AMLODIPINE } from "../builders/prescriptions";
import { api, tokenFor } from "../support/api";
import { loadDemoSeed } from "../support/seed";
import { cloudPharmacist, freshPatient, renhePharmacist, sign } from "./desk.fixtures";
import { anAdmin, auditRows, countyDoctor, impostorDoctor, shimenDoctor, shimenJunior } from "./follow-up-rx.fixtures";

describe("who may print a prescription", () => {
  beforeAll(loadDemoSeed);

  it("the writing institution's doctors, the pharmacy it was routed to and admins; each print audited", async () => {
    const rx = await sign(aNormalPrescription(await freshPatient(), AMLODIPINE, 7));
    for (const token of [await shimenDoctor(), await shimenJunior(), await cloudPharmacist(), await anAdmin()]) {
      const res = await api<PrintedPrescription>("GET", `/prescriptions/${rx.id}/print`, { token });
      expect(res.status).toBe(200);
      expect(res.body.id).toBe(rx.id);
    }
    expect((await auditRows("prescription", rx.id)).filter((r) => r.action === "prescription.print").map((r) => r.actor_id)).toEqual([
      "doc-shimen-gp-intermediate",
      "doc-shimen-gp-junior",
      "ph-cloud-1",
      "admin-county",
    ]);
  });

  it("another institution's doctor and another pharmacy get 404, a token naming a foreign institution 403, no token 401; none is audited", async () => {
    const rx = await sign(aNormalPrescription(await freshPatient(), AMLODIPINE, 7));
    const path = `/prescriptions/${rx.id}/print`;
    expect((await api("GET", path, { token: await countyDoctor() })).status).toBe(404);
    expect((await api("GET", path, { token: await renhePharmacist() })).status).toBe(404);
    const impostor = await api<{ code: string }>("GET", path, { token: await impostorDoctor() });
    expect([impostor.status, impostor.body.code]).toEqual([403, "forbidden"]);
    expect((await api("GET", path)).status).toBe(401);
    expect((await api("GET", path, { token: "not-a-jwt" })).status).toBe(401);
    expect((await auditRows("prescription", rx.id)).map((r) => r.action)).toEqual(["prescription.sign"]);
  });

  it("answers a foreign prescription and an unknown id alike (no existence oracle)", async () => {
    const rx = await sign(aNormalPrescription(await freshPatient(), AMLODIPINE, 7));
    const foreign = await api<{ status: number; code: string }>("GET", `/prescriptions/${rx.id}/print`, { token: await countyDoctor() });
    const unknown = await api<{ status: number; code: string }>("GET", "/prescriptions/rx_nope/print", { token: await countyDoctor() });
    expect([foreign.status, foreign.body.code]).toEqual([unknown.status, unknown.body.code]);
  });

  it("publishes the signing keys to anyone, without private material, cacheable", async () => {
    for (const token of [undefined, await tokenFor("pharmacist", "ph-renhe-1", "pharm-renhe")]) {
      const res = await api<{ keys: Record<string, unknown>[] }>("GET", "/prescription-signing-keys", { token });
      expect(res.status).toBe(200);
      expect(res.headers.get("cache-control")).toBe("public, max-age=300");
      expect(res.headers.get("access-control-allow-origin")).toBe("*");
      expect(res.body.keys.length).toBeGreaterThan(0);
      for (const key of res.body.keys) {
        expect(key).toMatchObject({ kty: "OKP", crv: "Ed25519", x: expect.any(String), kid: expect.any(String) });
        expect(key).not.toHaveProperty("d");
      }
    }
  });

  it("is documented with its roles; the keys as public", async () => {
    const doc = await api<{ paths: Record<string, Record<string, { "x-roles"?: string[]; security?: unknown[] }>> }>("GET", "/openapi.json");
    expect(doc.body.paths["/api/v1/prescriptions/{id}/print"]?.get?.["x-roles"]).toEqual(["doctor", "admin", "pharmacist"]);
    expect(doc.body.paths["/api/v1/prescription-signing-keys"]?.get).toMatchObject({ "x-roles": ["public"], security: [] });
  });
});
