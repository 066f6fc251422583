/**
 * The cron (wrangler.toml, every 5 minutes): release due instalments, expire orders never
 * collected, re-send outbox rows the queue did not settle, send pending notifications,
 * finish a formulary import left half-published, clean up old import jobs and forget
 * idempotency keys past their week.
 * Each part runs even when another fails, and each is bounded per run, so one slow part
 * never starves the others; what a run leaves is the next run's work.
 */
import { SYSTEM_ACTOR } from "../context";
import { getDb, type Db } from "../db/index";
import type { Bindings } from "../env";
import { ApiError } from "../errors/problem";
import { cleanupImportJobs, resumeStalledPublishing } from "../formulary/import-jobs.service";
import { purgeExpiredIdempotencyKeys } from "../http/idempotency";
import { addDays, chinaDate } from "../lib/clock";
import { settingsQuery } from "../settings/settings.repo";
import { MIN_UNCOLLECTED_EXPIRY_DAYS, readSettings } from "../settings/settings.schemas";
import { sendPendingNotifications } from "./notifications/notifications.sender";
import { orderCreatedMessage } from "./orders/order-plan";
import { type PharmacyCtx, transitionOrder } from "./orders/transition";
import { dueInstalmentsQuery, insertOutbox, type OrderRow, pharmaciesQuery, uncollectedOrdersQuery } from "./orders/orders.repo";
import { signedPrescriptionQuery } from "../signing/signed-prescriptions.repo";
import { enqueueOutbox } from "./outbox/enqueue";
import { claimDueOutbox } from "./outbox/outbox.repo";

/** Rows re-sent per run, oldest due first; a longer backlog drains over the next runs. */
export const SWEEP_LIMIT = 100;
/** Instalments released per run. */
export const RELEASE_LIMIT = 100;
/** Uncollected orders expired per run. */
export const EXPIRY_LIMIT = 100;
/**
 * A row is stale when its next attempt was due at least this long ago: a fresh row's own
 * enqueue, or a queue retry just falling due, gets that minute before a second message.
 */
export const SWEEP_GRACE_MS = 60_000;
/** A claimed row is not claimed again for this long; if its message is lost, the sweep after that sends it again. */
export const SWEEP_LEASE_MS = 10 * 60_000;

export interface ScheduledSummary {
  resent: number;
  released: number;
  /** instalments a concurrent change (a cancellation) had already moved */
  releaseConflicts: number;
  /** instalments that could not be released this run (logged; retried next run) */
  releaseFailures: number;
  expired: number;
  /** uncollected orders a concurrent change (a late hand-over, a cancellation) had already moved */
  expiryConflicts: number;
  expiryFailures: number;
  notifications: Awaited<ReturnType<typeof sendPendingNotifications>> | null;
  errors: string[];
}

/** (a) Claims stale pending rows and sends their ids to the queue again. */
export async function resendStaleOutbox(env: Bindings, now: Date, limit = SWEEP_LIMIT): Promise<number> {
  const db = getDb(env.DB);
  const ago = (ms: number) => new Date(now.getTime() - ms).toISOString();
  // a row's first message gets a whole lease before a second one: it may wait behind a backlog longer than the grace minute
  const claimed = await claimDueOutbox(db, ago(SWEEP_GRACE_MS), new Date(now.getTime() + SWEEP_LEASE_MS).toISOString(), limit, ago(SWEEP_LEASE_MS));
  // a failed send loses nothing: the lease runs out and a later sweep claims the rows again
  await enqueueOutbox(env.ORDER_QUEUE, claimed.map((r) => r.id));
  return claimed.length;
}

/**
 * (b) Releases scheduled instalments whose release date (China time) has come: the
 * transition, its timeline event and audit row and, for an external pharmacy, the
 * order.created outbox row commit in ONE batch; the row is then sent to the queue.
 */
export async function releaseDueInstalments(env: Bindings, now: Date, limit = RELEASE_LIMIT): Promise<{ released: number; conflicts: number; failed: number }> {
  const db = getDb(env.DB);
  const due = await dueInstalmentsQuery(db, chinaDate(now), limit);
  if (due.length === 0) return { released: 0, conflicts: 0, failed: 0 };
  const external = new Set((await pharmaciesQuery(db)).filter((p) => p.integration === "external").map((p) => p.id));
  const ctx = cronContext(env, db, now);
  const tally = await eachOrder(due, "instalment release", async (order) => {
    const message = external.has(order.pharmacyId) ? await createdMessageOf(db, order, now) : null;
    await transitionOrder(ctx, order, "release", { source: "system", also: message ? [insertOutbox(db, message)] : [] });
    if (message) await enqueueOutbox(env.ORDER_QUEUE, [message.id]);
  });
  return { released: tally.done, conflicts: tally.conflicts, failed: tally.failed };
}

function cronContext(env: Bindings, db: Db, now: Date): PharmacyCtx {
  return { db, actor: SYSTEM_ACTOR, requestId: `cron-${now.toISOString()}`, now, queue: env.ORDER_QUEUE };
}

/**
 * Applies a step to each order, each in its own batch: a conflict (a concurrent change got
 * there first) is counted, and one broken order never holds back the others: it stays as
 * it is and is tried again on the next run.
 */
async function eachOrder(orders: OrderRow[], what: string, apply: (order: OrderRow) => Promise<void>) {
  const tally = { done: 0, conflicts: 0, failed: 0 };
  for (const order of orders) {
    try {
      await apply(order);
      tally.done++;
    } catch (err) {
      if (err instanceof ApiError && err.code === "conflict") tally.conflicts++;
      else {
        tally.failed++;
        console.error(JSON.stringify({ level: "error", msg: `${what} failed`, orderId: order.id, error: err instanceof Error ? err.message : "unknown" }));
      }
    }
  }
  return tally;
}

/**
 * The first instant (UTC ISO) at which an order ready at that instant is NOT yet expired
 * today: ready on China day D expires once today ≥ D + days, so what expires today was
 * ready before the start of China day (today − days + 1), i.e. before 16:00 UTC of
 * (today − days).
 */
export function expiryCutoff(now: Date, days: number): string {
  return `${addDays(chinaDate(now), -days)}T16:00:00.000Z`;
}

/**
 * (c) Expires orders ready for pickup and never collected within the consortium's
 * `uncollectedExpiryDays`: the patient's SMS and the doctor's inbox notice, the pickup code
 * voided and the supply lines brought in step, each order in its own batch (one that was
 * handed over meanwhile loses the race and is counted as a conflict).
 *
 * The settings and the candidates come in one round trip: candidates are read with the
 * loosest cutoff the setting allows and filtered by the real one; they come oldest first,
 * so once one is not due none after it is, and a run never starves.
 */
export async function expireUncollected(env: Bindings, now: Date, limit = EXPIRY_LIMIT): Promise<{ expired: number; conflicts: number; failed: number; days: number }> {
  const db = getDb(env.DB);
  const loosest = expiryCutoff(now, MIN_UNCOLLECTED_EXPIRY_DAYS);
  const [settingRows, candidates] = await db.batch([settingsQuery(db), uncollectedOrdersQuery(db, loosest, limit)]);
  const days = readSettings(settingRows).uncollectedExpiryDays;
  const cutoff = expiryCutoff(now, days);
  const due = candidates.filter((o) => (o.readyAt ?? o.updatedAt) < cutoff);
  const ctx = cronContext(env, db, now);
  const tally = await eachOrder(due, "uncollected order expiry", async (order) => {
    const readyAt = order.readyAt ?? order.updatedAt;
    await transitionOrder(ctx, order, "expire", {
      source: "system",
      note: `未在 ${days} 天内取药，订单过期`,
      changes: { pickupCodeHash: null },
      doctorNotice: { readyAt, days: String(days) },
      audit: { readyAt, uncollectedExpiryDays: days },
    });
  });
  return { expired: tally.done, conflicts: tally.conflicts, failed: tally.failed, days };
}

/** The order.created message of a released instalment carries the signed prescription, as the first one did. */
async function createdMessageOf(db: Db, order: OrderRow, now: Date) {
  const [rx] = await signedPrescriptionQuery(db, order.prescriptionId);
  if (!rx) throw new Error(`order ${order.id} has no prescription ${order.prescriptionId}`);
  const signed = { contentHash: rx.contentHash, signature: rx.signature, signatureKeyId: rx.signatureKeyId, content: JSON.parse(rx.content) as unknown };
  return orderCreatedMessage(order, signed, now.toISOString());
}

async function step<T>(name: string, errors: string[], run: () => Promise<T>): Promise<T | null> {
  try {
    return await run();
  } catch (err) {
    const message = err instanceof Error ? err.message : "unknown";
    errors.push(`${name}: ${message}`);
    console.error(JSON.stringify({ level: "error", msg: `cron step ${name} failed`, error: message }));
    return null;
  }
}

/** One cron run at `now` (the trigger's scheduled time). */
export async function runScheduled(env: Bindings, now: Date): Promise<ScheduledSummary> {
  const errors: string[] = [];
  // released instalments enqueue their own rows, so the sweep runs after the release
  const release = await step("release", errors, () => releaseDueInstalments(env, now));
  // before the notifications, so the patient's and the doctor's notices go out in this run
  const expiry = await step("expire-uncollected", errors, () => expireUncollected(env, now));
  const resent = await step("outbox-sweep", errors, () => resendStaleOutbox(env, now));
  const notifications = await step("notifications", errors, () => sendPendingNotifications(env, now));
  // a formulary import its admin left half-published is finished, then old jobs are cleaned up
  await step("formulary-import-publish", errors, () => resumeStalledPublishing(getDb(env.DB), now));
  await step("formulary-import-jobs", errors, () => cleanupImportJobs(getDb(env.DB), now));
  await step("idempotency-keys", errors, () => purgeExpiredIdempotencyKeys(getDb(env.DB), now));
  const summary: ScheduledSummary = {
    resent: resent ?? 0,
    released: release?.released ?? 0,
    releaseConflicts: release?.conflicts ?? 0,
    releaseFailures: release?.failed ?? 0,
    expired: expiry?.expired ?? 0,
    expiryConflicts: expiry?.conflicts ?? 0,
    expiryFailures: expiry?.failed ?? 0,
    notifications,
    errors,
  };
  console.log(JSON.stringify({ level: errors.length ? "warn" : "info", msg: "cron run", at: now.toISOString(), ...summary, notifications: notifications ?? undefined }));
  return summary;
}
