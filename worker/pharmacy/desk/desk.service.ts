import { auditStatement } from "../../audit/audit.repo";
import { ApiError } from "../../errors/problem";
import { chinaDate } from "../../lib/clock";
import { maskName } from "../../members/patient-view";
import { ageText, chinaDateOf } from "../../rules";
import { prescriptionWithNamesByOrderQuery } from "../../signing/signed-prescriptions.repo";
import { readSignedContent } from "../../signing/signed-content";
import { verifyPrescription } from "../../signing/verification";
import { ORDER_STATUSES, type OrderStatus, WORK_STATUSES } from "../orders/order-state";
import { type OrderRow, orderEventsQuery, orderQuery, patientByOrderQuery, pharmacistQuery, siteOfOrderQuery } from "../orders/orders.repo";
import { authorize, type DeskCtx } from "./desk.access";
import { categoryOf, REVIEW_CATEGORIES, REVIEW_REASON_CODES, REVIEW_REASONS } from "./desk.labels";
import {
  activeSupplyByOrderQuery,
  allergiesByOrderQuery,
  dispensationsOfOrderQuery,
  type QueueFilter,
  queueCountsQuery,
  queueQuery,
  scheduleByOrderQuery,
} from "./desk.repo";
import type { DeskOrder, DeskOrderDetail, OrderCounts, QueueOrder } from "./desk.schemas";
import { pickupCodeUsable } from "./pickup-code";
import { reviewDue, reviewTargetOf, reviewTargetQuery } from "./review-target";
import { isPartial, itemProgress } from "./supply";

export type { DeskCtx };

/*
 * The pharmacy desk's reads: the work queue, its counts and an order's page. Pharmacists of
 * a pharmacy read their own pharmacy's orders (the token's org is the pharmacy id); admins
 * read every pharmacy's (consortium oversight and 处方点评 sampling) but never change them.
 * The desk's writes are one module per step: review.service, dispense.service,
 * pickup.service, delivery.service, cancel.service. Nothing here ever approves by itself:
 * review never passes by timeout (处方审核规范), so no cron, default or fallback moves an
 * order out of pending_review; the review target is shown, not enforced.
 */

export function toDeskOrder(o: OrderRow): DeskOrder {
  return {
    id: o.id,
    prescriptionId: o.prescriptionId,
    pharmacyId: o.pharmacyId,
    patientId: o.patientId,
    reference: o.reference,
    status: o.status,
    mode: o.mode,
    instalment: o.instalment,
    instalments: o.instalments,
    supplyFrom: o.supplyFrom,
    days: o.days,
    releaseOn: o.releaseOn,
    pickupSiteId: o.pickupSiteId,
    address: o.address,
    items: o.items.map((item) => ({ drugCode: item.drugCode, genericName: item.genericName, ...itemProgress(item, o) })),
    partial: isPartial(o.items, o),
    dispenseRounds: o.dispenseRounds,
    carrier: o.carrier,
    trackingNo: o.trackingNo,
    rejectReason: o.rejectReason,
    rejectNote: o.rejectNote,
    pickupAttempts: o.pickupAttempts,
    pickupAttemptsTotal: o.pickupAttemptsTotal,
    pickupCodeReissues: o.pickupCodeReissues,
    pickupCodeValid: pickupCodeUsable(o),
    pendingSince: o.pendingSince,
    readyAt: o.readyAt,
    version: o.version,
    createdAt: o.createdAt,
    updatedAt: o.updatedAt,
  };
}

function notRegistered(ctx: DeskCtx): ApiError {
  return new ApiError("forbidden", `${ctx.actor.sub} is not a registered pharmacist of pharmacy ${ctx.actor.org}`);
}

/**
 * Whose orders the caller lists: a pharmacist their own pharmacy's (asking for another's is
 * a 403), an admin every pharmacy's or the one asked for.
 */
function scopeOf(ctx: DeskCtx, pharmacyId: string | undefined): string | undefined {
  if (ctx.actor.role !== "pharmacist") return pharmacyId;
  if (pharmacyId !== undefined && pharmacyId !== ctx.actor.org) throw new ApiError("forbidden", "a pharmacist sees only their own pharmacy's orders");
  return ctx.actor.org;
}

// ---------------------------------------------------------------------------------------
// The queue
// ---------------------------------------------------------------------------------------

const WORK: readonly OrderStatus[] = WORK_STATUSES;

export interface QueueQuery extends QueueFilter {
  /** the patient at the window (desk.repo.ts patientAtWindow) */
  q?: string;
  /** undefined: the desk's open work (WORK_STATUSES) */
  statuses?: readonly OrderStatus[];
  after?: { createdAt: string; id: string };
  limit: number;
}

/**
 * A page of the queue, oldest first (limit + 1 rows: the route tells from the extra one
 * whether another page exists), each with its review due time. One round trip: the
 * registration check and the review target ride in the same batch.
 */
export async function listDeskOrders(ctx: DeskCtx, q: QueueQuery): Promise<QueueOrder[]> {
  const pharmacyId = scopeOf(ctx, q.pharmacyId);
  // full-width letters and digits from a Chinese input method match like ASCII ones (as the patient search does)
  const query = queueQuery(ctx.db, { ...q, q: q.q?.normalize("NFKC"), pharmacyId, statuses: q.statuses ?? WORK, limit: q.limit + 1 });
  const [registration, target, rows] = await ctx.db.batch([pharmacistQuery(ctx.db, ctx.actor.sub), reviewTargetQuery(ctx.db), query]);
  if (ctx.actor.role === "pharmacist" && registration[0]?.pharmacyId !== ctx.actor.org) throw notRegistered(ctx);
  const minutes = reviewTargetOf(target);
  return rows.map(({ order, patientName }) => ({ ...toDeskOrder(order), ...reviewDue(order, minutes, ctx.now), patientMaskedName: maskName(patientName) }));
}

/** Orders per status (every status present, 0 when none) and per status, site and mode, under the queue's filters. One round trip. */
export async function countDeskOrders(ctx: DeskCtx, f: QueueFilter): Promise<OrderCounts> {
  const pharmacyId = scopeOf(ctx, f.pharmacyId);
  const [registration, groups] = await ctx.db.batch([pharmacistQuery(ctx.db, ctx.actor.sub), queueCountsQuery(ctx.db, { ...f, pharmacyId })]);
  if (ctx.actor.role === "pharmacist" && registration[0]?.pharmacyId !== ctx.actor.org) throw notRegistered(ctx);
  // fromEntries cannot type its keys: every status is in ORDER_STATUSES
  const byStatus = Object.fromEntries(ORDER_STATUSES.map((s) => [s, 0])) as Record<OrderStatus, number>;
  for (const g of groups) byStatus[g.status] += g.count;
  return { byStatus, groups };
}

// ---------------------------------------------------------------------------------------
// An order's page
// ---------------------------------------------------------------------------------------

/**
 * An order with what review and the window need: the signed content and its verification,
 * the warnings stored at signing, the patient's 前记, allergies and active supply across the
 * consortium, the instalment schedule, the lots dispensed and the timeline. One round trip
 * for all of it; it shows patient data to pharmacy staff, so the read then leaves an audit
 * row like every read of a patient's record.
 */
export async function getDeskOrder(ctx: DeskCtx, id: string): Promise<DeskOrderDetail> {
  const [pharmacistRows, orderRows, events, rxRows, patientRows, siteRows, allergies, supply, schedule, dispensations, target] = await ctx.db.batch([
    pharmacistQuery(ctx.db, ctx.actor.sub),
    orderQuery(ctx.db, id),
    orderEventsQuery(ctx.db, id),
    prescriptionWithNamesByOrderQuery(ctx.db, id),
    patientByOrderQuery(ctx.db, id),
    siteOfOrderQuery(ctx.db, id),
    allergiesByOrderQuery(ctx.db, id),
    activeSupplyByOrderQuery(ctx.db, id, chinaDate(ctx.now)),
    scheduleByOrderQuery(ctx.db, id),
    dispensationsOfOrderQuery(ctx.db, id),
    reviewTargetQuery(ctx.db),
  ]);
  const order = authorize(ctx, id, { pharmacist: pharmacistRows[0], order: orderRows[0] }, "read");
  const rx = rxRows[0];
  if (!rx) throw new ApiError("internal-error", `order ${id} has no prescription`);
  const patient = patientRows[0];
  await auditStatement(ctx, { action: "order.read", entityType: "order", entityId: id, after: { prescriptionId: rx.id, patientId: order.patientId } });
  return {
    ...toDeskOrder(order),
    ...reviewDue(order, reviewTargetOf(target), ctx.now),
    pickupSite: siteRows[0] ?? null,
    patient: patient ? { ...patient, age: ageText(patient.birthDate, chinaDateOf(rx.writtenAt)) } : null,
    allergies,
    activeSupply: supply.map((line) => ({ ...line, thisPrescription: line.prescriptionId === rx.id })),
    schedule: schedule.map((s) => ({ id: s.id, current: s.id === order.id, instalment: s.instalment, status: s.status, supplyFrom: s.supplyFrom, days: s.days, releaseOn: s.releaseOn })),
    dispensations,
    prescription: {
      id: rx.id,
      status: rx.status,
      kind: rx.kind,
      writtenAt: rx.writtenAt,
      prescriberId: rx.prescriberId,
      prescriberName: rx.prescriberName,
      institutionId: rx.institutionId,
      institutionName: rx.institutionName,
      days: rx.days,
      formularyVersion: rx.formularyVersion,
      contentHash: rx.contentHash,
      cancelReason: rx.cancelReason,
      verification: await verifyPrescription(ctx.signer, rx),
      content: readSignedContent(rx.content),
    },
    findings: rx.findings as DeskOrderDetail["findings"],
    timeline: events.map((e) => ({
      at: e.at,
      fromStatus: e.fromStatus,
      toStatus: e.toStatus,
      actorId: e.actorId,
      actorName: e.actorName,
      actorRole: e.actorRole,
      source: e.source,
      note: e.note,
    })),
  };
}

export function reviewReasons() {
  return {
    categories: (Object.keys(REVIEW_CATEGORIES) as (keyof typeof REVIEW_CATEGORIES)[]).map((code) => ({
      code,
      label: REVIEW_CATEGORIES[code],
      reasons: REVIEW_REASON_CODES.filter((r) => categoryOf(r) === code).map((r) => ({ code: r, label: REVIEW_REASONS[r] })),
    })),
  };
}
