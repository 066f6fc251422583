/**
 * The pharmacy's one entry point for the doctor's side (prescriptions/): how a signed
 * prescription becomes orders, how its orders are shown, and how they are cancelled with
 * it. Nothing outside pharmacy/ reaches into its subfolders.
 */
import { sql } from "drizzle-orm";
import type { Db } from "../db/index";
import { failIf } from "../db/guard";
import type { OutboxMessage } from "../env";
import { addDays } from "../lib/clock";
import { enqueueOutbox } from "./outbox/enqueue";
import { orderCancelledMessage, planOrders, type OrderPlanInput } from "./orders/order-plan";
import { DISPENSED_STATUSES, OPEN_STATUSES } from "./orders/order-state";
import { guardedOrderUpdate, insertOrder, insertOrderEvent, insertOutbox, type OrderRow, ordersOfPrescriptionQuery, pharmaciesQuery, siteQuery } from "./orders/orders.repo";
import { type RoutablePharmacy, type RoutableSite, routeOrder } from "./orders/routing";

export { DEFAULT_LEAD_DAYS } from "./orders/order-plan";
/** The order statuses the prescribing doctor gets an inbox notice about, with its template (the doctor's inbox reads them). */
export { DOCTOR_TEMPLATES } from "./notifications/notifications";
export { orderSummary, type OrderSummary } from "./orders/order-view";
export type { OrderRow } from "./orders/orders.repo";
export type { RoutablePharmacy, RoutableSite };

/**
 * The pharmacies and the one pickup site routing chooses from (a delivery needs no site), not
 * every window of the consortium; read in the caller's batch.
 */
export function routingQueries(db: Db, route: { pickupSiteId?: string }) {
  // (a delivery looks up the site "", which matches nothing)
  return [pharmaciesQuery(db), siteQuery(db, route.pickupSiteId ?? "")] as const;
}

export function ordersOfPrescription(db: Db, prescriptionId: string) {
  return ordersOfPrescriptionQuery(db, prescriptionId);
}

export interface FulfilmentRequest extends Omit<OrderPlanInput, "pharmacy" | "items"> {
  items: (OrderPlanInput["items"][number] & { storage: string })[];
}

export type FulfilmentPlan =
  | { ok: false; reasons: string[] }
  | { ok: true; pharmacyId: string; orders: OrderRow[]; statements: (db: Db) => BatchQuery[]; outboxIds: string[] };

type BatchQuery = ReturnType<typeof insertOrder> | ReturnType<typeof insertOrderEvent> | ReturnType<typeof insertOutbox>;

/**
 * Routes the prescription (pickup: the site's pharmacy; delivery: the most local eligible
 * one) and plans its orders, one per instalment. The statements go into the signing batch;
 * `dispatch` sends the outbox rows once that batch has committed.
 */
export function planFulfilment(req: FulfilmentRequest, routing: { pharmacies: RoutablePharmacy[]; sites: RoutableSite[] }): FulfilmentPlan {
  const route = routeOrder(
    { mode: req.fulfilment.mode, pickupSiteId: req.fulfilment.pickupSiteId, region: req.fulfilment.address?.region, storages: req.items.map((i) => i.storage) },
    routing.pharmacies,
    routing.sites,
  );
  if (!route.ok) return { ok: false, reasons: route.reasons };
  const plan = planOrders({ ...req, pharmacy: route.pharmacy });
  return {
    ok: true,
    pharmacyId: route.pharmacy.id,
    orders: plan.orders,
    statements: (db) => [...plan.orders.map((o) => insertOrder(db, o)), ...plan.events.map((e) => insertOrderEvent(db, e)), ...plan.outbox.map((o) => insertOutbox(db, o))],
    outboxIds: plan.outbox.map((o) => o.id),
  };
}

/** Sends committed outbox rows to the queue (a failure loses nothing: the cron sweep resends). */
export function dispatch(queue: Queue<OutboxMessage>, outboxIds: string[]): Promise<void> {
  return enqueueOutbox(queue, outboxIds);
}

/** Has any order of the prescription left the shelf? Then the doctor can no longer cancel it. */
export function anyDispensed(orders: OrderRow[]): boolean {
  return orders.some((o) => DISPENSED_STATUSES.includes(o.status));
}

/**
 * The statements that cancel a prescription's open orders with it (each versioned and
 * guarded, with its timeline event), a guard that none reached dispensing meanwhile, and
 * the cancellation messages for external pharmacies.
 */
export function planCancellation(
  db: Db,
  p: { prescriptionId: string; orders: OrderRow[]; externalPharmacyIds: Set<string>; reason: string; actor: { sub: string; role: string }; at: string },
) {
  const open = p.orders.filter((o) => OPEN_STATUSES.includes(o.status));
  const outbox = open.filter((o) => p.externalPharmacyIds.has(o.pharmacyId) && o.status !== "scheduled").map((o) => orderCancelledMessage(o, p.reason, p.at));
  const statements = [
    failIf(db, sql`EXISTS (SELECT 1 FROM orders WHERE prescription_id = ${p.prescriptionId} AND status IN (SELECT value FROM json_each(${JSON.stringify(DISPENSED_STATUSES)})))`),
    ...open.flatMap((o) => [
      ...guardedOrderUpdate(db, o, { status: "cancelled", updatedAt: p.at }),
      insertOrderEvent(db, { orderId: o.id, at: p.at, fromStatus: o.status, toStatus: "cancelled", actorId: p.actor.sub, actorRole: p.actor.role, source: "doctor", note: p.reason }),
    ]),
    ...outbox.map((o) => insertOutbox(db, o)),
  ];
  return { statements, outboxIds: outbox.map((o) => o.id), cancelled: open.map((o) => o.id) };
}

export function externalPharmacyIds(pharmacies: { id: string; integration: string }[]): Set<string> {
  return new Set(pharmacies.filter((p) => p.integration === "external").map((p) => p.id));
}

export function allPharmacies(db: Db) {
  return pharmaciesQuery(db);
}

/** First day an item's supply no longer covers (the prescription's supply lines). */
export function supplyEnd(startDate: string, days: number): string {
  return addDays(startDate, days);
}

// ---------------------------------------------------------------------------------------
// Change requests: the pharmacy proposes, the prescribing doctor decides (prescriptions/
// change-requests.service.ts). The doctor's side reads and closes them through here.
// ---------------------------------------------------------------------------------------

export { type Acceptance, acceptanceStatements, closingStatements } from "./orders/change-request-decisions";
export { ChangeRequest, type ChangeProposal, readProposal, toChangeRequest } from "./orders/change-request-view";
export {
  type ChangeRequestRow,
  changeRequestQuery,
  changeRequestsOfPrescription,
  declineOpenChangeRequests,
  listChangeRequestsQuery,
  orderOfChangeRequestQuery,
  ordersOfChangeRequestQuery,
} from "./orders/change-requests.repo";
