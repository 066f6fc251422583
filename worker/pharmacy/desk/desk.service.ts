import { auditStatement } from "../../audit/audit.repo";
import type { Ctx } from "../../context";
import { commitGuarded } from "../../db/guard";
import { ApiError } from "../../http/problem";
import { completePrescriptionWhenSupplied, prescriptionByOrderQuery } from "../../signing/signed-prescriptions.repo";
import { readSignedContent } from "../../signing/signed-content";
import { verifyPrescription } from "../../signing/verification";
import { sha256Hex } from "../../lib/encoding";
import { categoryOf, PATIENT_STATUS_TEXT, REVIEW_CATEGORIES, REVIEW_REASON_CODES, REVIEW_REASONS, type ReviewReasonCode } from "./desk.labels";
import type { DeskOrder, DeskOrderDetail, PatientOrderStatus, ReviewInput } from "./desk.schemas";
import type { OrderStatus } from "../orders/order-state";
import {
  insertNotification,
  listOrdersQuery,
  type OrderRow,
  orderEventsQuery,
  orderQuery,
  patientByOrderQuery,
  pharmacistQuery,
  siteOfOrderQuery,
  guardedOrderUpdate,
} from "../orders/orders.repo";
import { assertLegal, CHANGED_MEANWHILE, transitionOrder } from "../orders/transition";
import { authorize, type DeskCtx, loadForWrite } from "./desk.access";

export type { DeskCtx };
export const MAX_PICKUP_ATTEMPTS = 5;

/*
 * The pharmacy desk: pharmacists of a desk-integrated pharmacy work their own pharmacy's
 * orders (the token's org is the pharmacy id). Every status change goes through
 * transitionOrder. Nothing here ever approves by itself: review never passes by timeout
 * (处方审核规范), so no cron, default or fallback moves an order out of pending_review.
 *
 * Admins may read orders of every pharmacy (consortium pharmacy oversight and 处方点评
 * sampling need it; they read every prescription already) but never change them.
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
    items: o.items,
    carrier: o.carrier,
    trackingNo: o.trackingNo,
    rejectReason: o.rejectReason,
    rejectNote: o.rejectNote,
    pickupAttempts: o.pickupAttempts,
    pickupCodeValid: pickupCodeUsable(o),
    version: o.version,
    createdAt: o.createdAt,
    updatedAt: o.updatedAt,
  };
}

// ---------------------------------------------------------------------------------------
// Reads
// ---------------------------------------------------------------------------------------

export async function listDeskOrders(
  ctx: DeskCtx,
  q: { status?: OrderStatus; pharmacyId?: string; after?: { createdAt: string; id: string }; limit: number },
): Promise<OrderRow[]> {
  const page = { status: q.status, after: q.after, limit: q.limit + 1 };
  if (ctx.actor.role !== "pharmacist") return listOrdersQuery(ctx.db, { ...page, pharmacyId: q.pharmacyId });
  if (q.pharmacyId !== undefined && q.pharmacyId !== ctx.actor.org) throw new ApiError("forbidden", "a pharmacist sees only their own pharmacy's orders");
  // the registration check rides in the same round trip; its rows are dropped when it fails
  const [pharmacistRows, rows] = await ctx.db.batch([pharmacistQuery(ctx.db, ctx.actor.sub), listOrdersQuery(ctx.db, { ...page, pharmacyId: ctx.actor.org })]);
  if (pharmacistRows[0]?.pharmacyId !== ctx.actor.org) throw new ApiError("forbidden", `${ctx.actor.sub} is not a registered pharmacist of pharmacy ${ctx.actor.org}`);
  return rows;
}

/**
 * An order with what review needs: the signed content and its verification, the warnings
 * stored at signing, the patient's 前记 and the timeline. It shows patient data to pharmacy
 * staff, so the read leaves an audit row like every read of a patient's record.
 */
export async function getDeskOrder(ctx: DeskCtx, id: string): Promise<DeskOrderDetail> {
  const [pharmacistRows, orderRows, events, rxRows, patientRows, siteRows] = await ctx.db.batch([
    pharmacistQuery(ctx.db, ctx.actor.sub),
    orderQuery(ctx.db, id),
    orderEventsQuery(ctx.db, id),
    prescriptionByOrderQuery(ctx.db, id),
    patientByOrderQuery(ctx.db, id),
    siteOfOrderQuery(ctx.db, id),
  ]);
  const order = authorize(ctx, id, { pharmacist: pharmacistRows[0], order: orderRows[0] }, "read");
  const rx = rxRows[0];
  if (!rx) throw new ApiError("internal-error", `order ${id} has no prescription`);
  await auditStatement(ctx, { action: "order.read", entityType: "order", entityId: id, after: { prescriptionId: rx.id, patientId: order.patientId } });
  return {
    ...toDeskOrder(order),
    pickupSite: siteRows[0] ?? null,
    patient: patientRows[0] ?? null,
    prescription: {
      id: rx.id,
      status: rx.status,
      kind: rx.kind,
      writtenAt: rx.writtenAt,
      prescriberId: rx.prescriberId,
      institutionId: rx.institutionId,
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

// ---------------------------------------------------------------------------------------
// Review and dispensing
// ---------------------------------------------------------------------------------------

/**
 * 处方审核: approve, or reject with a 处方点评 reason that goes back to the doctor. An
 * approval also checks that the prescription still verifies: a pharmacy must not dispense
 * content that changed after signing.
 */
export async function reviewOrder(ctx: DeskCtx, id: string, input: ReviewInput): Promise<OrderRow> {
  const { order } = await loadForWrite(ctx, id, "licensed");
  const action = input.decision === "approve" ? "approve" : "reject";
  assertLegal(order, action);
  if (action === "approve") {
    const [rx] = await prescriptionByOrderQuery(ctx.db, id);
    const check = rx ? await verifyPrescription(ctx.signer, rx) : null;
    if (!check?.contentHashValid || !check.signatureValid) {
      throw new ApiError("unprocessable", "the prescription's content hash or signature does not verify; reject it (non_standard.signature) instead");
    }
    return transitionOrder(ctx, order, "approve", { source: "desk", note: input.note ?? null });
  }
  const reasonCode = input.reasonCode as ReviewReasonCode;
  return transitionOrder(ctx, order, "reject", {
    source: "desk",
    note: input.note ? `${reasonCode}: ${input.note}` : reasonCode,
    changes: { rejectReason: reasonCode, rejectNote: input.note ?? null },
  });
}

export async function dispenseOrder(ctx: DeskCtx, id: string): Promise<OrderRow> {
  const { order } = await loadForWrite(ctx, id, "write");
  return transitionOrder(ctx, order, "dispense", { source: "desk" });
}

// ---------------------------------------------------------------------------------------
// Pickup: a 6-digit code, stored only as its salted hash, proves the patient is at the window
// ---------------------------------------------------------------------------------------

/** Uniform 6 digits: rejection sampling, since 2^32 is not a multiple of 10^6. */
function newPickupCode(): string {
  const limit = 2 ** 32 - (2 ** 32 % 1_000_000);
  for (;;) {
    const [n = limit] = crypto.getRandomValues(new Uint32Array(1));
    if (n < limit) return String(n % 1_000_000).padStart(6, "0");
  }
}

/** Salted with the order id: equal codes of two orders hash differently, and a table of 10^6 hashes serves one order only. */
function pickupCodeHash(orderId: string, code: string): Promise<string> {
  return sha256Hex(`${orderId}:${code}`);
}

function pickupCodeUsable(o: Pick<OrderRow, "pickupCodeHash" | "pickupAttempts">): boolean {
  return o.pickupCodeHash !== null && o.pickupAttempts < MAX_PICKUP_ATTEMPTS;
}

/** Compares in constant time: digests have equal length whatever the inputs, so timing tells nothing. */
export async function sameSecret(a: string, b: string): Promise<boolean> {
  const enc = new TextEncoder();
  const [da, db] = await Promise.all([crypto.subtle.digest("SHA-256", enc.encode(a)), crypto.subtle.digest("SHA-256", enc.encode(b))]);
  return crypto.subtle.timingSafeEqual(da, db);
}

function pickupNotice(code: string, site: { name: string } | null): Record<string, string> {
  return { pickupCode: code, ...(site ? { siteName: site.name } : {}) };
}

export async function readyOrder(ctx: DeskCtx, id: string): Promise<{ order: OrderRow; pickupCode: string }> {
  const { order, site } = await loadForWrite(ctx, id, "write");
  assertLegal(order, "ready");
  const code = newPickupCode();
  const next = await transitionOrder(ctx, order, "ready", {
    source: "desk",
    // readyAt: the uncollected expiry (scheduled.ts) counts from here
    changes: { pickupCodeHash: await pickupCodeHash(order.id, code), pickupAttempts: 0, readyAt: ctx.now.toISOString() },
    notify: pickupNotice(code, site),
  });
  return { order: next, pickupCode: code };
}

/**
 * A new code once the old one is void (too many wrong attempts) or lost: hash, counter and
 * the patient's SMS in one versioned batch. Not a status change, so no timeline event; the
 * audit row records who reissued it.
 */
export async function reissuePickupCode(ctx: DeskCtx, id: string): Promise<{ order: OrderRow; pickupCode: string }> {
  const { order, site } = await loadForWrite(ctx, id, "write");
  if (order.status !== "ready_for_pickup") throw new ApiError("conflict", `a pickup code is issued only for an order that is ready_for_pickup, not ${order.status}`);
  const code = newPickupCode();
  const at = ctx.now.toISOString();
  const changes: Partial<OrderRow> = { pickupCodeHash: await pickupCodeHash(order.id, code), pickupAttempts: 0, updatedAt: at };
  await commitGuarded(
    ctx.db,
    [
      ...guardedOrderUpdate(ctx.db, order, changes),
      insertNotification(ctx.db, {
        // one SMS per issued code: the version makes the id unique
        id: `ntf_${order.id}_pickup_code_v${order.version + 1}`,
        orderId: order.id,
        patientId: order.patientId,
        channel: "sms",
        template: "order-ready-for-pickup",
        params: { reference: order.reference, orderId: order.id, reissued: "true", ...pickupNotice(code, site) },
        state: "pending",
        createdAt: at,
        sentAt: null,
      }),
      auditStatement(ctx, { action: "order.pickup_code.reissue", entityType: "order", entityId: order.id, before: { version: order.version, pickupAttempts: order.pickupAttempts }, after: { version: order.version + 1 } }),
    ],
    CHANGED_MEANWHILE,
  );
  return { order: { ...order, ...changes, version: order.version + 1 }, pickupCode: code };
}


/**
 * Hand-over at the window: the right code moves the order to picked_up. A wrong one is
 * counted with a versioned update (parallel guesses cannot each get a free try: all but one
 * lose the race and learn nothing); the fifth voids the code until it is reissued.
 */
export async function handOverOrder(ctx: DeskCtx, id: string, pickupCode: string): Promise<OrderRow> {
  const { order } = await loadForWrite(ctx, id, "licensed");
  assertLegal(order, "handover");
  if (!pickupCodeUsable(order)) throw tooManyAttempts();
  const candidate = await pickupCodeHash(order.id, pickupCode);
  if (await sameSecret(candidate, order.pickupCodeHash ?? "")) {
    return transitionOrder(ctx, order, "handover", {
      source: "desk",
      changes: { pickupCodeHash: null },
      also: [completePrescriptionWhenSupplied(ctx.db, order.prescriptionId)],
    });
  }
  const attempts = order.pickupAttempts + 1;
  const voided = attempts >= MAX_PICKUP_ATTEMPTS;
  await commitGuarded(
    ctx.db,
    [
      ...guardedOrderUpdate(ctx.db, order, { pickupAttempts: attempts, ...(voided ? { pickupCodeHash: null } : {}), updatedAt: ctx.now.toISOString() }),
      auditStatement(ctx, { action: "order.pickup_code.wrong", entityType: "order", entityId: order.id, before: { pickupAttempts: order.pickupAttempts }, after: { pickupAttempts: attempts, voided } }),
    ],
    CHANGED_MEANWHILE,
  );
  if (voided) throw tooManyAttempts();
  throw new ApiError("conflict", `wrong pickup code; ${MAX_PICKUP_ATTEMPTS - attempts} attempt(s) left before it is void`, [
    { path: "pickupCode", message: "does not match the code sent to the patient" },
  ]);
}

function tooManyAttempts(): ApiError {
  return new ApiError("too-many-attempts", `the pickup code is void after ${MAX_PICKUP_ATTEMPTS} wrong attempts; reissue it (POST /orders/{id}/reissue-pickup-code)`);
}

// ---------------------------------------------------------------------------------------
// Delivery and cancellation
// ---------------------------------------------------------------------------------------

export async function shipOrder(ctx: DeskCtx, id: string, input: { carrier: string; trackingNo: string }): Promise<OrderRow> {
  const { order } = await loadForWrite(ctx, id, "write");
  return transitionOrder(ctx, order, "ship", {
    source: "desk",
    note: `${input.carrier} ${input.trackingNo}`,
    changes: { carrier: input.carrier, trackingNo: input.trackingNo },
    notify: { carrier: input.carrier, trackingNo: input.trackingNo },
  });
}

export async function deliverOrder(ctx: DeskCtx, id: string): Promise<OrderRow> {
  const { order } = await loadForWrite(ctx, id, "write");
  return transitionOrder(ctx, order, "deliver", { source: "desk", also: [completePrescriptionWhenSupplied(ctx.db, order.prescriptionId)] });
}

/** Pharmacy-side cancellation before hand-over (out of stock, patient unreachable…); a ready order's pickup code dies with it. */
export async function cancelDeskOrder(ctx: DeskCtx, id: string, reason: string): Promise<OrderRow> {
  const { order } = await loadForWrite(ctx, id, "write");
  return transitionOrder(ctx, order, "cancel", { source: "desk", note: reason, changes: { pickupCodeHash: null } });
}

// ---------------------------------------------------------------------------------------
// Patient-facing status, without login
// ---------------------------------------------------------------------------------------

/**
 * The order id and its reference together are the credential. A missing order and a wrong
 * code answer the same 404 after the same work (a constant-time compare either way), so the
 * route neither confirms that an order exists nor lets a guess be timed.
 */
export async function patientOrderStatus(ctx: Pick<Ctx, "db">, id: string, code: string | undefined): Promise<PatientOrderStatus> {
  const [orderRows, siteRows] = await ctx.db.batch([orderQuery(ctx.db, id), siteOfOrderQuery(ctx.db, id)]);
  const order = orderRows[0];
  const matches = await sameSecret(code ?? "", order?.reference ?? crypto.randomUUID());
  if (!order || !code || !matches) throw new ApiError("not-found", "no order with this id and code");
  const status = order.status;
  const site = siteRows[0];
  return {
    status,
    statusText: PATIENT_STATUS_TEXT[status],
    updatedAt: order.updatedAt,
    mode: order.mode,
    ...(order.mode === "pickup" && site ? { pickupSite: { name: site.name, address: site.address } } : {}),
    ...(order.carrier ? { carrier: order.carrier } : {}),
    ...(order.trackingNo ? { trackingNo: order.trackingNo } : {}),
  };
}
