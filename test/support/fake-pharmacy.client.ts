/**
 * The tests' side of the fake pharmacy (test/support/fake-pharmacy.ts runs in Node): point
 * an external pharmacy at a scenario of its own, set its failure plan, read what it got.
 */
import { env } from "cloudflare:workers";
import { signBody } from "../../worker/lib/hmac";
import type { Draft } from "../../worker/prescriptions/prescriptions.schemas";
import { AMLODIPINE } from "../builders/prescriptions";
import { FAKE_PHARMACY_HOST, type FailurePlan, type ScenarioState } from "./fake-pharmacy";
import { api, BASE } from "./api";

export const RENHE = "pharm-renhe";
/** 仁和 delivers to 桃源镇 only: an address there routes a delivery to it. */
export const TAOYUAN = "青溪县/桃源镇";

export interface Scenario {
  name: string;
  secret: string;
  control(plan: Omit<FailurePlan, "secret">): Promise<void>;
  state(): Promise<ScenarioState>;
}

/** Gives the pharmacy (in this test file's D1, or another consortium's `database`) an endpoint of a fresh scenario, with no failures planned. */
export async function useScenario(label: string, pharmacyId = RENHE, database: D1Database = env.DB): Promise<Scenario> {
  const name = `${label}-${crypto.randomUUID().slice(0, 8)}`;
  await database.prepare("UPDATE pharmacies SET endpoint_url = ? WHERE id = ?").bind(`https://${FAKE_PHARMACY_HOST}/${name}/orders`, pharmacyId).run();
  const row = await database.prepare("SELECT shared_secret AS secret FROM pharmacies WHERE id = ?").bind(pharmacyId).first<{ secret: string }>();
  if (!row?.secret) throw new Error(`${pharmacyId} has no shared secret`);
  const secret = row.secret;
  const scenario: Scenario = {
    name,
    secret,
    async control(plan) {
      const res = await fetch(`https://${FAKE_PHARMACY_HOST}/${name}/__control`, { method: "POST", body: JSON.stringify({ ...plan, secret }) });
      if (!res.ok) throw new Error(`fake pharmacy control: ${res.status}`);
      await res.text();
    },
    async state() {
      const res = await fetch(`https://${FAKE_PHARMACY_HOST}/${name}/__state`);
      return (await res.json()) as ScenarioState;
    },
  };
  await scenario.control({});
  return scenario;
}

/** Polls until `check` holds (or throws after `timeoutMs`); returns the last value read. */
export async function waitFor<T>(read: () => Promise<T>, check: (value: T) => boolean, timeoutMs = 20_000, everyMs = 100): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (check(value)) return value;
    if (Date.now() > until) throw new Error(`condition not met within ${timeoutMs} ms: ${JSON.stringify(value).slice(0, 500)}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

/** A fresh patient (so no active supply from another test interferes). */
export async function freshPatients(count: number, label: string): Promise<string[]> {
  const ids = Array.from({ length: count }, (_, i) => `pat-${label}-${i}-${crypto.randomUUID().slice(0, 6)}`);
  const stmt = env.DB.prepare("INSERT INTO patients (id, name, gender, birth_date, created_at) VALUES (?, '测试', 'female', '1960-01-01', '2026-01-01')");
  for (let i = 0; i < ids.length; i += 50) await env.DB.batch(ids.slice(i, i + 50).map((id) => stmt.bind(id)));
  return ids;
}

/** A 7-day amlodipine prescription delivered to 桃源镇: routed to 仁和 (external). */
export function aDeliveryPrescription(patientId: string, village = "仁和村"): Draft {
  return {
    patientId,
    kind: "normal",
    diagnoses: [{ icd10: "I10" }],
    items: [{ drugCode: AMLODIPINE, dose: { value: 5, unit: "mg" }, frequency: "qd", days: 7, packages: 1 }],
    fulfilment: { mode: "delivery", address: { region: `${TAOYUAN}/${village}`, line: "桃源镇仁和村 3 组 12 号", phone: "13800000000" } },
  };
}

export interface OutboxState {
  id: string;
  orderId: string;
  state: string;
  attempts: number;
  lastError: string | null;
  idempotencyKey: string;
  nextAttemptAt: string;
}

export async function outboxRows(orderIds?: string[]): Promise<OutboxState[]> {
  const sql = `SELECT id, order_id AS orderId, state, attempts, last_error AS lastError, idempotency_key AS idempotencyKey, next_attempt_at AS nextAttemptAt FROM outbox${orderIds ? " WHERE order_id IN (SELECT value FROM json_each(?))" : ""} ORDER BY id`;
  const stmt = orderIds ? env.DB.prepare(sql).bind(JSON.stringify(orderIds)) : env.DB.prepare(sql);
  return (await stmt.all<OutboxState>()).results;
}

/** A status callback as the pharmacy sends it: signed over the exact bytes posted. */
export async function sendCallback(pharmacyId: string, secret: string, event: Record<string, unknown>, opts: { at?: Date; signature?: string; rawBody?: string } = {}) {
  const rawBody = opts.rawBody ?? JSON.stringify(event);
  const signature = opts.signature ?? (await signBody(secret, rawBody, opts.at ?? new Date()));
  return api<Record<string, unknown>>("POST", `/pharmacy-callbacks/${pharmacyId}`, { rawBody, headers: { "content-type": "application/json", "x-signature": signature } });
}

export { BASE };
