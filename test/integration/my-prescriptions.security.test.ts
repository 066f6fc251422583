import { beforeAll, describe, expect, it } from "vitest";
import { AMLODIPINE, aNormalPrescription } from "../builders/prescriptions";
import { api } from "../support/api";
import { loadDemoSeed } from "../support/seed";
import { cloudPharmacist, freshPatient, sign } from "./desk.fixtures";
import { countyDoctor, impostorDoctor, shimenDoctor } from "./follow-up-rx.fixtures";

describe("whose prescriptions are listed", () => {
  beforeAll(loadDemoSeed);

  it("another institution's doctor sees none of ours, in either scope", async () => {
    const patientId = await freshPatient();
    await sign(aNormalPrescription(patientId, AMLODIPINE, 7));
    for (const scope of ["mine", "institution"]) {
      const res = await api<{ items: unknown[] }>("GET", `/prescriptions?scope=${scope}&patientId=${patientId}`, { token: await countyDoctor() });
      expect(res.status).toBe(200);
      expect(res.body.items).toEqual([]);
    }
  });

  it("pharmacists and unregistered doctors 403, no token 401", async () => {
    expect((await api("GET", "/prescriptions", { token: await cloudPharmacist() })).status).toBe(403);
    const impostor = await api<{ code: string }>("GET", "/prescriptions", { token: await impostorDoctor() });
    expect([impostor.status, impostor.body.code]).toEqual([403, "forbidden"]);
    expect((await api("GET", "/prescriptions")).status).toBe(401);
  });

  it("bad filters and cursors are 400 problems", async () => {
    const token = await shimenDoctor();
    for (const query of ["status=lost", "status=signed,", "scope=everyone", "limit=0", "limit=101", "cursor=not-a-cursor"]) {
      const res = await api<{ code: string }>("GET", `/prescriptions?${query}`, { token });
      expect(res.status, query).toBe(400);
      expect(res.headers.get("content-type")).toContain("application/problem+json");
    }
  });
});
