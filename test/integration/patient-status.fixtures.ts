import { env } from "cloudflare:workers";
import type { Problem } from "../../worker/errors/problem";
import type { PatientOrderView } from "../../worker/pharmacy/patient-status/patient-status.schemas";
import type { Draft } from "../../worker/prescriptions/prescriptions.schemas";
import { AMLODIPINE, aLongRenewal, aNormalPrescription } from "../builders/prescriptions";
import { api } from "../support/api";
import { sign } from "./desk.fixtures";

/** Shared by the patient-status.*.test.ts files (not a test file itself). */

let serial = 0;

/** A patient of this test alone, with a phone unless told otherwise; returns the id and the phone's last four digits. */
export async function aPatientWithPhone(phone: string | null = `139${String(Math.floor(Math.random() * 1e8)).padStart(8, "0")}`, conditions: { icd10: string; name: string }[] = []) {
  serial++;
  const id = `pat-status-${serial}-${crypto.randomUUID().slice(0, 8)}`;
  await env.DB.prepare("INSERT INTO patients (id, name, gender, birth_date, phone, created_at) VALUES (?, '状态查询', 'female', '1960-05-01', ?, '2026-01-01')").bind(id, phone).run();
  for (const c of conditions) {
    await env.DB.prepare("INSERT INTO patient_conditions (id, patient_id, icd10, name, chronic, stable, diagnosed_at, diagnosed_by) VALUES (?, ?, ?, ?, 1, 1, '2024-01-01', 'doc-shimen-gp-intermediate')")
      .bind(`cond-${id}-${c.icd10}`, id, c.icd10, c.name)
      .run();
  }
  return { patientId: id, check: phone ? phone.slice(-4) : "0000" };
}

/** Any four digits but the given ones. */
export const wrongCheck = (check: string) => String((Number(check) + 1) % 10_000).padStart(4, "0");

export interface RoutedOrder {
  orderId: string;
  reference: string;
  check: string;
  prescriptionId: string;
}

async function routed(draft: Draft, check: string): Promise<RoutedOrder> {
  const rx = await sign(draft);
  const order = rx.orders?.[0];
  if (!order) throw new Error("no order routed");
  return { orderId: order.id, reference: order.reference, check, prescriptionId: rx.id };
}

/** A week of amlodipine for pickup at the Shimen window (pharm-cloud). */
export async function aPickup(phone?: string | null): Promise<RoutedOrder> {
  const { patientId, check } = await aPatientWithPhone(phone);
  return routed(aNormalPrescription(patientId, AMLODIPINE, 7), check);
}

/** The same, delivered to an address whose phone is not the patient's. */
export async function aDelivery(addressPhone: string, patientPhone?: string | null): Promise<RoutedOrder> {
  const { patientId, check } = await aPatientWithPhone(patientPhone);
  const draft = aNormalPrescription(patientId, AMLODIPINE, 7);
  return routed({ ...draft, fulfilment: { mode: "delivery", address: { region: "青溪县/石门乡", line: "石门街 3 号", phone: addressPhone } } }, check);
}

/** A first long prescription in three instalments; the reference is the first instalment's. */
export async function aThreeInstalmentPickup(): Promise<RoutedOrder & { orderIds: string[] }> {
  const { patientId, check } = await aPatientWithPhone(undefined, [
    { icd10: "I10", name: "原发性高血压" },
    { icd10: "E11", name: "2型糖尿病" },
  ]);
  const rx = await sign(
    aLongRenewal({
      patientId,
      longTerm: { firstIssue: true, assessment: "血压血糖控制达标，病情稳定，评估后开具长期处方。", patientConfirmed: true },
      fulfilment: { mode: "pickup", pickupSiteId: "site-cloud-shimen", instalments: 3 },
    }),
  );
  const orders = rx.orders ?? [];
  const first = orders[0];
  if (!first || orders.length !== 3) throw new Error("expected three instalments");
  return { orderId: first.id, reference: first.reference, check, prescriptionId: rx.id, orderIds: orders.map((o) => o.id) };
}

/**
 * Puts an order in a state directly: the lookup only reads, and the desk's own transitions
 * are tested in the desk files.
 */
export async function setOrder(orderId: string, changes: { status: string; carrier?: string; trackingNo?: string; items?: unknown }) {
  await env.DB.prepare("UPDATE orders SET status = ?, carrier = COALESCE(?, carrier), tracking_no = COALESCE(?, tracking_no), items = COALESCE(?, items), updated_at = ? WHERE id = ?")
    .bind(changes.status, changes.carrier ?? null, changes.trackingNo ?? null, changes.items === undefined ? null : JSON.stringify(changes.items), new Date().toISOString(), orderId)
    .run();
}

let client = 0;

/** A client address of its own, so no other test's lookups share its bucket. */
export const aClient = () => `198.51.100.${++client % 250}-${crypto.randomUUID().slice(0, 6)}`;

export type LookupBody = PatientOrderView & Partial<Pick<Problem, "code" | "detail" | "requestId">>;

/** GET /order-status (or POST with the values in the body) from the given client address. */
export function lookUp(reference: string, check: string, opts: { client: string; method?: "GET" | "POST" }) {
  const headers = { "cf-connecting-ip": opts.client };
  if (opts.method === "POST") return api<LookupBody>("POST", "/order-status", { body: { reference, check }, headers });
  return api<LookupBody>("GET", `/order-status?reference=${encodeURIComponent(reference)}&check=${encodeURIComponent(check)}`, { headers });
}
