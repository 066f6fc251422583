/**
 * The external test pharmacy of the fault drill (bench/drill.ts): a real HTTP server in the
 * drill's Node process. workerd's outbound connections are pointed at it, so the outbox's
 * POST to https://pharmacy-partner.example/yaolian/orders (the seeded 仁和 endpoint) lands
 * here over a socket, and it calls the worker back like a partner system would.
 *
 * Like a real partner it applies an order once per Idempotency-Key: a request with a key it
 * already accepted is answered 200 `{ duplicate: true }` and changes nothing. It fails on
 * purpose, reproducibly: every fault is a draw from a hash of (seed, key, attempt number),
 * so the same seed gives the same faults whatever the timing; only the outage is a window
 * of wall-clock time.
 * - 5xx: answered 500/502/503 before anything is processed;
 * - timeout: held longer than the outbox's timeout; a share of them was processed first
 *   (the order is taken in, the acknowledgement never arrives: only the key saves it);
 * - permanent: an address outside its delivery area is refused 422 on every attempt;
 * - outage: every connection is dropped without an answer, callbacks wait.
 * Every accepted order gets its status callbacks (approved → … → delivered), signed with
 * the shared secret; a share of events is sent twice, at once or later, with the same
 * eventId, and the worker must answer the second `duplicate: true`.
 */
import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";

export interface PharmacyPlan {
  seed: string;
  /** verifies X-Signature with it and signs callbacks with it */
  secret: string;
  error5xxRate: number;
  timeoutRate: number;
  /** share of timed-out requests processed before the pharmacy went silent */
  timeoutProcessedShare: number;
  /** how long a timed-out request is held (longer than the outbox's timeout) */
  stallMs: number;
  duplicateCallbackRate: number;
  /** delivery regions it does not serve: a permanent 422 */
  rejectRegions: readonly string[];
  /** POST target of the status callbacks */
  callbackUrl: string;
  callbackConcurrency: number;
}

/** The callbacks of an accepted delivery order, in order; each a legal next step of the last. */
export const CALLBACK_CHAIN = ["approved", "dispensing", "shipped", "delivered"] as const;
type CallbackStatus = (typeof CALLBACK_CHAIN)[number];

export interface AcceptedOrder {
  orderId: string;
  key: string;
  /** processed requests with this key: 1 + duplicates recognised */
  receipts: number;
}

interface CallbackEvent {
  eventId: string;
  orderId: string;
  status: CallbackStatus;
  at: string;
  carrier?: string;
  trackingNo?: string;
}

export interface CallbackAnswer {
  eventId: string;
  httpStatus: number;
  duplicate: boolean | null;
  body: string;
}

/** A fraction in [0, 1) from SHA-256 of the text: the same text, the same draw. */
export function draw(text: string): number {
  return createHash("sha256").update(text).digest().readUIntBE(0, 6) / 2 ** 48;
}

/** X-Signature: t=<unix>,v1=<hex HMAC-SHA256(secret, t + "." + body)> (API.md), computed independently of the worker's code. */
function signature(secret: string, body: string, at = Date.now()): string {
  const t = Math.floor(at / 1000);
  return `t=${t},v1=${createHmac("sha256", secret).update(`${t}.${body}`).digest("hex")}`;
}

function signatureValid(secret: string, body: string, header: string | undefined): boolean {
  const match = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header ?? "");
  if (!match?.[1] || !match[2]) return false;
  if (Math.abs(Date.now() / 1000 - Number(match[1])) > 300) return false;
  const expected = Buffer.from(createHmac("sha256", secret).update(`${match[1]}.${body}`).digest("hex"));
  return timingSafeEqual(expected, Buffer.from(match[2]));
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class DrillPharmacy {
  private server: http.Server | null = null;
  private outageWindow: { from: number; to: number } | null = null;

  /** every request to the order endpoint, outage included */
  requests = 0;
  readonly requestsByKey = new Map<string, number>();
  readonly accepted = new Map<string, AcceptedOrder>();
  /** keys per order id among accepted orders: more than one would be a doubled order */
  readonly keysByOrder = new Map<string, Set<string>>();
  readonly rejected = new Set<string>();
  readonly answers: Record<string, number> = {};
  readonly injected = { outage: 0, error5xx: 0, timeout: 0, timeoutProcessed: 0, rejected: 0 };
  /** requests with an already accepted key: recognised, answered duplicate, nothing applied */
  duplicatesSuppressed = 0;
  /** keys whose acceptance reached the worker (a 200 written to a live connection) */
  private readonly acknowledged = new Set<string>();
  /** requests for a key already acknowledged: not a retry after a lost answer, a second message for a delivered row */
  afterAcknowledged = 0;
  /** timed-out requests whose late answer found the worker gone */
  lateAnswers = 0;
  badSignatures = 0;
  missingKeys = 0;

  readonly callbacks = {
    events: 0,
    requests: 0,
    duplicatesSent: 0,
    /** duplicate sends the worker answered `duplicate: true` (one of a concurrent pair) */
    duplicatesSuppressed: 0,
    retries: 0,
    /** answers that are neither 200 nor a retryable failure, or a duplicate applied twice */
    unexpected: [] as CallbackAnswer[],
  };
  private readonly callbackQueue: AcceptedOrder[] = [];
  private readonly lateDuplicates: CallbackEvent[] = [];
  private callbackWorkers = 0;
  private inFlight = 0;

  constructor(private readonly plan: PharmacyPlan) {}

  async listen(): Promise<number> {
    const server = http.createServer((req, res) => {
      this.handle(req, res).catch((err) => {
        if (!res.headersSent && !res.destroyed) this.answer(res, 500, { error: err instanceof Error ? err.message : "crash" });
      });
    });
    this.server = server;
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return (server.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  startOutage(ms: number): { from: number; to: number } {
    const from = Date.now();
    this.outageWindow = { from, to: from + ms };
    return this.outageWindow;
  }

  get outage(): { from: number; to: number } | null {
    return this.outageWindow;
  }

  private down(now = Date.now()): boolean {
    return this.outageWindow !== null && now >= this.outageWindow.from && now < this.outageWindow.to;
  }

  /** Nothing left to call back: every accepted order's chain and every late duplicate sent. */
  get callbacksIdle(): boolean {
    return this.callbackQueue.length === 0 && this.lateDuplicates.length === 0 && this.inFlight === 0;
  }

  private answer(res: http.ServerResponse, status: number, value: unknown, key?: string) {
    this.answers[status] = (this.answers[status] ?? 0) + 1;
    if (res.destroyed) {
      this.lateAnswers++;
      return;
    }
    if (key && status === 200) this.acknowledged.add(key);
    const body = JSON.stringify(value);
    res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
    res.end(body);
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    if (req.method !== "POST" || !req.url?.startsWith("/yaolian/orders")) return this.answer(res, 404, { error: "not found" });
    this.requests++;
    const key = typeof req.headers["idempotency-key"] === "string" ? req.headers["idempotency-key"] : null;
    const attempt = key ? (this.requestsByKey.get(key) ?? 0) + 1 : 0;
    if (key) this.requestsByKey.set(key, attempt);
    if (key && this.acknowledged.has(key)) this.afterAcknowledged++;
    if (this.down()) {
      // a total outage: the connection drops, no answer at all
      this.injected.outage++;
      req.socket.destroy();
      return;
    }
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString("utf8");
    if (!signatureValid(this.plan.secret, body, req.headers["x-signature"] as string | undefined)) {
      this.badSignatures++;
      return this.answer(res, 401, { error: "bad signature" });
    }
    if (!key) {
      this.missingKeys++;
      return this.answer(res, 400, { error: "Idempotency-Key required" });
    }
    const x = draw(`${this.plan.seed}|fault|${key}|${attempt}`);
    if (x < this.plan.error5xxRate) {
      this.injected.error5xx++;
      return this.answer(res, [500, 502, 503][attempt % 3] as number, { error: "upstream trouble" });
    }
    if (x < this.plan.error5xxRate + this.plan.timeoutRate) {
      this.injected.timeout++;
      let outcome: { status: number; value: unknown } | null = null;
      if (draw(`${this.plan.seed}|processed|${key}|${attempt}`) < this.plan.timeoutProcessedShare) {
        this.injected.timeoutProcessed++;
        outcome = this.process(key, body);
      }
      await sleep(this.plan.stallMs);
      outcome ??= this.process(key, body);
      return this.answer(res, outcome.status, outcome.value, key);
    }
    const outcome = this.process(key, body);
    return this.answer(res, outcome.status, outcome.value, key);
  }

  /** The order logic: refuse what it cannot serve, take each key in once. */
  private process(key: string, body: string): { status: number; value: unknown } {
    let payload: { orderId?: unknown; fulfilment?: { address?: { region?: unknown } | null } };
    try {
      payload = JSON.parse(body);
    } catch {
      return { status: 400, value: { error: "malformed JSON" } };
    }
    const orderId = typeof payload.orderId === "string" ? payload.orderId : "";
    const region = payload.fulfilment?.address?.region;
    if (typeof region === "string" && this.plan.rejectRegions.includes(region)) {
      this.injected.rejected++;
      this.rejected.add(key);
      return { status: 422, value: { error: "permanent", message: "配送地址不在本店服务范围（permanent）" } };
    }
    const existing = this.accepted.get(key);
    if (existing) {
      existing.receipts++;
      this.duplicatesSuppressed++;
      return { status: 200, value: { received: true, duplicate: true } };
    }
    const order: AcceptedOrder = { orderId, key, receipts: 1 };
    this.accepted.set(key, order);
    const keys = this.keysByOrder.get(orderId) ?? new Set<string>();
    keys.add(key);
    this.keysByOrder.set(orderId, keys);
    this.callbackQueue.push(order);
    this.pumpCallbacks();
    return { status: 200, value: { received: true, duplicate: false } };
  }

  // -------------------------------------------------------------------------------------
  // Status callbacks
  // -------------------------------------------------------------------------------------

  private pumpCallbacks() {
    while (this.callbackWorkers < this.plan.callbackConcurrency && this.callbackQueue.length > 0) {
      this.callbackWorkers++;
      void this.callbackWorker().finally(() => {
        this.callbackWorkers--;
      });
    }
  }

  private async callbackWorker() {
    for (let order = this.callbackQueue.shift(); order; order = this.callbackQueue.shift()) {
      this.inFlight++;
      try {
        await this.runChain(order);
      } finally {
        this.inFlight--;
      }
    }
    // the queue is empty: send the late duplicates (their orders' chains are done)
    for (let event = this.lateDuplicates.shift(); event; event = this.lateDuplicates.shift()) {
      this.inFlight++;
      try {
        const answer = await this.send(event);
        this.checkDuplicate([answer]);
      } finally {
        this.inFlight--;
      }
    }
  }

  private eventOf(order: AcceptedOrder, status: CallbackStatus): CallbackEvent {
    return {
      eventId: `evt-${order.orderId}-${status}`,
      orderId: order.orderId,
      status,
      at: new Date().toISOString(),
      ...(status === "shipped" ? { carrier: "顺丰速运", trackingNo: `SF${createHash("sha256").update(order.orderId).digest("hex").slice(0, 12).toUpperCase()}` } : {}),
    };
  }

  private async runChain(order: AcceptedOrder) {
    for (const status of CALLBACK_CHAIN) {
      const event = this.eventOf(order, status);
      this.callbacks.events++;
      const twice = draw(`${this.plan.seed}|dup|${event.eventId}`) < this.plan.duplicateCallbackRate;
      if (!twice) {
        const answer = await this.send(event);
        if (answer.httpStatus !== 200) return; // recorded as unexpected; the chain cannot go on
        continue;
      }
      this.callbacks.duplicatesSent++;
      if (draw(`${this.plan.seed}|dup-when|${event.eventId}`) < 0.5) {
        // the same event twice at the same instant: exactly one may apply
        const answers = await Promise.all([this.send(event), this.send(event)]);
        this.checkDuplicate(answers);
        if (answers.every((a) => a.httpStatus !== 200)) return;
      } else {
        // the same event again after the order moved on: still a replay, never a 409
        const answer = await this.send(event);
        if (answer.httpStatus !== 200) return;
        this.lateDuplicates.push(event);
      }
    }
  }

  /** Of the sends of one event, exactly one applied it (the first send of a late duplicate was checked by send). */
  private checkDuplicate(answers: CallbackAnswer[]) {
    const applied = answers.filter((a) => a.httpStatus === 200 && a.duplicate === false).length;
    const suppressed = answers.filter((a) => a.httpStatus === 200 && a.duplicate === true).length;
    this.callbacks.duplicatesSuppressed += suppressed;
    const expectedApplied = answers.length === 1 ? 0 : 1;
    if (applied !== expectedApplied || suppressed !== answers.length - expectedApplied) this.callbacks.unexpected.push(...answers);
  }

  /** One event until the worker answers (retried with the same eventId on 5xx or a network error, as a partner would). */
  private async send(event: CallbackEvent): Promise<CallbackAnswer> {
    const body = JSON.stringify(event);
    for (let tries = 1; ; tries++) {
      while (this.down()) await sleep(200);
      this.callbacks.requests++;
      try {
        const res = await fetch(this.plan.callbackUrl, { method: "POST", headers: { "content-type": "application/json", "x-signature": signature(this.plan.secret, body) }, body, signal: AbortSignal.timeout(30_000) });
        const text = await res.text();
        if (res.status < 500 || tries >= 5) {
          let duplicate: boolean | null = null;
          try {
            const parsed: unknown = JSON.parse(text);
            if (parsed && typeof parsed === "object" && "duplicate" in parsed && typeof parsed.duplicate === "boolean") duplicate = parsed.duplicate;
          } catch {
            // not JSON: recorded below as it is
          }
          const answer = { eventId: event.eventId, httpStatus: res.status, duplicate, body: text.slice(0, 300) };
          if (res.status !== 200) this.callbacks.unexpected.push(answer);
          return answer;
        }
      } catch (err) {
        if (tries >= 5) {
          const answer = { eventId: event.eventId, httpStatus: 0, duplicate: null, body: err instanceof Error ? err.message : "network error" };
          this.callbacks.unexpected.push(answer);
          return answer;
        }
      }
      this.callbacks.retries++;
      await sleep(500 * tries);
    }
  }
}
