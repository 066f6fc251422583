/**
 * What D1 holds about a set of orders and prescriptions, read in one batch, and the
 * invariants every state must satisfy whatever commands led to it: legal steps only, the
 * timeline replays to the order's status, items and rounds, and no prescription item is
 * supplied or dispensed beyond what was prescribed.
 */
import { env } from "cloudflare:workers";
import type { OrderItem } from "../../../schema/orders";
import { type AuditStep, type DispensationRow, type EventRow, effectiveSupplied, type FulfilmentMode, type OrderStatus, replayAudit, replayOrder } from "./spec";

export interface OrderState {
  id: string;
  prescriptionId: string;
  pharmacyId: string;
  status: OrderStatus;
  mode: FulfilmentMode;
  items: OrderItem[];
  pickupSiteId: string | null;
  reroutes: number;
  readyAt: string | null;
  dispenseRounds: number;
  version: number;
}

export interface Snapshot {
  orders: Map<string, OrderState>;
  events: Map<string, EventRow[]>;
  dispensations: Map<string, DispensationRow[]>;
  audit: Map<string, AuditStep[]>;
  prescriptions: Map<string, { status: string; packages: number[] }>;
}

function group<T extends { key: string }>(rows: T[]): Map<string, Omit<T, "key">[]> {
  const out = new Map<string, Omit<T, "key">[]>();
  for (const { key, ...rest } of rows) out.set(key, [...(out.get(key) ?? []), rest]);
  return out;
}

/**
 * The orders (every one when `orderIds` is null) with their timelines and lots, and their
 * prescriptions and those of `rxIds` (one replaced keeps no order), in one batch.
 */
export async function readSnapshot(orderIds: string[] | null, rxIds: string[] = []): Promise<Snapshot> {
  const scope = orderIds ? "WHERE o.id IN (SELECT value FROM json_each(?1))" : "WHERE ?1 IS NOT NULL";
  const bind = (sql: string) => (sql.includes("?2") ? env.DB.prepare(sql).bind(JSON.stringify(orderIds ?? []), JSON.stringify(rxIds)) : env.DB.prepare(sql).bind(JSON.stringify(orderIds ?? [])));
  const [orders, events, lots, rxs, rxItems, audit] = await env.DB.batch([
    bind(
      `SELECT o.id, o.prescription_id AS prescriptionId, o.pharmacy_id AS pharmacyId, o.status, o.mode, o.items, o.pickup_site_id AS pickupSiteId, o.reroutes, o.ready_at AS readyAt, o.dispense_rounds AS dispenseRounds, o.version FROM orders o ${scope}`,
    ),
    bind(`SELECT e.order_id AS key, e.from_status AS fromStatus, e.to_status AS toStatus, e.source FROM order_events e JOIN orders o ON o.id = e.order_id ${scope} ORDER BY e.id`),
    bind(`SELECT d.order_id AS key, d.round, d.idx, d.packages FROM order_dispensations d JOIN orders o ON o.id = d.order_id ${scope} ORDER BY d.id`),
    bind(`SELECT p.id, p.status FROM prescriptions p WHERE p.id IN (SELECT o.prescription_id FROM orders o ${scope}) OR p.id IN (SELECT value FROM json_each(?2))`),
    bind(
      `SELECT i.prescription_id AS id, i.idx, i.packages FROM prescription_items i WHERE i.prescription_id IN (SELECT o.prescription_id FROM orders o ${scope}) OR i.prescription_id IN (SELECT value FROM json_each(?2)) ORDER BY i.idx`,
    ),
    // the order's own rows, and a prescription's cancellation naming the orders it cancelled (one row for all of them)
    bind(
      `SELECT o.id AS key, a.id AS seq, a.action, json_extract(a.before, '$.status') AS before, json_extract(a.after, '$.status') AS after
         FROM orders o JOIN audit_events a ON a.entity_type = 'order' AND a.entity_id = o.id ${scope}
       UNION ALL
       SELECT c.value AS key, a.id AS seq, a.action, NULL AS before, 'cancelled' AS after
         FROM audit_events a, json_each(a.after, '$.cancelledOrders') c
        WHERE a.entity_type = 'prescription' AND a.action IN ('prescription.cancel', 'prescription.replace') AND c.value IN (SELECT o.id FROM orders o ${scope})
       ORDER BY key, seq`,
    ),
  ]);
  const orderRows = (orders?.results ?? []) as (Omit<OrderState, "items"> & { items: string })[];
  const packages = new Map<string, number[]>();
  for (const r of (rxItems?.results ?? []) as { id: string; idx: number; packages: number }[]) {
    const list = packages.get(r.id) ?? [];
    list[r.idx] = r.packages;
    packages.set(r.id, list);
  }
  return {
    orders: new Map(orderRows.map((r) => [r.id, { ...r, items: JSON.parse(r.items) as OrderItem[] }])),
    events: group((events?.results ?? []) as (EventRow & { key: string })[]),
    dispensations: group((lots?.results ?? []) as (DispensationRow & { key: string })[]),
    audit: group((audit?.results ?? []) as (AuditStep & { key: string })[]),
    prescriptions: new Map(((rxs?.results ?? []) as { id: string; status: string }[]).map((r) => [r.id, { status: r.status, packages: packages.get(r.id) ?? [] }])),
  };
}

/** Every broken invariant of the snapshot, as readable lines (empty: all hold). */
export function invariantViolations(s: Snapshot): string[] {
  const out: string[] = [];
  const perRx = new Map<string, { supplied: number[]; dispensed: number[] }>();
  for (const o of s.orders.values()) {
    const replay = replayOrder(
      o.mode,
      o.items.map((i) => i.packages),
      s.events.get(o.id) ?? [],
      s.dispensations.get(o.id) ?? [],
    );
    for (const p of replay.problems) out.push(`${o.id}: ${p}`);
    if (replay.status !== o.status) out.push(`${o.id}: the timeline replays to ${replay.status}, the order is ${o.status}`);
    const created = (s.events.get(o.id) ?? [])[0]?.toStatus;
    const trail = created ? replayAudit(created, s.audit.get(o.id) ?? []) : null;
    for (const p of trail?.problems ?? []) out.push(`${o.id}: ${p}`);
    if (trail && trail.status !== o.status) out.push(`${o.id}: the audit trail replays to ${trail.status}, the order is ${o.status}`);
    if (replay.rounds !== o.dispenseRounds) out.push(`${o.id}: the timeline has ${replay.rounds} desk round(s), the order counts ${o.dispenseRounds}`);
    o.items.forEach((item, idx) => {
      const supplied = item.supplied ?? 0;
      const dispensed = item.dispensed ?? 0;
      const replayed = replay.items[idx];
      if (replayed && (replayed.supplied !== supplied || replayed.dispensed !== dispensed)) {
        out.push(`${o.id} item ${idx}: replayed supplied/dispensed ${replayed.supplied}/${replayed.dispensed}, stored ${supplied}/${dispensed}`);
      }
      if (supplied < 0 || dispensed < 0 || supplied + dispensed > item.packages) out.push(`${o.id} item ${idx}: supplied ${supplied} + dispensed ${dispensed} of ${item.packages}`);
      if (o.status === "picked_up" || o.status === "delivered") {
        if (o.dispenseRounds > 0 && supplied !== item.packages) out.push(`${o.id} item ${idx}: ${o.status} with ${supplied} of ${item.packages} supplied`);
      }
      const rx = perRx.get(o.prescriptionId) ?? { supplied: [], dispensed: [] };
      rx.supplied[idx] = (rx.supplied[idx] ?? 0) + effectiveSupplied(o.status, item.packages, supplied, o.dispenseRounds);
      rx.dispensed[idx] = (rx.dispensed[idx] ?? 0) + (s.dispensations.get(o.id) ?? []).filter((d) => d.idx === idx).reduce((n, d) => n + d.packages, 0);
      perRx.set(o.prescriptionId, rx);
    });
    if (o.status === "awaiting_stock" && o.items.every((i) => (i.supplied ?? 0) === i.packages)) out.push(`${o.id}: awaiting stock with nothing held`);
  }
  for (const [rxId, totals] of perRx) {
    const prescribed = s.prescriptions.get(rxId)?.packages ?? [];
    totals.supplied.forEach((n, idx) => {
      if (n > (prescribed[idx] ?? 0)) out.push(`${rxId} item ${idx}: ${n} package(s) supplied, ${prescribed[idx] ?? 0} prescribed`);
    });
    totals.dispensed.forEach((n, idx) => {
      if (n > (prescribed[idx] ?? 0)) out.push(`${rxId} item ${idx}: ${n} package(s) dispensed, ${prescribed[idx] ?? 0} prescribed`);
    });
  }
  return out;
}

/** What a refused command must leave as it was: every order's status, items, pharmacy, site, prescription and timeline, and every prescription's status. */
export function observable(s: Snapshot): string {
  const orders = [...s.orders.values()]
    .sort((a, b) => a.id.localeCompare(b.id))
    .map((o) => [o.id, o.status, o.pharmacyId, o.pickupSiteId, o.prescriptionId, JSON.stringify(o.items), o.dispenseRounds, (s.events.get(o.id) ?? []).length]);
  const rxs = [...s.prescriptions.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([id, rx]) => [id, rx.status]);
  return JSON.stringify({ orders, rxs });
}
