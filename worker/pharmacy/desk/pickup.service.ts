import { auditStatement } from "../../audit/audit.repo";
import { commitGuarded } from "../../db/guard";
import { ApiError } from "../../errors/problem";
import type { RateRule } from "../../http/rate-limit";
import { completePrescriptionWhenSupplied } from "../../signing/signed-prescriptions.repo";
import { notificationsFor } from "../notifications/notifications";
import { guardedOrderUpdate, insertNotification, type OrderRow } from "../orders/orders.repo";
import { assertLegal, CHANGED_MEANWHILE, transitionOrder } from "../orders/transition";
import { type DeskCtx, loadForWrite } from "./desk.access";
import { newPickupCode, pickupCodeHash, pickupCodeUsable, sameSecret } from "./pickup-code";
import { MAX_PICKUP_ATTEMPTS, MAX_PICKUP_CODE_REISSUES } from "./pickup-limits";
import { handOverRound, roundKey } from "./supply";

/*
 * Pickup at the window. The 6-digit code reaches the patient only: it is written into the
 * patient's SMS in the same batch that stores its salted hash, and no answer of these
 * functions carries it (staff check it, never see it).
 *
 * Attempts stay counted: a code is void after MAX_PICKUP_ATTEMPTS wrong tries since its
 * issue; a licensed pharmacist may reissue one (with a reason, audited) at most
 * MAX_PICKUP_CODE_REISSUES times per order, and the order's lifetime count of wrong tries
 * (pickupAttemptsTotal) is never reset. So one order allows at most
 * (1 + MAX_PICKUP_CODE_REISSUES) × MAX_PICKUP_ATTEMPTS guesses; past that the patient is
 * seen in person (the order may be cancelled and re-prescribed).
 */

function pickupNotice(code: string, site: { name: string } | null): Record<string, string> {
  return { pickupCode: code, ...(site ? { siteName: site.name } : {}) };
}

/** Ready at the window: a new code for this round, by SMS only (a restock round's SMS is a new row). */
export async function readyOrder(ctx: DeskCtx, id: string): Promise<OrderRow> {
  const { order, site } = await loadForWrite(ctx, id, "write");
  assertLegal(order, "ready");
  const code = newPickupCode();
  return transitionOrder(ctx, order, "ready", {
    source: "desk",
    changes: { pickupCodeHash: await pickupCodeHash(order.id, code), pickupAttempts: 0, readyAt: ctx.now.toISOString() },
    notify: { ...pickupNotice(code, site), ...(order.dispenseRounds > 1 ? { restock: "true" } : {}) },
    notifyKey: roundKey(order.dispenseRounds),
  });
}

/**
 * A new code for a ready order whose code is void or lost: licensed pharmacists only, with a
 * reason. Hash, counters, the patient's SMS and the audit row (with the reason) in one
 * versioned batch. Not a status change, so no timeline event.
 */
export async function reissuePickupCode(ctx: DeskCtx, id: string, reason: string): Promise<OrderRow> {
  const { order, site } = await loadForWrite(ctx, id, "licensed");
  if (order.status !== "ready_for_pickup") throw new ApiError("conflict", `a pickup code is issued only for an order that is ready_for_pickup, not ${order.status}`);
  if (order.pickupCodeReissues >= MAX_PICKUP_CODE_REISSUES) {
    throw new ApiError(
      "too-many-attempts",
      `too many reissues (${order.pickupCodeReissues}) of this order's pickup code; contact the patient in person (the order may be cancelled and re-prescribed)`,
    );
  }
  const code = newPickupCode();
  const reissue = order.pickupCodeReissues + 1;
  const at = ctx.now.toISOString();
  const changes: Partial<OrderRow> = { pickupCodeHash: await pickupCodeHash(order.id, code), pickupAttempts: 0, pickupCodeReissues: reissue, updatedAt: at };
  const [sms] = notificationsFor(order, "ready_for_pickup", at, { ...pickupNotice(code, site), reissued: "true" }, `reissue_${reissue}`);
  await commitGuarded(
    ctx.db,
    [
      ...guardedOrderUpdate(ctx.db, order, changes),
      ...(sms ? [insertNotification(ctx.db, sms)] : []),
      auditStatement(ctx, {
        action: "order.pickup_code.reissue",
        entityType: "order",
        entityId: order.id,
        before: { version: order.version, pickupAttempts: order.pickupAttempts, pickupAttemptsTotal: order.pickupAttemptsTotal, reissues: order.pickupCodeReissues },
        after: { version: order.version + 1, reissues: reissue, reason },
      }),
    ],
    CHANGED_MEANWHILE,
  );
  return { ...order, ...changes, version: order.version + 1 };
}

/**
 * Pickup-code checks, every one counted (right or wrong), the limit enforced before the code
 * is compared. Per order: an order's codes allow at most 20 wrong tries in their lifetime
 * (5 per code, 3 reissues), so more than 20 in a minute is a script; only checks by the
 * order's own pharmacists count here, so another pharmacy cannot use up an order's checks.
 * Per pharmacist: a window hands over a few orders a minute; 60 bounds guessing spread across
 * many orders, and counts every check the pharmacist makes, refused ones included.
 */
export const PICKUP_CODE_PER_ORDER: RateRule = { name: "pickup-code.order", limit: 20, windowSeconds: 60, binding: "RATE_LIMIT_PICKUP_ORDER" };
export const PICKUP_CODE_PER_USER: RateRule = { name: "pickup-code.user", limit: 60, windowSeconds: 60, binding: "RATE_LIMIT_PICKUP_USER" };

/**
 * Hand-over at the window: the right code moves the dispensed packages into supplied; the
 * order is picked_up when nothing remains, else it waits for stock (awaiting_stock: the
 * patient is told, the supply lines count what was handed over). A wrong code is counted
 * with a versioned update (parallel guesses cannot each get a free try: all but one lose the
 * race and learn nothing); the fifth since the code's issue voids it.
 */
export async function handOverOrder(ctx: DeskCtx, id: string, pickupCode: string): Promise<OrderRow> {
  const { order, counts } = await loadForWrite(ctx, id, "licensed", {
    counted: await ctx.limiter?.count([{ rule: PICKUP_CODE_PER_USER, key: ctx.actor.sub }], ctx.now),
    ifAuthorized: await ctx.limiter?.defer([{ rule: PICKUP_CODE_PER_ORDER, key: id }], ctx.now),
  });
  assertLegal(order, "handover");
  if (!pickupCodeUsable(order)) throw voidCode(order);
  const candidate = await pickupCodeHash(order.id, pickupCode);
  if (await sameSecret(candidate, order.pickupCodeHash ?? "")) {
    const { items, complete } = handOverRound(order.items);
    return transitionOrder(ctx, order, complete ? "handover" : "handover_partial", {
      source: "desk",
      changes: { items, pickupCodeHash: null },
      notifyKey: roundKey(order.dispenseRounds),
      also: [...(complete ? [completePrescriptionWhenSupplied(ctx.db, order.prescriptionId)] : []), ...counts],
      audit: { round: order.dispenseRounds, complete },
    });
  }
  const attempts = order.pickupAttempts + 1;
  const total = order.pickupAttemptsTotal + 1;
  const voided = attempts >= MAX_PICKUP_ATTEMPTS;
  await commitGuarded(
    ctx.db,
    [
      ...guardedOrderUpdate(ctx.db, order, { pickupAttempts: attempts, pickupAttemptsTotal: total, ...(voided ? { pickupCodeHash: null } : {}), updatedAt: ctx.now.toISOString() }),
      ...counts,
      auditStatement(ctx, {
        action: "order.pickup_code.wrong",
        entityType: "order",
        entityId: order.id,
        before: { pickupAttempts: order.pickupAttempts, pickupAttemptsTotal: order.pickupAttemptsTotal },
        after: { pickupAttempts: attempts, pickupAttemptsTotal: total, voided },
      }),
    ],
    CHANGED_MEANWHILE,
  );
  if (voided) throw voidCode(order);
  throw new ApiError("conflict", `wrong pickup code; ${MAX_PICKUP_ATTEMPTS - attempts} attempt(s) left before it is void`, [
    { path: "pickupCode", message: "does not match the code sent to the patient" },
  ]);
}

function voidCode(order: Pick<OrderRow, "pickupCodeReissues">): ApiError {
  const next =
    order.pickupCodeReissues < MAX_PICKUP_CODE_REISSUES
      ? "a licensed pharmacist may reissue it (POST /orders/{id}/reissue-pickup-code)"
      : "it can no longer be reissued; contact the patient in person";
  return new ApiError("too-many-attempts", `the pickup code is void after ${MAX_PICKUP_ATTEMPTS} wrong attempts; ${next}`);
}
