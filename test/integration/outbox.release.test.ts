/**
 * The cron releases due instalments of long prescriptions: for an external pharmacy the
 * order.created message is written with the transition and delivered through the queue.
 */
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { addDays, chinaDate } from "../../worker/lib/clock";
import { runScheduled } from "../../worker/pharmacy/scheduled";
import type { Draft } from "../../worker/prescriptions/prescriptions.schemas";
import { AMLODIPINE } from "../builders/prescriptions";
import { api, tokenFor } from "../support/api";
import { freshPatients, outboxRows, RENHE, type Scenario, TAOYUAN, useScenario, waitFor } from "../support/fake-pharmacy.client";
import { loadDemoSeed } from "../support/seed";

interface SignedOrders {
  id: string;
  contentHash: string;
  orders: { id: string; pharmacyId: string; status: string; instalment: number; releaseOn: string }[];
}

const doctor = () => tokenFor("doctor", "doc-taoyuan-gp-intermediate", "inst-taoyuan");
const DAY_MS = 86_400_000;

/** A stable hypertensive patient: a first long prescription (84 days) is allowed at a primary institution. */
async function stablePatient(label: string): Promise<string> {
  const [id = ""] = await freshPatients(1, label);
  await env.DB.prepare("INSERT INTO patient_conditions (id, patient_id, icd10, name, chronic, stable, diagnosed_at, diagnosed_by) VALUES (?, ?, 'I10', '原发性高血压', 1, 1, '2024-01-01', 'doc-taoyuan-gp-intermediate')")
    .bind(`cond-${id}`, id)
    .run();
  return id;
}

function aLongPrescription(patientId: string, fulfilment: Draft["fulfilment"]): Draft {
  return {
    patientId,
    kind: "long_term",
    diagnoses: [{ icd10: "I10", name: "原发性高血压" }],
    items: [{ drugCode: AMLODIPINE, dose: { value: 5, unit: "mg" }, frequency: "qd", days: 84, packages: 3 }],
    longTerm: { firstIssue: true, assessment: "血压控制达标，病情稳定，规律服药。", patientConfirmed: true },
    fulfilment: { ...fulfilment, instalments: 3 },
  };
}

async function sign(draft: Draft): Promise<SignedOrders> {
  const res = await api<SignedOrders>("POST", "/prescriptions", { token: await doctor(), headers: { "idempotency-key": crypto.randomUUID() }, body: draft });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

const orderRow = (id: string) => env.DB.prepare("SELECT status FROM orders WHERE id = ?").bind(id).first<{ status: string }>();

describe("instalment release", () => {
  let scenario: Scenario;
  beforeAll(async () => {
    await loadDemoSeed();
    scenario = await useScenario("release");
  });

  it("releases an external pharmacy's instalment on its date with its order.created message, which the queue delivers", async () => {
    const rx = await sign(aLongPrescription(await stablePatient("rel-ext"), { mode: "delivery", address: { region: `${TAOYUAN}/仁和村`, line: "仁和村 5 号", phone: "13900000000" } }));
    const [first, second, third] = rx.orders;
    expect(rx.orders.map((o) => [o.pharmacyId, o.status])).toEqual([
      [RENHE, "pending_review"],
      [RENHE, "scheduled"],
      [RENHE, "scheduled"],
    ]);
    expect((await outboxRows(rx.orders.map((o) => o.id))).map((r) => r.orderId)).toEqual([first?.id]);

    // the day the second instalment is due (China date), not yet the third
    const releaseDay = new Date(Date.now() + (Date.parse(`${second!.releaseOn}T00:00:00Z`) - Date.parse(`${chinaDate(new Date())}T00:00:00Z`)));
    expect(chinaDate(releaseDay)).toBe(second!.releaseOn);
    expect(second!.releaseOn < third!.releaseOn).toBe(true);
    expect(chinaDate(new Date(releaseDay.getTime() - DAY_MS)) < second!.releaseOn).toBe(true);
    expect((await runScheduled(env, new Date(releaseDay.getTime() - DAY_MS))).released).toBe(0);

    const summary = await runScheduled(env, releaseDay);
    expect(summary).toMatchObject({ released: 1, releaseConflicts: 0, errors: [] });
    expect((await orderRow(second!.id))?.status).toBe("pending_review");
    expect((await orderRow(third!.id))?.status).toBe("scheduled");
    const events = await env.DB.prepare("SELECT from_status AS fromStatus, to_status AS toStatus, source, actor_id AS actor FROM order_events WHERE order_id = ? ORDER BY id").bind(second!.id).all();
    expect(events.results.at(-1)).toEqual({ fromStatus: "scheduled", toStatus: "pending_review", source: "system", actor: "system:yaolian" });

    // the message carries the signed prescription, and reaches the pharmacy through the queue
    const delivered = await waitFor(() => outboxRows([second!.id]), (r) => r[0]?.state === "delivered");
    const payload = (await env.DB.prepare("SELECT payload FROM outbox WHERE id = ?").bind(delivered[0]?.id).first<{ payload: string }>())?.payload ?? "{}";
    expect(JSON.parse(payload)).toMatchObject({ type: "order.created", orderId: second!.id, instalment: 2, instalments: 3, prescription: { id: rx.id, contentHash: rx.contentHash } });
    expect((await scenario.state()).orders[delivered[0]!.idempotencyKey]).toMatchObject({ orderId: second!.id, receipts: 1 });

    // the same day again: nothing more to release
    expect((await runScheduled(env, releaseDay)).released).toBe(0);
    expect(await outboxRows([second!.id])).toHaveLength(1);
  });

  it("releases a desk pharmacy's instalment without any outbox message, and never a cancelled one", async () => {
    const desk = await sign(aLongPrescription(await stablePatient("rel-desk"), { mode: "pickup", pickupSiteId: "site-cloud-shimen" }));
    const cancelled = await sign(aLongPrescription(await stablePatient("rel-cancel"), { mode: "pickup", pickupSiteId: "site-cloud-shimen" }));
    const cancel = await api("POST", `/prescriptions/${cancelled.id}/cancel`, { token: await doctor(), body: { reason: "改用其他方案" } });
    expect(cancel.status).toBe(200);
    const late = new Date(Date.parse(`${addDays(chinaDate(new Date()), 60)}T04:00:00Z`));
    await runScheduled(env, late);
    expect(await Promise.all(desk.orders.map(async (o) => (await orderRow(o.id))?.status))).toEqual(["pending_review", "pending_review", "pending_review"]);
    expect(await outboxRows(desk.orders.map((o) => o.id))).toEqual([]);
    expect(await Promise.all(cancelled.orders.map(async (o) => (await orderRow(o.id))?.status))).toEqual(["cancelled", "cancelled", "cancelled"]);
  });
});
