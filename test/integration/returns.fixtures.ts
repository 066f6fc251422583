import { env } from "cloudflare:workers";
import type { Problem } from "../../worker/errors/problem";
import type { ReturnResult } from "../../worker/pharmacy/desk/returns.schemas";
import { api, tokenFor } from "../support/api";
import { cloudPharmacist } from "./desk.fixtures";

/** Shared by the returns.*.test.ts files (not a test file itself). */

/**
 * A second desk pharmacy, added to one test file's D1: it delivers in the whole county
 * like the cloud pharmacy (which wins the first routing by id, both being desk pharmacies
 * of the same area), has no cold chain, and one pickup window at the 枫林村 clinic.
 */
export const SECOND = "pharm-second";
export const SECOND_SITE = "site-second-fenglin";

export async function addSecondPharmacy(): Promise<void> {
  await env.DB.batch([
    env.DB.prepare(
      "INSERT OR IGNORE INTO pharmacies (id, name, integration, endpoint_url, shared_secret, delivery_regions, capabilities, hours, created_at) VALUES (?, '青溪县第二药房', 'desk', NULL, NULL, '[\"青溪县\"]', '[\"delivery\",\"pickup\"]', '08:00-18:00', '2026-01-01T00:00:00.000Z')",
    ).bind(SECOND),
    env.DB.prepare("INSERT OR IGNORE INTO pharmacy_sites (id, pharmacy_id, institution_id, name, address) VALUES (?, ?, 'inst-fenglin', '枫林村卫生室取药点', '青溪县石门乡枫林村1号')").bind(SECOND_SITE, SECOND),
    env.DB.prepare("INSERT OR IGNORE INTO pharmacists (id, name, pharmacy_id, title, created_at) VALUES ('ph-second-1', '周敏', ?, 'pharmacist', '2026-01-01T00:00:00.000Z')").bind(SECOND),
  ]);
}

export const secondPharmacist = () => tokenFor("pharmacist", "ph-second-1", SECOND);

export type ReturnAnswer = ReturnResult & Partial<Pick<Problem, "code" | "detail" | "issues">>;

export async function returnOrder(orderId: string, body: unknown, token?: string) {
  return api<ReturnAnswer>("POST", `/orders/${orderId}/return`, { token: token ?? (await cloudPharmacist()), body });
}

export async function changeSite(orderId: string, body: unknown, token?: string) {
  return api<ReturnAnswer>("POST", `/orders/${orderId}/change-site`, { token: token ?? (await cloudPharmacist()), body });
}

export interface OrderState {
  pharmacyId: string;
  status: string;
  version: number;
  reroutes: number;
  returnedBy: string | null;
  returnReason: string | null;
  pendingSince: string | null;
  pickupSiteId: string | null;
  pickupCodeHash: string | null;
}

export async function orderState(orderId: string): Promise<OrderState | null> {
  return env.DB.prepare(
    "SELECT pharmacy_id AS pharmacyId, status, version, reroutes, returned_by AS returnedBy, return_reason AS returnReason, pending_since AS pendingSince, pickup_site_id AS pickupSiteId, pickup_code_hash AS pickupCodeHash FROM orders WHERE id = ?",
  )
    .bind(orderId)
    .first<OrderState>();
}

/** Puts an order in a state reached by other features (change requests, partial supply), for the return's own checks. */
export async function forceStatus(orderId: string, status: string, extra: { items?: unknown[] } = {}): Promise<void> {
  if (extra.items) await env.DB.prepare("UPDATE orders SET status = ?, items = ?, version = version + 1 WHERE id = ?").bind(status, JSON.stringify(extra.items), orderId).run();
  else await env.DB.prepare("UPDATE orders SET status = ?, version = version + 1 WHERE id = ?").bind(status, orderId).run();
}

export async function auditRows(orderId: string, action: string) {
  const rows = await env.DB.prepare("SELECT actor_id AS actorId, before, after FROM audit_events WHERE entity_type = 'order' AND entity_id = ? AND action = ? ORDER BY id")
    .bind(orderId, action)
    .all<{ actorId: string; before: string | null; after: string | null }>();
  return rows.results.map((r) => ({ actorId: r.actorId, before: r.before ? JSON.parse(r.before) : null, after: r.after ? JSON.parse(r.after) : null }));
}

export async function notificationsOf(orderId: string) {
  const rows = await env.DB.prepare("SELECT channel, template, recipient_id AS recipientId, params FROM notifications WHERE order_id = ? ORDER BY created_at, id")
    .bind(orderId)
    .all<{ channel: string; template: string; recipientId: string | null; params: string }>();
  return rows.results.map((r) => ({ ...r, params: JSON.parse(r.params) as Record<string, string> }));
}

/** The days of supply the prescription's items still count (end date − start date). */
export async function supplyDays(prescriptionId: string): Promise<number[]> {
  const rows = await env.DB.prepare("SELECT CAST(julianday(end_date) - julianday(start_date) AS INTEGER) AS days FROM prescription_items WHERE prescription_id = ? ORDER BY idx")
    .bind(prescriptionId)
    .all<{ days: number }>();
  return rows.results.map((r) => r.days);
}
