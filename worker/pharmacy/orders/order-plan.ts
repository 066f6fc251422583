import { newId, randomToken } from "../../lib/ids";
import { addDays } from "../../lib/clock";
import type { OrderEventRow, OrderRow, OutboxRow } from "./orders.repo";
import { planInstalments, type RoutablePharmacy } from "./routing";

export const DEFAULT_LEAD_DAYS = 7;

export function newOrderId(now: Date): string {
  return newId("ord", now);
}

export interface PlannedItem {
  drugCode: string;
  genericName: string;
  packages: number;
  storage?: string;
}

/** Splits packages over instalments by cumulative supply days, so they always add up. */
export function splitPackages(items: PlannedItem[], plan: { days: number }[]): PlannedItem[][] {
  const total = plan.reduce((s, p) => s + p.days, 0);
  let covered = 0;
  return plan.map((p) => {
    const before = covered;
    covered += p.days;
    return items.map((item) => ({
      ...item,
      packages: Math.ceil((item.packages * covered) / total) - Math.ceil((item.packages * before) / total),
    }));
  });
}

export interface OrderPlanInput {
  prescriptionId: string;
  patientId: string;
  institutionId: string;
  startDate: string;
  days: number;
  instalments: number;
  leadDays: number;
  fulfilment: { mode: "pickup" | "delivery"; pickupSiteId?: string; address?: { region: string; line: string; phone: string } };
  items: PlannedItem[];
  pharmacy: RoutablePharmacy;
  actor: { id: string; role: string };
  now: Date;
  /** the signed prescription as sent to an external pharmacy */
  signed: { contentHash: string; signature: string; signatureKeyId: string; content: unknown };
}

export interface OrderPlan {
  orders: OrderRow[];
  events: OrderEventRow[];
  outbox: OutboxRow[];
}

/** The orders (one per instalment), their first events and, for an external pharmacy, the outbox rows of released ones. */
export function planOrders(input: OrderPlanInput): OrderPlan {
  const at = input.now.toISOString();
  const plan = planInstalments(input.startDate, input.days, input.instalments, input.leadDays, addDays);
  const itemsByInstalment = splitPackages(input.items, plan);
  const out: OrderPlan = { orders: [], events: [], outbox: [] };
  plan.forEach((p, i) => {
    const released = p.releaseOn <= input.startDate;
    const order: OrderRow = {
      id: newOrderId(input.now),
      prescriptionId: input.prescriptionId,
      pharmacyId: input.pharmacy.id,
      patientId: input.patientId,
      institutionId: input.institutionId,
      instalment: p.instalment,
      instalments: plan.length,
      days: p.days,
      supplyFrom: p.supplyFrom,
      releaseOn: p.releaseOn,
      mode: input.fulfilment.mode,
      pickupSiteId: input.fulfilment.pickupSiteId ?? null,
      address: input.fulfilment.address ?? null,
      items: itemsByInstalment[i] ?? [],
      status: released ? "pending_review" : "scheduled",
      reference: randomToken(10),
      pickupCodeHash: null,
      pickupAttempts: 0,
      pickupAttemptsTotal: 0,
      pickupCodeReissues: 0,
      carrier: null,
      trackingNo: null,
      rejectReason: null,
      rejectNote: null,
      pendingSince: released ? at : null,
      readyAt: null,
      reroutes: 0,
      returnedBy: null,
      returnReason: null,
      dispenseRounds: 0,
      version: 1,
      createdAt: at,
      updatedAt: at,
    };
    out.orders.push(order);
    out.events.push({ orderId: order.id, at, fromStatus: null, toStatus: order.status, actorId: input.actor.id, actorRole: input.actor.role, source: "doctor", note: null });
    if (released && input.pharmacy.integration === "external") out.outbox.push(orderCreatedMessage(order, input.signed, at));
  });
  return out;
}

/** An outbox row for one message about an order; its id is also the Idempotency-Key the pharmacy dedupes on. */
function outboxMessage(order: OrderRow, kind: "created" | "cancelled", payload: Record<string, unknown>, at: string): OutboxRow {
  const id = `obx_${order.id}_${kind}`;
  return {
    id,
    orderId: order.id,
    pharmacyId: order.pharmacyId,
    kind: `order.${kind}`,
    payload: JSON.stringify({ type: `order.${kind}`, orderId: order.id, reference: order.reference, ...payload }),
    idempotencyKey: id,
    state: "pending",
    attempts: 0,
    nextAttemptAt: at,
    lastError: null,
    createdAt: at,
    deliveredAt: null,
  };
}

export function orderCreatedMessage(order: OrderRow, signed: OrderPlanInput["signed"], at: string): OutboxRow {
  return outboxMessage(
    order,
    "created",
    {
      instalment: order.instalment,
      instalments: order.instalments,
      supplyFrom: order.supplyFrom,
      days: order.days,
      fulfilment: { mode: order.mode, pickupSiteId: order.pickupSiteId, address: order.address },
      items: order.items,
      prescription: { id: order.prescriptionId, ...signed },
    },
    at,
  );
}

export function orderCancelledMessage(order: OrderRow, reason: string, at: string): OutboxRow {
  return outboxMessage(order, "cancelled", { reason }, at);
}
