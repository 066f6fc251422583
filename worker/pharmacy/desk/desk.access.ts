import { LICENSED_PHARMACIST_TITLES } from "../../../schema/enums";
import type { Ctx } from "../../context";
import { ApiError } from "../../errors/problem";
import { enforce, type RateCounting, type RateCountStatement, type RateDeferred } from "../../http/rate-limit";
import type { Signer } from "../../signing/signer";
import { type OrderRow, orderQuery, pharmacistQuery, pharmacyQuery, siteOfOrderQuery } from "../orders/orders.repo";
import type { PharmacyCtx } from "../orders/transition";

/*
 * Who may work an order at the desk. Every desk service starts here: one batch reads the
 * caller's registration, their pharmacy, the order and its pickup site (a desk action then
 * costs two round trips: this read and its guarded write).
 */

export interface DeskCtx extends PharmacyCtx {
  signer: Signer;
}

/** 处方管理办法 art. 31: review and hand-over (审核、核对、发药) need a 药师 or above; a 药士 may only dispense (调配). */
const LICENSED_TITLES: readonly string[] = LICENSED_PHARMACIST_TITLES;
export type Access = "read" | "write" | "licensed";

export function notFound(id: string): ApiError {
  return new ApiError("not-found", `no order ${id}`);
}

/**
 * Who may touch an order: admins read any; a pharmacist must be registered at the token's
 * pharmacy and sees only that pharmacy's orders (another pharmacy's order is a 404, its
 * existence must not leak). Writes need a desk-integrated pharmacy: an external one reports
 * its status through signed callbacks, and two writers would race.
 */
export function authorize(
  ctx: Pick<Ctx, "actor">,
  id: string,
  rows: { pharmacist: { pharmacyId: string; title: string } | undefined; order: OrderRow | undefined; pharmacy?: { integration: string } | undefined },
  access: Access,
): OrderRow {
  const { actor } = ctx;
  if (actor.role === "pharmacist" && rows.pharmacist?.pharmacyId !== actor.org) {
    throw new ApiError("forbidden", `${actor.sub} is not a registered pharmacist of pharmacy ${actor.org}`);
  }
  const order = rows.order;
  const visible = order && (actor.role === "admin" || (actor.role === "pharmacist" && order.pharmacyId === actor.org));
  if (!order || !visible) throw notFound(id);
  if (access === "read") return order;
  if (actor.role !== "pharmacist") throw new ApiError("forbidden", "only the pharmacy's pharmacists change its orders");
  if (rows.pharmacy?.integration !== "desk") {
    throw new ApiError("forbidden", `pharmacy ${actor.org} runs its own system; its orders change through signed callbacks`);
  }
  if (access === "licensed" && !LICENSED_TITLES.includes(rows.pharmacist?.title ?? "")) {
    throw new ApiError("forbidden", "prescription review and hand-over need a licensed pharmacist (药师 or above); a 药士 may dispense only");
  }
  return order;
}

/**
 * Rate limits of a desk action: `counted` hits count for every caller (their own allowance);
 * `ifAuthorized` hits (the order's allowance) only for a caller allowed to act on the order,
 * their counting statements returned for the action's write batch.
 */
export interface DeskLimits {
  counted?: RateCounting;
  ifAuthorized?: RateDeferred;
}

/**
 * One round trip: the caller's registration, their pharmacy, the order and its pickup site,
 * and the rate-limit reads and hits of `limits` (429 once the caller is authorized and a
 * limit is reached: a refused caller learns nothing of the order from a 429).
 */
export async function loadForWrite(ctx: DeskCtx, id: string, access: Exclude<Access, "read">, limits: DeskLimits = {}) {
  const counting = limits.counted?.statements ?? [];
  const [pharmacistRows, pharmacyRows, orderRows, siteRows, ...limitRows] = await ctx.db.batch([
    pharmacistQuery(ctx.db, ctx.actor.sub),
    pharmacyQuery(ctx.db, ctx.actor.org),
    orderQuery(ctx.db, id),
    siteOfOrderQuery(ctx.db, id),
    ...counting,
    ...(limits.ifAuthorized?.statements ?? []),
  ]);
  const order = authorize(ctx, id, { pharmacist: pharmacistRows[0], pharmacy: pharmacyRows[0], order: orderRows[0] }, access);
  const deferred = await limits.ifAuthorized?.settle(limitRows.slice(counting.length));
  enforce([...(limits.counted?.settle(limitRows.slice(0, counting.length)) ?? []), ...(deferred?.verdicts ?? [])]);
  const counts: RateCountStatement[] = deferred?.statements ?? [];
  return { order, site: siteRows[0] ?? null, counts };
}



type BatchItem = Parameters<DeskCtx["db"]["batch"]>[0][number];

/**
 * loadForWrite plus one query of the caller's in the same round trip (the prescription an
 * approval verifies), so the action still costs two: this read and its guarded write.
 */
export async function loadForWriteWith<Q extends BatchItem>(ctx: DeskCtx, id: string, access: Exclude<Access, "read">, extra: Q) {
  const [pharmacistRows, pharmacyRows, orderRows, siteRows, extraRows] = await ctx.db.batch([
    pharmacistQuery(ctx.db, ctx.actor.sub),
    pharmacyQuery(ctx.db, ctx.actor.org),
    orderQuery(ctx.db, id),
    siteOfOrderQuery(ctx.db, id),
    extra,
  ]);
  const order = authorize(ctx, id, { pharmacist: pharmacistRows[0], pharmacy: pharmacyRows[0], order: orderRows[0] }, access);
  return { order, site: siteRows[0] ?? null, extra: extraRows };
}
