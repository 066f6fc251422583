import { beforeAll, describe, expect, it } from "vitest";
import type { Prescription } from "../../worker/prescriptions/prescriptions.schemas";
import { api, tokenFor } from "../support/api";
import { aDeliveryPrescription, freshPatients, outboxRows, RENHE, useScenario, waitFor } from "../support/fake-pharmacy.client";
import { loadDemoSeed } from "../support/seed";

const doctor = () => tokenFor("doctor", "doc-shimen-gp-intermediate", "inst-shimen");

describe("outbox delivery through the real queue", () => {
  beforeAll(loadDemoSeed);

  it("delivers a signed delivery prescription to the external pharmacy, signed, once", async () => {
    const scenario = await useScenario("delivery");
    const [patientId = ""] = await freshPatients(1, "delivery");
    const res = await api<Prescription & { orders: { id: string; pharmacyId: string }[] }>("POST", "/prescriptions", {
      token: await doctor(),
      headers: { "idempotency-key": crypto.randomUUID() },
      body: aDeliveryPrescription(patientId),
    });
    expect(res.status).toBe(201);
    const order = res.body.orders[0];
    expect(order?.pharmacyId).toBe(RENHE);
    const rows = await waitFor(() => outboxRows([order?.id ?? ""]), (r) => r.length === 1 && r[0]?.state === "delivered");
    expect(rows[0]).toMatchObject({ state: "delivered", attempts: 1, lastError: null });
    const state = await scenario.state();
    expect(state.badSignatures).toBe(0);
    expect(Object.keys(state.orders)).toEqual([rows[0]?.idempotencyKey]);
    expect(state.orders[rows[0]?.idempotencyKey ?? ""]).toMatchObject({ orderId: order?.id, kind: "order.created", receipts: 1 });
    expect(state.log).toEqual([{ key: rows[0]?.idempotencyKey, signature: "valid", status: 200, processed: true }]);
  });
});
