import { beforeAll, describe, expect, it } from "vitest";
import { api } from "../support/api";
import { loadDemoSeed } from "../support/seed";
import { cloudPharmacist } from "./desk.fixtures";
import { anAdmin, auditRows, impostorDoctor } from "./follow-up-rx.fixtures";

describe("who may draft a renewal", () => {
  beforeAll(loadDemoSeed);

  it("doctors only: pharmacists and admins 403, no token 401", async () => {
    expect((await api("GET", "/patients/pat-001/renewal", { token: await cloudPharmacist() })).status).toBe(403);
    expect((await api("GET", "/patients/pat-001/renewal", { token: await anAdmin() })).status).toBe(403);
    expect((await api("GET", "/patients/pat-001/renewal")).status).toBe(401);
  });

  it("a doctor who is not a registered practitioner of the token's institution: 403, for a known and an unknown patient alike, nothing audited", async () => {
    const before = (await auditRows("patient", "pat-002")).length;
    for (const id of ["pat-002", "pat-nobody"]) {
      const res = await api<{ code: string }>("GET", `/patients/${id}/renewal`, { token: await impostorDoctor() });
      expect([res.status, res.body.code]).toEqual([403, "forbidden"]);
    }
    expect((await auditRows("patient", "pat-002")).length).toBe(before);
  });
});
