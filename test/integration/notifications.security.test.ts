import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import type { Problem } from "../../worker/errors/problem";
import { aNormalPrescription } from "../builders/prescriptions";
import { api, asAdmin, asPharmacist, tokenFor } from "../support/api";
import { loadDemoSeed } from "../support/seed";

const otherPharmacy = () => tokenFor("pharmacist", "ph-renhe-1", "pharm-renhe");
const prescriber = () => tokenFor("doctor", "doc-shimen-gp-intermediate", "inst-shimen");

async function anOrder(): Promise<string> {
  const patientId = `pat-ntfsec-${crypto.randomUUID().slice(0, 8)}`;
  await env.DB.prepare("INSERT INTO patients (id, name, gender, birth_date, created_at) VALUES (?, '测试', 'female', '1960-01-01', '2026-01-01')").bind(patientId).run();
  const res = await api<{ orders: { id: string }[] }>("POST", "/prescriptions", {
    token: await prescriber(),
    headers: { "idempotency-key": crypto.randomUUID() },
    body: aNormalPrescription(patientId),
  });
  expect(res.status).toBe(201);
  return res.body.orders[0]!.id;
}

describe("GET /notifications security", () => {
  beforeAll(loadDemoSeed);

  it("needs a token (401) and the admin or pharmacist role: even the prescriber gets 403", async () => {
    const orderId = await anOrder();
    expect((await api("GET", `/notifications?orderId=${orderId}`)).status).toBe(401);
    const doctor = await api<Problem>("GET", `/notifications?orderId=${orderId}`, { token: await prescriber() });
    expect(doctor.status).toBe(403);
    expect(doctor.body.code).toBe("forbidden");
  });

  it("hides another pharmacy's order from a pharmacist as 404, like an unknown order", async () => {
    const orderId = await anOrder();
    const foreign = await api<Problem>("GET", `/notifications?orderId=${orderId}`, { token: await otherPharmacy() });
    expect(foreign.status).toBe(404);
    const unknown = await api<Problem>("GET", "/notifications?orderId=ord_nope", { token: await asPharmacist() });
    expect(unknown.status).toBe(404);
    expect(foreign.body.detail).toBe(unknown.body.detail?.replace("ord_nope", orderId));
    expect((await api("GET", "/notifications?orderId=ord_nope", { token: await asAdmin() })).status).toBe(404);
  });

  it("requires orderId (400 problem)", async () => {
    const res = await api<Problem>("GET", "/notifications", { token: await asAdmin() });
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    expect(res.body.issues?.map((i) => i.path)).toEqual(["query.orderId"]);
  });
});
