import { env } from "cloudflare:workers";
import { expect } from "vitest";
import type { Problem } from "../../worker/errors/problem";
import type { DeskOrder, DeskOrderDetail } from "../../worker/pharmacy/desk/desk.schemas";
import type { Draft, Prescription } from "../../worker/prescriptions/prescriptions.schemas";
import { AMLODIPINE, aNormalPrescription, METFORMIN } from "../builders/prescriptions";
import { getDb } from "../../worker/db/index";
import type { DeskCtx } from "../../worker/pharmacy/desk/desk.access";
import { getSigner } from "../../worker/signing/signer";
import { api, tokenFor } from "../support/api";
import { readTogether } from "../support/race";

/** Shared by the desk.*.test.ts files (not a test file itself). */

export const shimenDoctor = () => tokenFor("doctor", "doc-shimen-gp-intermediate", "inst-shimen");
/** 主管药师 of the consortium's own cloud pharmacy (desk-integrated) */
export const cloudPharmacist = () => tokenFor("pharmacist", "ph-cloud-1", "pharm-cloud");
/** 药士: may dispense, may not review or hand over */
export const cloudAssistant = () => tokenFor("pharmacist", "ph-cloud-3", "pharm-cloud");
/** a pharmacist of the external partner pharmacy */
export const renhePharmacist = () => tokenFor("pharmacist", "ph-renhe-1", "pharm-renhe");

export const DELIVERY_ADDRESS = { region: "青溪县/石门乡", line: "石门街 3 号", phone: "13800000000" };

let serial = 0;

/** A patient of this test alone, so no active supply or order of another test interferes. */
export async function freshPatient(conditions: { icd10: string; name: string }[] = []): Promise<string> {
  serial++;
  const id = `pat-desk-${serial}-${crypto.randomUUID().slice(0, 8)}`;
  await env.DB.prepare("INSERT INTO patients (id, name, gender, birth_date, created_at) VALUES (?, '药联测试', 'male', '1958-03-02', '2026-01-01')").bind(id).run();
  for (const c of conditions) {
    await env.DB.prepare("INSERT INTO patient_conditions (id, patient_id, icd10, name, chronic, stable, diagnosed_at, diagnosed_by) VALUES (?, ?, ?, ?, 1, 1, '2024-01-01', 'doc-shimen-gp-intermediate')")
      .bind(`cond-${id}-${c.icd10}`, id, c.icd10, c.name)
      .run();
  }
  return id;
}

export async function sign(draft: Draft, token?: string): Promise<Prescription> {
  const res = await api<Prescription>("POST", "/prescriptions", { token: token ?? (await shimenDoctor()), headers: { "idempotency-key": crypto.randomUUID() }, body: draft });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

/** A 7-day amlodipine prescription picked up at the Shimen window (routed to pharm-cloud); returns its one order id. */
export async function aPickupOrder(patientId?: string): Promise<{ rx: Prescription; orderId: string; reference: string }> {
  const rx = await sign(aNormalPrescription(patientId ?? (await freshPatient()), AMLODIPINE, 7));
  const order = rx.orders?.[0];
  if (!order) throw new Error("no order routed");
  return { rx, orderId: order.id, reference: order.reference };
}

export async function aDeliveryOrder(region = DELIVERY_ADDRESS.region): Promise<{ rx: Prescription; orderId: string; reference: string }> {
  const draft = aNormalPrescription(await freshPatient(), AMLODIPINE, 7);
  const rx = await sign({ ...draft, fulfilment: { mode: "delivery", address: { ...DELIVERY_ADDRESS, region } } });
  const order = rx.orders?.[0];
  if (!order) throw new Error("no order routed");
  return { rx, orderId: order.id, reference: order.reference };
}

export type ActionResult = DeskOrder & { order?: DeskOrder; pickupCode?: string } & Partial<Pick<Problem, "code" | "detail" | "issues">>;

/** POST /orders/{id}/{action} as the cloud pharmacist unless another token is given. */
export async function act(orderId: string, action: string, body?: unknown, token?: string) {
  return api<ActionResult>("POST", `/orders/${orderId}/${action}`, { token: token ?? (await cloudPharmacist()), body: body ?? {} });
}

export async function getOrder(orderId: string, token?: string) {
  return api<DeskOrderDetail & Partial<Pick<Problem, "code" | "detail">>>("GET", `/orders/${orderId}`, { token: token ?? (await cloudPharmacist()) });
}

/** A step of `advance`: an action and its body, or a function of the order id that builds the body (see DISPENSE). */
export type Step = [string, unknown?];

/** Drives an order through the given actions, asserting each succeeds; returns the last response body. */
export async function advance(orderId: string, ...steps: Step[]): Promise<ActionResult> {
  let last: ActionResult | undefined;
  for (const [action, body] of steps) {
    const res = await act(orderId, action, typeof body === "function" ? await body(orderId) : body);
    expect(res.status, `${action}: ${JSON.stringify(res.body)}`).toBe(200);
    last = res.body;
  }
  if (!last) throw new Error("no steps");
  return last;
}

export const APPROVE: [string, unknown] = ["review", { decision: "approve" }];

export async function eventsOf(orderId: string) {
  const rows = await env.DB.prepare("SELECT from_status, to_status, source, actor_id, note FROM order_events WHERE order_id = ? ORDER BY id").bind(orderId).all<{
    from_status: string | null;
    to_status: string;
    source: string;
    actor_id: string;
    note: string | null;
  }>();
  return rows.results;
}

export async function orderRow(orderId: string) {
  return env.DB.prepare("SELECT status, version, pickup_attempts, pickup_attempts_total, pickup_code_reissues, pickup_code_hash FROM orders WHERE id = ?").bind(orderId).first<{
    status: string;
    version: number;
    pickup_attempts: number;
    pickup_attempts_total: number;
    pickup_code_reissues: number;
    pickup_code_hash: string | null;
  }>();
}

/** A lot far from expiry, for dispensing in tests. */
export const TEST_LOT = { lotNo: "L20260501", expiry: "2099-12" } as const;

/** The dispense body that dispenses everything still to supply, each item from TEST_LOT (read from D1: no audited detail read). */
export async function fullDispense(orderId: string): Promise<{ items: { index: number; packages: number; lotNo: string; expiry: string }[] }> {
  const row = await env.DB.prepare("SELECT items FROM orders WHERE id = ?").bind(orderId).first<{ items: string }>();
  const items = JSON.parse(row?.items ?? "[]") as { packages: number; supplied?: number }[];
  return {
    items: items.map((item, index) => ({ index, packages: item.packages - (item.supplied ?? 0), ...TEST_LOT })).filter((line) => line.packages > 0),
  };
}

/** `advance` step: dispense everything that remains (POST /orders/{id}/dispense needs the lines). */
export const DISPENSE: Step = ["dispense", fullDispense];

/**
 * The pickup code as the patient got it: from the order's latest pickup SMS in D1 (no
 * response ever carries it).
 */
export async function pickupCodeFromSms(orderId: string): Promise<string> {
  const row = await env.DB.prepare(
    "SELECT params FROM notifications WHERE order_id = ? AND channel = 'sms' AND template = 'order-ready-for-pickup' ORDER BY created_at DESC, rowid DESC LIMIT 1",
  )
    .bind(orderId)
    .first<{ params: string }>();
  const code = row ? (JSON.parse(row.params) as { pickupCode?: string }).pickupCode : undefined;
  if (!code) throw new Error(`no pickup code sent for order ${orderId}`);
  return code;
}

/** A pickup order made ready at the Shimen window, and the code its patient got by SMS. */
export async function aReadyPickupOrder(patientId?: string): Promise<{ rx: Prescription; orderId: string; reference: string; code: string }> {
  const order = await aPickupOrder(patientId);
  await advance(order.orderId, APPROVE, DISPENSE, ["ready"]);
  return { ...order, code: await pickupCodeFromSms(order.orderId) };
}

/** 7 days of amlodipine (1 pack, item 0) and metformin (14 tablets in packs of 1, item 1) for a fresh patient with I10 and E11: room for partial supply. */
export async function aTwoDrugOrder(mode: "pickup" | "delivery" = "pickup"): Promise<{ rx: Prescription; orderId: string; patientId: string }> {
  const patientId = await freshPatient([
    { icd10: "I10", name: "原发性高血压" },
    { icd10: "E11", name: "2型糖尿病" },
  ]);
  const rx = await sign({
    ...aNormalPrescription(patientId, AMLODIPINE, 7),
    diagnoses: [{ icd10: "I10" }, { icd10: "E11.9" }],
    items: [
      { drugCode: AMLODIPINE, dose: { value: 5, unit: "mg" }, frequency: "qd", days: 7, packages: 1 },
      { drugCode: METFORMIN, dose: { value: 0.5, unit: "g" }, frequency: "bid", days: 7, packages: 14 },
    ],
    ...(mode === "delivery" ? { fulfilment: { mode: "delivery", address: DELIVERY_ADDRESS } } : {}),
  });
  return { rx, orderId: rx.orders?.[0]?.id ?? "", patientId };
}

/** A two-drug pickup order whose amlodipine was handed over while metformin waits for stock. */
export async function anOrderAwaitingStock(): Promise<{ rx: Prescription; orderId: string; patientId: string }> {
  const order = await aTwoDrugOrder();
  await advance(order.orderId, APPROVE, ["dispense", { items: [{ index: 0, packages: 1, ...TEST_LOT }] }], ["ready"]);
  await advance(order.orderId, ["handover", { pickupCode: await pickupCodeFromSms(order.orderId) }]);
  return order;
}

/** Desk contexts of 徐文静 for `n` callers that all read before any writes (test/support/race.ts readTogether). */
export async function deskRacers(n: number): Promise<DeskCtx[]> {
  const d1 = readTogether(n);
  const signer = await getSigner(env);
  return Array.from({ length: n }, (_, i) => ({
    db: getDb(d1()),
    actor: { sub: "ph-cloud-1", role: "pharmacist" as const, org: "pharm-cloud", name: "" },
    requestId: `race-${i}`,
    now: new Date(),
    queue: env.ORDER_QUEUE,
    signer,
  }));
}
