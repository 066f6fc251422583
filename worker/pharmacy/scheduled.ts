/**
 * The cron (wrangler.toml, every 5 minutes): re-send outbox rows the queue did not settle,
 * release due instalments, send pending notifications. Each part runs even when another
 * fails, and each is bounded per run, so one slow part never starves the others; what a
 * run leaves is the next run's work.
 */
import { and, asc, eq, lte } from "drizzle-orm";
import { orders } from "../../schema";
import { getDb, type Db } from "../db/index";
import type { Bindings } from "../env";
import { ApiError } from "../http/problem";
import { chinaDate } from "../lib/clock";
import { sendPendingNotifications } from "./notifications/notifications.sender";
import { orderCreatedMessage } from "./orders/order-plan";
import { type PharmacyCtx, transitionOrder } from "./orders/transition";
import { insertOutbox, type OrderRow, pharmaciesQuery } from "./orders/orders.repo";
import { signedPrescriptionQuery } from "../signing/signed-prescriptions.repo";
import { enqueueOutbox } from "./outbox/enqueue";
import { SYSTEM_ACTOR } from "./outbox/outbox.consumer";
import { claimDueOutbox } from "./outbox/outbox.repo";

/** Rows re-sent per run, oldest due first; a longer backlog drains over the next runs. */
export const SWEEP_LIMIT = 100;
/** Instalments released per run. */
export const RELEASE_LIMIT = 100;
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
  notifications: Awaited<ReturnType<typeof sendPendingNotifications>> | null;
  errors: string[];
}

/** (a) Claims stale pending rows and sends their ids to the queue again. */
export async function resendStaleOutbox(env: Bindings, now: Date, limit = SWEEP_LIMIT): Promise<number> {
  const db = getDb(env.DB);
  const claimed = await claimDueOutbox(db, new Date(now.getTime() - SWEEP_GRACE_MS).toISOString(), new Date(now.getTime() + SWEEP_LEASE_MS).toISOString(), limit);
  // a failed send loses nothing: the lease runs out and a later sweep claims the rows again
  await enqueueOutbox(env.ORDER_QUEUE, claimed.map((r) => r.id));
  return claimed.length;
}

// (the one query of the release step, kept beside its only caller)
function dueInstalmentsQuery(db: Db, today: string, limit: number) {
  return db
    .select()
    .from(orders)
    .where(and(eq(orders.status, "scheduled"), lte(orders.releaseOn, today)))
    .orderBy(asc(orders.releaseOn), asc(orders.id))
    .limit(limit);
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
  const ctx: PharmacyCtx = { db, actor: SYSTEM_ACTOR, requestId: `cron-${now.toISOString()}`, now, queue: env.ORDER_QUEUE };
  let released = 0;
  let conflicts = 0;
  let failed = 0;
  for (const order of due) {
    try {
      const message = external.has(order.pharmacyId) ? await createdMessageOf(db, order, now) : null;
      await transitionOrder(ctx, order, "release", { source: "system", also: message ? [insertOutbox(db, message)] : [] });
      if (message) await enqueueOutbox(env.ORDER_QUEUE, [message.id]);
      released++;
    } catch (err) {
      if (err instanceof ApiError && err.code === "conflict") conflicts++;
      else {
        // one broken order must not hold back the others; it stays scheduled and is tried on the next run
        failed++;
        console.error(JSON.stringify({ level: "error", msg: "instalment release failed", orderId: order.id, error: err instanceof Error ? err.message : "unknown" }));
      }
    }
  }
  return { released, conflicts, failed };
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
  const resent = await step("outbox-sweep", errors, () => resendStaleOutbox(env, now));
  const notifications = await step("notifications", errors, () => sendPendingNotifications(env, now));
  const summary: ScheduledSummary = { resent: resent ?? 0, released: release?.released ?? 0, releaseConflicts: release?.conflicts ?? 0, releaseFailures: release?.failed ?? 0, notifications, errors };
  console.log(JSON.stringify({ level: errors.length ? "warn" : "info", msg: "cron run", at: now.toISOString(), ...summary, notifications: notifications ?? undefined }));
  return summary;
}
