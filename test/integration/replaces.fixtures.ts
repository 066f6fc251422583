import { env } from "cloudflare:workers";
import { expect } from "vitest";
import type { Prescription, Redraft } from "../../worker/prescriptions/prescriptions.schemas";
import { expireUncollected } from "../../worker/pharmacy/scheduled";
import { api } from "../support/api";
import { act, aPickupOrder, aReadyPickupOrder } from "./desk.fixtures";
import { returnOrder } from "./returns.fixtures";
import { shimenDoctor } from "./follow-up-rx.fixtures";

/** Prescriptions that came back to the doctor in each way (not a test file). */

/** A 7-day amlodipine prescription the cloud pharmacist rejected in review (处方点评: inappropriate dosage). */
export async function aRejectedPrescription(patientId?: string): Promise<{ rx: Prescription; orderId: string }> {
  const { rx, orderId } = await aPickupOrder(patientId);
  const res = await act(orderId, "review", { decision: "reject", reasonCode: "inappropriate.dosage", note: "剂量请核对" });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return { rx, orderId };
}

/** Returned by the only pharmacy that could fulfil it (no other to re-route to). */
export async function aReturnedPrescription(): Promise<{ rx: Prescription; orderId: string }> {
  const { rx, orderId } = await aPickupOrder();
  const res = await returnOrder(orderId, { reasonCode: "out_of_stock_long", note: "厂家停产" });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return { rx, orderId };
}

/** Ready for pickup, never collected, expired by the cron a month later. */
export async function anExpiredPrescription(): Promise<{ rx: Prescription; orderId: string }> {
  const { rx, orderId } = await aReadyPickupOrder();
  await expireUncollected(env, new Date(Date.now() + 30 * 86_400_000));
  const row = await env.DB.prepare("SELECT status FROM orders WHERE id = ?").bind(orderId).first<{ status: string }>();
  expect(row?.status).toBe("expired");
  return { rx, orderId };
}

export async function draftOf(id: string, token?: string) {
  return api<Redraft & { code?: string }>("GET", `/prescriptions/${id}/draft`, { token: token ?? (await shimenDoctor()) });
}

export async function signDraft(draft: unknown, token?: string, key = crypto.randomUUID()) {
  return api<Prescription & { code?: string; detail?: string; issues?: { path: string }[] }>("POST", "/prescriptions", {
    token: token ?? (await shimenDoctor()),
    headers: { "idempotency-key": key },
    body: draft,
  });
}

export async function rxRow(id: string) {
  return env.DB.prepare("SELECT status, replaces, replaced_by AS replacedBy, version FROM prescriptions WHERE id = ?").bind(id).first<{
    status: string;
    replaces: string | null;
    replacedBy: string | null;
    version: number;
  }>();
}

export async function orderStatuses(prescriptionId: string): Promise<string[]> {
  const rows = await env.DB.prepare("SELECT status FROM orders WHERE prescription_id = ? ORDER BY instalment").bind(prescriptionId).all<{ status: string }>();
  return rows.results.map((r) => r.status);
}

export async function inboxDoneOf(orderId: string): Promise<(string | null)[]> {
  const rows = await env.DB.prepare("SELECT done_at AS doneAt FROM notifications WHERE order_id = ? AND channel = 'inbox' ORDER BY created_at").bind(orderId).all<{ doneAt: string | null }>();
  return rows.results.map((r) => r.doneAt);
}

export async function prescriptionsOfPatient(patientId: string): Promise<number> {
  const row = await env.DB.prepare("SELECT count(*) AS n FROM prescriptions WHERE patient_id = ?").bind(patientId).first<{ n: number }>();
  return row?.n ?? 0;
}
