/**
 * Delivery of outbox rows to external pharmacies: the consumer of "yaolian-pharmacy-outbox"
 * and of its dead-letter queue.
 *
 * The outbox row is the truth; a queue message only says "look at row X now". Queues
 * deliver at least once, so a message may come twice, late, or after the row was settled:
 * a delivered row is acknowledged without a request, and every mark is conditional on the
 * row still being pending. The pharmacy applies each order once by its Idempotency-Key,
 * which is what makes the effect exactly once.
 *
 * What happens to a failed POST depends on who is at fault:
 * - transient (5xx, 408, 429, a timeout, a network error, a redirect, a pharmacy not yet
 *   configured): the row records the attempt (attempts+1, lastError, nextAttemptAt) and
 *   the message is retried with exponential backoff. After QUEUE_ATTEMPTS deliveries the
 *   message is acknowledged and the row handed over to the cron sweep, which keeps
 *   re-sending it with a capped backoff. QUEUE_ATTEMPTS stays below the queue's
 *   max_retries (5 here, 8 in production), so a transient failure never exhausts the
 *   queue's retries: it is neither lost nor dead.
 * - permanent (any other 4xx: the pharmacy refuses this message as it is): the row is
 *   marked dead at once, so no sweep ever sends it again. A refused order.created is a
 *   return (DOMAIN.md): in the same batch as the mark, the order goes to the next eligible
 *   pharmacy once, or back to the doctor with the pharmacy's answer as the reason
 *   (permanentRejection below). The mark is conditional on the row being pending, and its
 *   guard rolls the batch back otherwise, so a redelivered or concurrent message never
 *   applies the return twice, and the dead-letter consumer never applies it at all.
 *   The message is then retried
 *   without any request until the queue moves it to the dead-letter queue. Queues have no
 *   "dead-letter now" call, and the DLQ has no producer binding here; retrying a dead row
 *   costs a queue delivery, never a request. The dead-letter queue therefore holds the
 *   permanent rejections, and its consumer marks the row dead (idempotent: already done)
 *   and writes the audit row that an operator follows up. The only other way in is a
 *   poison message, one the consumer crashed on at every delivery: it is marked dead too,
 *   since nothing will deliver it before someone fixes the cause.
 */
import { auditStatement } from "../../audit/audit.repo";
import { type Ctx, SYSTEM_ACTOR } from "../../context";
import { type Db, getDb } from "../../db";
import { expectChanged, isGuardFailure } from "../../db/guard";
import type { Bindings, OutboxMessage } from "../../env";
import { signBody } from "../../lib/hmac";
import { returnReasonText, returnRoutingOf, returnRoutingQueries, returnStatements } from "../orders/order-return";
import { nextStatus } from "../orders/order-state";
import { orderQuery } from "../orders/orders.repo";
import { enqueueOutbox } from "./enqueue";
import { markAttemptFailed, markDead, markDelivered, markRejected, type OutboxDelivery, outboxDeliveriesQuery, outboxStateQuery } from "./outbox.repo";

export const OUTBOX_QUEUE = "yaolian-pharmacy-outbox";
export const OUTBOX_DLQ = "yaolian-pharmacy-outbox-dlq";

/** Deliveries of one message by the queue before the row is handed over to the sweep (keep below max_retries). */
export const QUEUE_ATTEMPTS = 4;
/** Cloudflare Queues accept retry delays up to 12 hours. */
const MAX_QUEUE_DELAY_SECONDS = 12 * 60 * 60;
/** How much of a pharmacy's error answer is kept in lastError (never logged). */
const MAX_ERROR_CHARS = 300;

export interface OutboxSettings {
  /** per request, AbortSignal.timeout */
  timeoutMs: number;
  /** backoff of attempt n: base * 2^(n-1), capped at max, with jitter */
  backoffBaseSeconds: number;
  backoffMaxSeconds: number;
}

/** Optional variables that tune delivery (tests shorten them); absent ones take the defaults. */
export interface OutboxVars {
  OUTBOX_TIMEOUT_MS?: string;
  OUTBOX_BACKOFF_BASE_SECONDS?: string;
  OUTBOX_BACKOFF_MAX_SECONDS?: string;
}

export const DEFAULT_OUTBOX_SETTINGS: OutboxSettings = { timeoutMs: 10_000, backoffBaseSeconds: 30, backoffMaxSeconds: 3600 };

function numberVar(value: string | undefined, fallback: number, min: number, max: number): number {
  const n = Number(value);
  return value !== undefined && value !== "" && Number.isFinite(n) && n >= min && n <= max ? n : fallback;
}

export function outboxSettings(env: OutboxVars): OutboxSettings {
  const d = DEFAULT_OUTBOX_SETTINGS;
  return {
    timeoutMs: numberVar(env.OUTBOX_TIMEOUT_MS, d.timeoutMs, 10, 60_000),
    backoffBaseSeconds: numberVar(env.OUTBOX_BACKOFF_BASE_SECONDS, d.backoffBaseSeconds, 0, 3600),
    backoffMaxSeconds: numberVar(env.OUTBOX_BACKOFF_MAX_SECONDS, d.backoffMaxSeconds, 0, 7 * 24 * 3600),
  };
}

/**
 * Seconds before attempt `attempt + 1`: exponential in the attempts made so far, capped,
 * with "equal jitter" (half fixed, half random) so a pharmacy coming back from an outage
 * is not hit by every waiting order in the same second.
 */
export function backoffSeconds(attempt: number, settings: Pick<OutboxSettings, "backoffBaseSeconds" | "backoffMaxSeconds">, random: () => number = Math.random): number {
  const exp = Math.min(settings.backoffMaxSeconds, settings.backoffBaseSeconds * 2 ** Math.max(0, Math.min(attempt - 1, 30)));
  return Math.round(exp / 2 + random() * (exp / 2));
}

export type DeliveryOutcome =
  | { kind: "delivered"; status: number }
  | { kind: "transient"; error: string; retryAfterSeconds?: number }
  | { kind: "permanent"; status: number; error: string; answer: string };

/** 408 and 429 say "later", every other 4xx says "never like this". */
export function classifyStatus(status: number): "delivered" | "transient" | "permanent" {
  if (status >= 200 && status < 300) return "delivered";
  if (status >= 400 && status < 500 && status !== 408 && status !== 429) return "permanent";
  return "transient";
}

function retryAfterSeconds(header: string | null): number | undefined {
  if (!header || !/^\d{1,6}$/.test(header.trim())) return undefined;
  return Number(header.trim());
}

export interface DeliveryDeps {
  fetch: typeof fetch;
  now: () => Date;
  settings: OutboxSettings;
}

/** One signed POST of the row's payload. Never throws: every failure is an outcome. */
export async function postOutboxRow(row: OutboxDelivery, deps: DeliveryDeps): Promise<DeliveryOutcome> {
  if (row.integration !== "external" || !row.endpointUrl || !row.sharedSecret) {
    // a configuration gap an admin can close (PATCH /pharmacies/{id}): keep trying, slowly
    return { kind: "transient", error: `pharmacy ${row.pharmacyId} has no external endpoint and shared secret configured` };
  }
  // orders carry patient data: never in clear text, whatever was stored (the admin API already insists on https)
  if (!row.endpointUrl.startsWith("https://")) return { kind: "transient", error: `pharmacy ${row.pharmacyId} endpoint is not https; fix the endpointUrl` };
  let res: Response;
  try {
    res = await deps.fetch(row.endpointUrl, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "idempotency-key": row.idempotencyKey,
        "x-signature": await signBody(row.sharedSecret, row.payload, deps.now()),
        "user-agent": "YaoLian-Outbox/1",
      },
      body: row.payload,
      redirect: "manual",
      signal: AbortSignal.timeout(deps.settings.timeoutMs),
    });
  } catch (err) {
    const timedOut = err instanceof Error && (err.name === "TimeoutError" || err.name === "AbortError");
    return { kind: "transient", error: timedOut ? `timeout after ${deps.settings.timeoutMs} ms` : `network error: ${err instanceof Error ? err.message : "unknown"}` };
  }
  let text = "";
  try {
    text = (await res.text()).slice(0, MAX_ERROR_CHARS);
  } catch {
    // the status is what counts; an unreadable body changes nothing
  }
  const kind = classifyStatus(res.status);
  if (kind === "delivered") return { kind, status: res.status };
  if (kind === "permanent") return { kind, status: res.status, error: `rejected ${res.status}: ${text}`.trim(), answer: text };
  const redirect = res.status >= 300 && res.status < 400 ? ` (redirect to ${res.headers.get("location") ?? "?"} not followed: fix the endpointUrl)` : "";
  return { kind, error: `HTTP ${res.status}${redirect}: ${text}`.trim(), retryAfterSeconds: retryAfterSeconds(res.headers.get("retry-after")) };
}

function log(level: "info" | "warn" | "error", msg: string, fields: Record<string, unknown>) {
  const line = JSON.stringify({ level, msg, ...fields });
  if (level === "error") console.error(line);
  else if (level === "warn") console.warn(line);
  else console.log(line);
}

function outboxIdOf(message: Message<unknown>): string | null {
  const body = message.body as Partial<OutboxMessage> | null;
  return body && typeof body === "object" && typeof body.outboxId === "string" && body.outboxId.length <= 200 ? body.outboxId : null;
}

/** Transient trouble with this message: retried by the queue while its budget lasts, then left to the sweep. */
function retryOrHandOver(message: Message<unknown>, delaySeconds: number, fields: Record<string, unknown>) {
  if (message.attempts < QUEUE_ATTEMPTS) {
    message.retry({ delaySeconds: Math.min(delaySeconds, MAX_QUEUE_DELAY_SECONDS) });
  } else {
    message.ack();
    log("warn", "outbox delivery handed over to the sweep", { ...fields, queueAttempts: message.attempts });
  }
}

/** The consumer of "yaolian-pharmacy-outbox". */
export async function consumeOutbox(batch: MessageBatch<unknown>, env: Bindings & OutboxVars, deps: Partial<DeliveryDeps> = {}): Promise<void> {
  const full: DeliveryDeps = { fetch: deps.fetch ?? ((input, init) => fetch(input, init)), now: deps.now ?? (() => new Date()), settings: deps.settings ?? outboxSettings(env) };
  const db = getDb(env.DB);
  const ids = [...new Set(batch.messages.map(outboxIdOf).filter((id): id is string => id !== null))];
  let rows: OutboxDelivery[];
  try {
    rows = ids.length ? await outboxDeliveriesQuery(db, ids) : [];
  } catch (err) {
    log("error", "outbox batch could not be loaded", { count: batch.messages.length, error: err instanceof Error ? err.message : "unknown" });
    for (const m of batch.messages) retryOrHandOver(m, backoffSeconds(m.attempts, full.settings), { messageId: m.id });
    return;
  }
  const byId = new Map(rows.map((r) => [r.id, r]));
  const seen = new Set<string>();
  await Promise.all(
    batch.messages.map(async (message) => {
      const id = outboxIdOf(message);
      const row = id ? byId.get(id) : undefined;
      if (!id || !row) {
        log("warn", "outbox message without a row: dropped", { messageId: message.id, outboxId: id });
        message.ack();
        return;
      }
      // the same row twice in one batch: one request is enough, the first message owns the outcome
      if (seen.has(id)) {
        message.ack();
        return;
      }
      seen.add(id);
      await handleMessage(db, env.ORDER_QUEUE, message, row, full);
    }),
  );
}

async function handleMessage(db: Db, queue: Queue<OutboxMessage>, message: Message<unknown>, row: OutboxDelivery, deps: DeliveryDeps): Promise<void> {
  const fields = { outboxId: row.id, orderId: row.orderId, pharmacyId: row.pharmacyId, kind: row.kind };
  if (row.state === "delivered") {
    message.ack();
    return;
  }
  if (row.state === "dead") {
    // on its way to the dead-letter queue (see the top of this file); no request
    message.retry();
    return;
  }
  const attempt = row.attempts + 1;
  const outcome = await postOutboxRow(row, deps);
  const at = deps.now();
  try {
    if (outcome.kind === "delivered") {
      await markDelivered(db, row.id, at.toISOString());
      message.ack();
      if (attempt > 1) log("info", "outbox delivered after retries", { ...fields, attempt });
      return;
    }
    if (outcome.kind === "permanent") {
      const result = await settleRejected({ db, queue, now: at }, row, outcome);
      log("error", "outbox message rejected by the pharmacy: dead", { ...fields, attempt, status: outcome.status, order: result });
      message.retry();
      return;
    }
    const delay = Math.max(backoffSeconds(attempt, deps.settings), Math.min(outcome.retryAfterSeconds ?? 0, deps.settings.backoffMaxSeconds));
    await markAttemptFailed(db, row.id, outcome.error.slice(0, MAX_ERROR_CHARS + 100), new Date(at.getTime() + delay * 1000).toISOString());
    log("warn", "outbox delivery failed; will retry", { ...fields, attempt, delaySeconds: delay, error: outcome.error.split(":")[0] });
    retryOrHandOver(message, delay, fields);
  } catch (err) {
    // the request's outcome could not be recorded: try again (a delivered one is deduplicated by its key)
    log("error", "outbox outcome could not be recorded", { ...fields, outcome: outcome.kind, error: err instanceof Error ? err.message : "unknown" });
    retryOrHandOver(message, backoffSeconds(attempt, deps.settings), fields);
  }
}

/**
 * The consumer of "yaolian-pharmacy-outbox-dlq": every message here is dead. The row is
 * marked dead if it is not already (idempotent) and the dead letter is audited, once per
 * message, for the operator who follows it up with the pharmacy.
 */
export async function consumeDeadLetters(batch: MessageBatch<unknown>, env: Bindings, now: Date = new Date()): Promise<void> {
  const db = getDb(env.DB);
  for (const message of batch.messages) {
    const id = outboxIdOf(message);
    if (!id) {
      message.ack();
      continue;
    }
    const ctx: Ctx = { db, actor: SYSTEM_ACTOR, requestId: `dlq-${message.id}`, now };
    try {
      const [, [row]] = await db.batch([
        markDead(db, id, "dead-lettered by the queue"),
        outboxStateQuery(db, id),
        auditStatement(ctx, { action: "outbox.dead_letter", entityType: "outbox", entityId: id, after: { queueAttempts: message.attempts } }),
      ]);
      log("error", "outbox message dead-lettered", { outboxId: id, state: row?.state ?? "missing", lastError: row?.lastError?.split(":")[0] ?? null });
      message.ack();
    } catch (err) {
      log("error", "dead letter could not be recorded", { outboxId: id, error: err instanceof Error ? err.message : "unknown" });
      message.retry({ delaySeconds: 60 });
    }
  }
}

// ---------------------------------------------------------------------------------------
// A refused order.created is a return
// ---------------------------------------------------------------------------------------

/** How many times a rejection is re-applied when the order changed between its read and its write. */
const REJECTION_TRIES = 3;
/** What of the pharmacy's answer reaches the doctor: one line, capped. */
const MAX_ANSWER_CHARS = 200;

/**
 * The pharmacy's answer as the doctor may read it: the message field of a JSON answer if
 * there is one, else the text; on one line, capped, and with anything that looks like a
 * token or signature (long runs of hex/base64) blanked, so no secret echoed by the
 * pharmacy reaches an inbox.
 */
export function answerForDoctor(status: number, answer: string): string {
  let text = answer;
  try {
    const body: unknown = JSON.parse(answer);
    if (body && typeof body === "object") {
      const fields = Object.entries(body);
      const message = fields.find(([k, v]) => ["detail", "message", "error", "reason", "title"].includes(k) && typeof v === "string")?.[1];
      if (typeof message === "string") text = message;
    }
  } catch {
    // not JSON: the text as it came
  }
  const clean = text
    // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping control characters is the point
    .replace(/[\u0000-\u001f\u007f]+/g, " ")
    .replace(/[A-Za-z0-9+/_=-]{32,}/g, "[…]")
    .replace(/\s+/g, " ")
    .slice(0, MAX_ANSWER_CHARS)
    .trim();
  return `HTTP ${status}${clean ? ` ${clean}` : ""}`;
}

type RejectionResult = "rerouted" | "returned" | "dead" | "settled";

/** A refused order.created returns the order; any other refused message (order.cancelled) only goes dead. */
async function settleRejected(deps: { db: Db; queue: Queue<OutboxMessage>; now: Date }, row: OutboxDelivery, outcome: { status: number; error: string; answer: string }): Promise<RejectionResult> {
  if (row.kind === "order.created") return permanentRejection(deps, row, outcome);
  await markRejected(deps.db, row.id, outcome.error);
  return "dead";
}

/**
 * The pharmacy refused an order for good: the row is marked dead and, in the same batch,
 * the order takes the return path (order-return.ts) as the platform's own act (source
 * "system"): to the next eligible pharmacy once (normally the consortium's desk pharmacy),
 * or back to the doctor with the pharmacy's answer. The batch opens with the row's
 * conditional mark and its guard: if another delivery of the same message got there
 * first, nothing is applied ("settled"). An order that is no longer the pharmacy's to
 * return (cancelled meanwhile, already elsewhere) only gets the row marked ("dead").
 */
export async function permanentRejection(
  deps: { db: Db; queue: Queue<OutboxMessage>; now: Date },
  row: Pick<OutboxDelivery, "id" | "orderId" | "pharmacyId">,
  outcome: { status: number; error: string; answer: string },
): Promise<RejectionResult> {
  const { db } = deps;
  const ctx = { db, actor: SYSTEM_ACTOR, requestId: `outbox-${row.id}`, now: deps.now, queue: deps.queue };
  const returnReason = returnReasonText("pharmacy_rejected", answerForDoctor(outcome.status, outcome.answer));
  for (let tries = 1; tries <= REJECTION_TRIES; tries++) {
    const [[state], [order], pharmacies, sites, prescriptions] = await db.batch([outboxStateQuery(db, row.id), orderQuery(db, row.orderId), ...returnRoutingQueries(db, row.orderId)]);
    if (state?.state !== "pending") return "settled";
    if (!order || order.pharmacyId !== row.pharmacyId || !nextStatus(order.status, "return", order.mode)) {
      await markRejected(db, row.id, outcome.error);
      return "dead";
    }
    const plan = returnStatements(ctx, order, returnRoutingOf(pharmacies, sites, prescriptions), { source: "system", returnReason });
    try {
      await db.batch([markRejected(db, row.id, outcome.error), expectChanged(db), ...plan.statements]);
      await enqueueOutbox(deps.queue, plan.outboxIds);
      return plan.outcome;
    } catch (err) {
      // the row was settled by another delivery, or the order changed: read again and decide again
      if (!isGuardFailure(err)) throw err;
    }
  }
  // the order kept changing under us: the row still goes dead (and to the dead-letter queue, where an operator sees it)
  await markRejected(db, row.id, outcome.error);
  return "dead";
}
