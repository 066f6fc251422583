import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import type { DueItem, PatientOverview } from "../../worker/follow-up/follow-up.schemas";
import type { PatientSummary } from "../../worker/members/members.schemas";
import { addDays, chinaDate } from "../../worker/lib/clock";
import { api, tokenFor } from "../support/api";
import { loadDemoSeed } from "../support/seed";
import {
  aPatient,
  aPharmacist,
  aPrescription,
  anAdmin,
  auditOfRequest,
  countyDoctor,
  expectProblem,
  fenglinDoctor,
  impostorDoctor,
  shimenDoctor,
} from "./follow-up.fixtures";

interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

const day = (n: number) => addDays(chinaDate(new Date()), n);

async function auditCount(): Promise<number> {
  return (await env.DB.prepare("SELECT count(*) AS n FROM audit_events").first<{ n: number }>())?.n ?? 0;
}

describe("follow-up security", () => {
  beforeAll(loadDemoSeed);

  const routes = [
    ["GET", "/patients/pat-001/overview"],
    ["GET", "/follow-up/due"],
    ["GET", "/patients?q=ZGL"],
    ["PATCH", "/patients/pat-001"],
  ] as const;

  it("needs a token (401), and a valid one", async () => {
    for (const [method, path] of routes) {
      expectProblem(await api(method, path, { body: method === "PATCH" ? { familyDoctorId: null } : undefined }), 401, "unauthorized");
      expectProblem(await api(method, path, { token: "not-a-jwt", body: method === "PATCH" ? { familyDoctorId: null } : undefined }), 401, "unauthorized");
    }
  });

  it("never lets a pharmacist in (403), and writes no audit row", async () => {
    const before = await auditCount();
    for (const [method, path] of routes) {
      expectProblem(await api(method, path, { token: await aPharmacist(), body: method === "PATCH" ? { familyDoctorId: null } : undefined }), 403, "forbidden");
    }
    expect(await auditCount()).toBe(before);
  });

  it("refuses a doctor who is not a registered practitioner of the token's institution (403 before 404), writing no audit row", async () => {
    const before = await auditCount();
    const impostor = await impostorDoctor();
    expectProblem(await api("GET", "/patients/pat-001/overview", { token: impostor }), 403, "forbidden");
    expectProblem(await api("GET", "/patients/pat-nobody/overview", { token: impostor }), 403, "forbidden");
    expectProblem(await api("GET", "/follow-up/due", { token: impostor }), 403, "forbidden");
    const stranger = await tokenFor("doctor", "doc-not-registered", "inst-fenglin");
    expectProblem(await api("GET", "/follow-up/due", { token: stranger }), 403, "forbidden");
    expectProblem(await api("PATCH", "/patients/pat-001", { token: stranger, body: { familyDoctorId: null } }), 403, "forbidden");
    expect(await auditCount()).toBe(before);
  });

  it("keeps the due list to doctors: an admin has no follow-up list (403)", async () => {
    expectProblem(await api("GET", "/follow-up/due", { token: await anAdmin() }), 403, "forbidden");
  });

  it("shows another institution's doctor the supply but not the ids of prescriptions they may not open", async () => {
    const patientId = await aPatient();
    const shimenRx = await aPrescription({ patientId, on: day(-20), days: 84, prescriberId: "doc-shimen-gp-intermediate" });
    const countyRx = await aPrescription({ patientId, on: day(-3), days: 7, kind: "normal", prescriberId: "doc-county-im-senior", drugs: ["W179-02"] });
    const view = async (token: string) => {
      const res = await api<PatientOverview>("GET", `/patients/${patientId}/overview`, { token });
      expect(res.status).toBe(200);
      return res.body;
    };
    const county = await view(await countyDoctor());
    expect(county.supply.map((s) => [s.institutionId, s.prescriptionId])).toEqual([
      ["inst-county", countyRx],
      ["inst-shimen", null],
      ["inst-shimen", null],
    ]);
    expect(county.lastLongPrescription?.prescriptionId).toBeNull();
    const village = await view(await fenglinDoctor());
    expect(village.supply.every((s) => s.prescriptionId === null)).toBe(true);
    expect(village.supply).toHaveLength(3);
    expect(JSON.stringify(village)).not.toContain(shimenRx);
    expect(JSON.stringify(village)).not.toContain(countyRx);
    const shimen = await view(await shimenDoctor());
    expect(shimen.supply.map((s) => s.prescriptionId)).toEqual([null, shimenRx, shimenRx]);
    expect(shimen.lastLongPrescription?.prescriptionId).toBe(shimenRx);
    const admin = await view(await anAdmin());
    expect(admin.supply.map((s) => s.prescriptionId)).toEqual([countyRx, shimenRx, shimenRx]);
  });

  it("audits the overview (patient id only) and the due list (the ids shown), never names or phones", async () => {
    const overview = await api<PatientOverview>("GET", "/patients/pat-001/overview", { token: await fenglinDoctor() });
    const o = await auditOfRequest(overview.headers.get("x-request-id"));
    expect(o).toEqual([{ action: "patient.overview.read", actor_id: "doc-fenglin-village", entity_type: "patient", entity_id: "pat-001", after: null }]);

    const due = await api<Page<DueItem>>("GET", "/follow-up/due", { token: await fenglinDoctor() });
    const d = await auditOfRequest(due.headers.get("x-request-id"));
    expect(d.map((a) => [a.action, a.actor_id, a.entity_type])).toEqual([["follow-up.due.list", "doc-fenglin-village", "follow_up_due"]]);
    expect(JSON.parse(d[0]?.after ?? "{}").resultIds).toEqual(due.body.items.map((i) => i.patientId));
    expect(d[0]?.after).not.toContain("张桂兰");

    const search = await api<Page<PatientSummary>>("GET", "/patients?q=13807312608", { token: await fenglinDoctor() });
    const s = await auditOfRequest(search.headers.get("x-request-id"));
    expect(s[0]?.after).not.toContain("13807312608");
    expect(JSON.stringify(search.body)).not.toContain("13807312608");
  });

  it("lists only the caller's own patients on the due list", async () => {
    const mine = await aPatient({ familyDoctorId: "doc-xikou-village" });
    await aPrescription({ patientId: mine, on: day(-80), days: 84 });
    const xikou = await api<Page<DueItem>>("GET", "/follow-up/due", { token: await tokenFor("doctor", "doc-xikou-village", "inst-xikou") });
    expect(xikou.body.items.map((i) => i.patientId)).toContain(mine);
    const fenglin = await api<Page<DueItem>>("GET", "/follow-up/due?withinDays=60", { token: await fenglinDoctor() });
    expect(fenglin.body.items.map((i) => i.patientId)).not.toContain(mine);
  });

  it("declares its roles in the OpenAPI document", async () => {
    const res = await api<{ paths: Record<string, Record<string, { "x-roles"?: string[] }>> }>("GET", "/openapi.json");
    expect(res.body.paths["/api/v1/patients/{id}/overview"]?.get?.["x-roles"]).toEqual(["doctor", "admin"]);
    expect(res.body.paths["/api/v1/follow-up/due"]?.get?.["x-roles"]).toEqual(["doctor"]);
  });
});
