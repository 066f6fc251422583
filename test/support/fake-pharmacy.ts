/**
 * A fake external pharmacy that can fail. It runs in Node, inside vitest's process: vitest.config.ts
 * makes it the workers' outbound service (miniflare `outboundService`), so every fetch the
 * worker or a test makes to https://pharmacy-partner.example/... lands here.
 *
 * URLs: /<scenario>/orders             the order endpoint (any other path but the two below too)
 *       /<scenario>/__control  POST    a FailurePlan: replaces the plan (records are kept)
 *       /<scenario>/__state    GET     what it received (ScenarioState)
 * Test files run concurrently against this one object, so each uses its own scenario (the
 * first path segment of its pharmacy's endpointUrl); an unknown scenario accepts everything.
 *
 * Like a real partner it applies each order once per Idempotency-Key: `orders` holds one
 * entry per key, while `receipts` counts every request it processed, duplicates included.
 * Failure decisions are deterministic: permanent rejections by the order's content (the same
 * order is rejected on every attempt), transient ones per (key, attempt number).
 */

export const FAKE_PHARMACY_HOST = "pharmacy-partner.example";

export interface FailurePlan {
  /** verify X-Signature with this secret; without it signatures are recorded as unchecked */
  secret?: string;
  /** every request answered 503 and nothing processed, until a new plan lifts it */
  outage?: boolean;
  /** answer every order request with this status, nothing processed (e.g. 408, 429, 404) */
  forceStatus?: number;
  /** per attempt: a 5xx before anything is processed */
  errorRate?: number;
  /** per attempt: processed, then answered 500 (the acknowledgement is lost) */
  lostAckRate?: number;
  /** per attempt: processed, answered only after slowMs (longer than the worker's timeout) */
  slowRate?: number;
  slowMs?: number;
  /** a permanent 422, on every attempt, for orders delivered to these regions (a village it cannot serve) */
  rejectRegions?: string[];
  seed?: string;
}

export interface OrderRecord {
  orderId: string | null;
  kind: string | null;
  /** processed requests with this key (1 + duplicates) */
  receipts: number;
}

/** One request as the pharmacy saw it (the outage answers before any check: signature unchecked). */
export interface ReceivedRequest {
  key: string | null;
  signature: "valid" | "invalid" | "unchecked";
  /** the status answered (0 while a slow answer is pending) */
  status: number;
  /** the order was taken in (a receipt) */
  processed: boolean;
}

export interface ScenarioState {
  plan: FailurePlan;
  /** every request to the order endpoint, whatever its answer */
  requests: number;
  /** requests processed (order taken in), duplicates included */
  receipts: number;
  /** one entry per Idempotency-Key: what the pharmacy actually holds */
  orders: Record<string, OrderRecord>;
  /** keys answered with a permanent rejection */
  rejected: string[];
  /** requests per key that reached the order logic (the attempt number of the fault draw) */
  attempts: Record<string, number>;
  badSignatures: number;
  missingKeys: number;
  injected: { outage: number; error5xx: number; lostAck: number; slow: number; rejected: number };
  answers: Record<string, number>;
  /** every request to the order endpoint, in arrival order */
  log: ReceivedRequest[];
}

export interface FakeRequest {
  method: string;
  url: string;
  headers: { get(name: string): string | null };
  text(): Promise<string>;
}

export interface FakeResponse {
  status: number;
  body: string;
  headers: Record<string, string>;
}

/** FNV-1a, 32 bits, mixed, as a fraction in [0, 1): a stable per-key "random" draw. */
function draw(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  // murmur3's finaliser: without it, keys that differ in their last character draw nearly the same value
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return (h >>> 0) / 2 ** 32;
}

type Fault = "error5xx" | "lostAck" | "slow" | null;

/** The transient fault of the n-th request with this key (errors, lost acknowledgements, slow answers share one draw). */
export function faultOf(plan: FailurePlan, key: string, n: number): Fault {
  const x = draw(`${plan.seed ?? ""}|attempt|${key}|${n}`);
  const e = plan.errorRate ?? 0;
  const l = plan.lostAckRate ?? 0;
  const s = plan.slowRate ?? 0;
  if (x < e) return "error5xx";
  if (x < e + l) return "lostAck";
  if (x < e + l + s) return "slow";
  return null;
}

function emptyState(plan: FailurePlan): ScenarioState {
  return { plan, requests: 0, receipts: 0, orders: {}, rejected: [], attempts: {}, badSignatures: 0, missingKeys: 0, injected: { outage: 0, error5xx: 0, lostAck: 0, slow: 0, rejected: 0 }, answers: {}, log: [] };
}

const encoder = new TextEncoder();

async function signatureValid(secret: string, body: string, header: string | null): Promise<boolean> {
  // an independent check of the wire format: t=<unix>,v1=<hex HMAC-SHA256(secret, t.body)>
  const match = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header ?? "");
  if (!match?.[1] || !match[2]) return false;
  if (Math.abs(Date.now() / 1000 - Number(match[1])) > 300) return false;
  const key = await crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, encoder.encode(`${match[1]}.${body}`)));
  const hex = [...mac].map((b) => b.toString(16).padStart(2, "0")).join("");
  return hex === match[2];
}

const json = (status: number, value: unknown, headers: Record<string, string> = {}): FakeResponse => ({
  status,
  body: JSON.stringify(value),
  headers: { "content-type": "application/json", ...headers },
});

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class FakePharmacy {
  private readonly scenarios = new Map<string, ScenarioState>();

  private scenario(name: string): ScenarioState {
    let state = this.scenarios.get(name);
    if (!state) {
      state = emptyState({});
      this.scenarios.set(name, state);
    }
    return state;
  }

  async handle(req: FakeRequest): Promise<FakeResponse> {
    const url = new URL(req.url);
    const [name = "default", action = ""] = url.pathname.split("/").filter(Boolean);
    if (action === "__control" && req.method === "POST") {
      this.scenario(name).plan = JSON.parse(await req.text()) as FailurePlan;
      return json(200, { ok: true });
    }
    if (action === "__state" && req.method === "GET") return json(200, this.scenario(name));
    const state = this.scenario(name);
    const entry: ReceivedRequest = { key: req.headers.get("idempotency-key"), signature: "unchecked", status: 0, processed: false };
    state.log.push(entry);
    const answer = await this.receive(state, req, entry);
    entry.status = answer.status;
    state.answers[answer.status] = (state.answers[answer.status] ?? 0) + 1;
    return answer;
  }

  private async receive(state: ScenarioState, req: FakeRequest, entry: ReceivedRequest): Promise<FakeResponse> {
    state.requests++;
    const { plan } = state;
    const body = await req.text();
    if (plan.outage) {
      state.injected.outage++;
      return json(503, { error: "maintenance" }, { "retry-after": "1" });
    }
    if (plan.forceStatus) return json(plan.forceStatus, { error: "forced" }, plan.forceStatus === 429 ? { "retry-after": "1" } : {});
    if (plan.secret) {
      entry.signature = (await signatureValid(plan.secret, body, req.headers.get("x-signature"))) ? "valid" : "invalid";
      if (entry.signature === "invalid") {
        state.badSignatures++;
        return json(401, { error: "bad signature" });
      }
    }
    const key = req.headers.get("idempotency-key");
    if (!key) {
      state.missingKeys++;
      return json(400, { error: "Idempotency-Key required" });
    }
    let payload: { orderId?: string; type?: string; fulfilment?: { address?: { region?: string } | null } };
    try {
      payload = JSON.parse(body);
    } catch {
      return json(400, { error: "malformed JSON" });
    }
    const region = payload.fulfilment?.address?.region ?? "";
    if (plan.rejectRegions?.includes(region)) {
      state.injected.rejected++;
      if (!state.rejected.includes(key)) state.rejected.push(key);
      return json(422, { error: "region not served" });
    }
    const attempt = (state.attempts[key] ?? 0) + 1;
    state.attempts[key] = attempt;
    const fault = faultOf(plan, key, attempt);
    if (fault === "error5xx") {
      state.injected.error5xx++;
      return json(attempt % 2 ? 500 : 502, { error: "upstream" });
    }
    // processed: the order is taken in once per key, every receipt is counted
    entry.processed = true;
    state.receipts++;
    const existing = state.orders[key];
    if (existing) existing.receipts++;
    else state.orders[key] = { orderId: payload.orderId ?? null, kind: payload.type ?? null, receipts: 1 };
    if (fault === "lostAck") {
      state.injected.lostAck++;
      return json(500, { error: "crashed after saving" });
    }
    if (fault === "slow") {
      state.injected.slow++;
      await sleep(plan.slowMs ?? 1000);
    }
    return json(200, { received: true, duplicate: existing !== undefined });
  }
}

/** The one instance behind the outbound service of every test worker. */
export const fakePharmacy = new FakePharmacy();

/** The outbound service: the fake pharmacy's host, and nothing else (tests have no network). */
export async function handleOutbound(req: FakeRequest): Promise<FakeResponse> {
  if (new URL(req.url).hostname === FAKE_PHARMACY_HOST) return fakePharmacy.handle(req);
  return json(502, { error: `no network in tests (${new URL(req.url).hostname})` });
}
