import type { Db } from "../../db";
import { ApiError } from "../../errors/problem";
import { enforce, type RateHit, type RateLimiter, type RateRule } from "../../http/rate-limit";
import type { FulfilmentMode } from "../../../schema/enums";
import { PATIENT_STATUS_TEXT } from "../desk/desk.labels";
import { sameSecret } from "../desk/pickup-code";
import {
  orderByReferenceQuery,
  patientPhoneByReferenceQuery,
  pharmacyByReferenceQuery,
  scheduleByReferenceQuery,
  siteByReferenceQuery,
} from "./patient-status.repo";
import type { PatientOrderView, StatusLookup } from "./patient-status.schemas";

/*
 * The patient's own view of an order, without login, with what the patient holds: the
 * order reference (SMS, pickup slip) and the last four digits of their phone. The two
 * together are the credential, so the lookup is rate-limited per reference (wrong checks)
 * and per client, and an unknown reference, a wrong check and a patient without a phone
 * all answer the same 404 after the same work.
 */

/** Per client address: every lookup counts. */
export const CLIENT_LOOKUPS: RateRule = { name: "order-status.client", limit: 30, windowSeconds: 60, binding: "RATE_LIMIT_STATUS_CLIENT" };

/**
 * Per reference: wrong checks. Every attempt is counted before its check is compared (so
 * parallel guesses cannot slip past the limit) and a right one is given back; once the
 * limit is reached even the right check is refused until the window ends. Four digits
 * leave 10⁴ guesses: five per quarter hour make a guess of one order take weeks.
 */
export const REFERENCE_FAILURES: RateRule = { name: "order-status.reference", limit: 5, windowSeconds: 900 };

export interface StatusCtx {
  db: Db;
  limiter: RateLimiter;
  now: Date;
}

const MODE_TEXT: Record<FulfilmentMode, string> = { pickup: "到取药点自取", delivery: "配送到家" };

/** The last four digits of a phone, or a value no four-digit check equals (so the compare runs alike). */
function lastFour(phone: string | null | undefined): string {
  const digits = (phone ?? "").replace(/\D/g, "");
  return digits.length >= 4 ? digits.slice(-4) : "no phone";
}

/**
 * Both candidates are always compared in constant time, whether or not the order, the
 * patient's phone or a delivery phone exists: the answer's timing tells nothing.
 */
async function checkMatches(check: string, patientPhone: string | null | undefined, deliveryPhone: string | null | undefined): Promise<boolean> {
  const [patient, delivery] = await Promise.all([sameSecret(check, lastFour(patientPhone)), sameSecret(check, lastFour(deliveryPhone))]);
  return patient || delivery;
}

/**
 * One round trip for the lookup and both counters; a lookup that succeeds adds one more,
 * to give its attempt back. 429 (RateLimited) when a limit is reached, before any compare.
 */
export async function lookUpOrderStatus(ctx: StatusCtx, lookup: StatusLookup, client: string): Promise<PatientOrderView> {
  const attempt: RateHit = { rule: REFERENCE_FAILURES, key: lookup.reference };
  const counting = await ctx.limiter.count([{ rule: CLIENT_LOOKUPS, key: client }, attempt], ctx.now);
  const [orderRows, phoneRows, siteRows, pharmacyRows, schedule, ...counted] = await ctx.db.batch([
    orderByReferenceQuery(ctx.db, lookup.reference),
    patientPhoneByReferenceQuery(ctx.db, lookup.reference),
    siteByReferenceQuery(ctx.db, lookup.reference),
    pharmacyByReferenceQuery(ctx.db, lookup.reference),
    scheduleByReferenceQuery(ctx.db, lookup.reference),
    ...counting.statements,
  ]);
  enforce(counting.settle(counted));

  const order = orderRows[0];
  const matches = await checkMatches(lookup.check, phoneRows[0]?.phone, order?.mode === "delivery" ? order.address?.phone : undefined);
  if (!order || !matches) throw new ApiError("not-found", "no order with this reference and check");
  await ctx.limiter.refund(attempt, ctx.now);

  const site = siteRows[0];
  const pharmacy = pharmacyRows[0];
  const held = order.items.filter((item) => (item.supplied ?? 0) < item.packages).length;
  return {
    reference: lookup.reference,
    status: order.status,
    statusText: PATIENT_STATUS_TEXT[order.status],
    updatedAt: order.updatedAt,
    mode: order.mode,
    modeText: MODE_TEXT[order.mode],
    ...(pharmacy ? { pharmacy: { name: pharmacy.name, hours: pharmacy.hours } } : {}),
    ...(order.mode === "pickup" && site ? { pickupSite: { name: site.name, address: site.address } } : {}),
    ...(order.carrier ? { carrier: order.carrier } : {}),
    ...(order.trackingNo ? { trackingNo: order.trackingNo } : {}),
    ...(order.status === "awaiting_stock" ? { heldItems: held } : {}),
    instalment: order.instalment,
    instalments: order.instalments,
    schedule: schedule.map((s) => ({
      instalment: s.instalment,
      status: s.status,
      statusText: PATIENT_STATUS_TEXT[s.status],
      days: s.days,
      supplyFrom: s.supplyFrom,
      releaseOn: s.releaseOn,
      current: s.id === order.id,
    })),
  };
}
