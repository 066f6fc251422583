/**
 * `npm run drill`: the fault drill of issue 11. The real worker bundle runs in Miniflare
 * with wrangler.toml's queues (the outbox queue, its consumer settings and its dead-letter
 * queue) and a local D1; its outbound connections go to the external test pharmacy
 * (bench/drill-pharmacy.ts), a real HTTP server in this process that fails 30% of requests
 * with 5xx and 10% with timeouts, refuses 2% of orders for good, drops every connection for
 * one 60-second outage and sends 5% of its status callbacks twice. 1,000 orders are signed
 * through the API and routed to it (deliveries to 桃源镇 go to the external 仁和, as seeded);
 * the cron is triggered as `wrangler dev --test-scheduled` would. When nothing is pending,
 * the invariants are checked, the figures printed and written to
 * bench/results/drill-latest.json and drill-<timestamp>.json; exit code 1 when any
 * invariant fails. Configuration: bench/README.md "Fault drill".
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Log, LogLevel, Miniflare } from "miniflare";
import { unstable_getMiniflareWorkerOptions } from "wrangler";
import { DEMO_CONSORTIUM } from "../seeds/demo-consortium.ts";
import { rng } from "./data.ts";
import { CALLBACK_CHAIN, DrillPharmacy, draw } from "./drill-pharmacy.ts";
import { fmt, table } from "./harness.ts";
import { benchSigningKey, loadRxFixtures, normalDraft } from "./rx.ts";
import { applyMigrations, buildWorker, describeBundle, httpRequest, ROOT, ServerLog, waitReady } from "./server.ts";

// `npm run drill -- --orders=200 --outage-seconds=30` is DRILL_ORDERS=200 DRILL_OUTAGE_SECONDS=30
for (const arg of process.argv.slice(2)) {
  const match = /^--([a-z0-9-]+)=(.*)$/.exec(arg);
  if (!match?.[1]) throw new Error(`unknown argument ${arg} (use --name=value, e.g. --orders=200)`);
  process.env[`DRILL_${match[1].replace(/-/g, "_").toUpperCase()}`] = match[2];
}
const env = process.env;
const num = (name: string, fallback: number, min = 0, max = Number.MAX_SAFE_INTEGER) => {
  const v = env[name];
  if (v === undefined || v === "") return fallback;
  const n = Number(v);
  if (!Number.isFinite(n) || n < min || n > max) throw new Error(`${name} must be a number in [${min}, ${max}], got ${v}`);
  return n;
};
const flag = (name: string, fallback: boolean) => (env[name] === undefined || env[name] === "" ? fallback : !/^(0|false|no)$/i.test(env[name] ?? ""));

const config = {
  orders: Math.round(num("DRILL_ORDERS", 1000, 1, 100_000)),
  seed: env.DRILL_SEED || "yaolian-drill-1",
  error5xxRate: num("DRILL_5XX_RATE", 0.3, 0, 1),
  timeoutRate: num("DRILL_TIMEOUT_RATE", 0.1, 0, 1),
  timeoutProcessedShare: num("DRILL_TIMEOUT_PROCESSED", 0.5, 0, 1),
  duplicateCallbackRate: num("DRILL_DUPLICATE_CALLBACK_RATE", 0.05, 0, 1),
  rejectRate: num("DRILL_REJECT_RATE", 0.02, 0, 1),
  outageSeconds: num("DRILL_OUTAGE_SECONDS", 60, 0, 3600),
  /** the outage begins once this share of the orders is signed */
  outageAfter: num("DRILL_OUTAGE_AFTER", 0.5, 0, 1),
  /** the worker's OUTBOX_TIMEOUT_MS (production default 10 s) */
  outboxTimeoutMs: num("DRILL_OUTBOX_TIMEOUT_MS", 1000, 10, 60_000),
  /** how long a timed-out request is held: longer than the outbox's timeout */
  stallMs: num("DRILL_STALL_MS", 0) || 3 * num("DRILL_OUTBOX_TIMEOUT_MS", 1000, 10, 60_000),
  /** the worker's OUTBOX_BACKOFF_BASE_SECONDS / _MAX_SECONDS (production defaults 30 / 3600) */
  backoffBaseSeconds: num("DRILL_BACKOFF_BASE_SECONDS", 1, 0, 3600),
  backoffMaxSeconds: num("DRILL_BACKOFF_MAX_SECONDS", 16, 0, 7 * 24 * 3600),
  /** the cron's period (wrangler.toml: every 5 minutes) */
  cronSeconds: num("DRILL_CRON_SECONDS", 10, 1, 3600),
  signConcurrency: Math.round(num("DRILL_SIGN_CONCURRENCY", 4, 1, 64)),
  callbackConcurrency: Math.round(num("DRILL_CALLBACK_CONCURRENCY", 4, 1, 64)),
  drainTimeoutSeconds: num("DRILL_DRAIN_TIMEOUT_SECONDS", 900, 10),
  build: flag("DRILL_BUILD", true),
  serverLog: flag("DRILL_SERVER_LOG", false),
};
if (config.stallMs <= config.outboxTimeoutMs) throw new Error(`DRILL_STALL_MS (${config.stallMs}) must exceed DRILL_OUTBOX_TIMEOUT_MS (${config.outboxTimeoutMs}): a timeout is an answer later than the outbox waits`);

const DEV_SECRET = "drill-dev-secret-not-for-production";
const API = "/api/v1";
const PHARMACY = "pharm-renhe";
const TAOYUAN = "青溪县/桃源镇";
/** the villages: orders to REFUSED_VILLAGE are refused for good by the pharmacy */
const SERVED_VILLAGE = "仁和村";
const REFUSED_VILLAGE = "远山村";
const DOCTOR = { sub: "doc-shimen-gp-intermediate", org: "inst-shimen", name: "邓春梅" };
const OUTBOX_QUEUE = "yaolian-pharmacy-outbox";

type SignDevToken = (secret: string, claims: { sub: string; role: "doctor" | "pharmacist" | "admin"; org: string; name: string }) => Promise<string>;

async function loadTokenSigner(): Promise<SignDevToken> {
  const mod = (await import(new URL("../worker/http/dev-token.ts", import.meta.url).href)) as { signDevToken: SignDevToken };
  return mod.signDevToken;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length))) - 1] as number;
}

/** Exactly round(n × rate) order indices, chosen by the seed. */
function refusedIndices(n: number, rate: number, seed: string): Set<number> {
  const random = rng(Math.floor(draw(`${seed}|refused`) * 2 ** 32));
  const indices = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [indices[i], indices[j]] = [indices[j] as number, indices[i] as number];
  }
  return new Set(indices.slice(0, Math.round(n * rate)));
}

/** The worker's JSON log lines (workerd stdout), parsed where they are JSON. */
function workerEvents(log: ServerLog): Record<string, unknown>[] {
  const events: Record<string, unknown>[] = [];
  for (const line of log.lines) {
    const start = line.indexOf("{");
    if (start < 0) continue;
    try {
      const value: unknown = JSON.parse(line.slice(start));
      if (value && typeof value === "object") events.push(value as Record<string, unknown>);
    } catch {
      // not one of the worker's JSON lines
    }
  }
  return events;
}

interface Invariant {
  name: string;
  ok: boolean;
  detail: string;
}

async function main() {
  const startedAt = new Date();
  console.log(`YaoLian fault drill ${startedAt.toISOString()}, seed "${config.seed}"`);
  console.log(`config: ${JSON.stringify(config)}`);

  // 1. the bundle a deploy would upload
  const outdir = path.join(os.tmpdir(), "yaolian-drill-dist");
  const bundle = config.build ? await buildWorker(outdir) : await describeBundle(outdir);
  console.log(`bundle: ${path.relative(ROOT, bundle.scriptPath) || bundle.scriptPath} ${fmt(bundle.bytes / 2 ** 20)} MB${config.build ? ` built in ${fmt(bundle.buildSeconds, 1)} s` : " (DRILL_BUILD=0: as it is)"}`);

  // 2. the external test pharmacy, then the worker with wrangler.toml's queues pointed at it
  const renhe = DEMO_CONSORTIUM.pharmacies.find((p) => p.id === PHARMACY);
  if (!renhe?.sharedSecret || !renhe.endpointUrl) throw new Error(`the demo seed has no external ${PHARMACY} with an endpoint and a secret`);
  const wranglerOptions = unstable_getMiniflareWorkerOptions(path.join(ROOT, "wrangler.toml")).workerOptions;
  const log = new ServerLog();
  const persistDir = await mkdtemp(path.join(os.tmpdir(), "yaolian-drill-d1-"));
  let appUrl = "";
  const pharmacy = new DrillPharmacy({
    seed: config.seed,
    secret: renhe.sharedSecret,
    error5xxRate: config.error5xxRate,
    timeoutRate: config.timeoutRate,
    timeoutProcessedShare: config.timeoutProcessedShare,
    stallMs: config.stallMs,
    duplicateCallbackRate: config.duplicateCallbackRate,
    rejectRegions: [`${TAOYUAN}/${REFUSED_VILLAGE}`],
    // read when a callback is sent: the worker's address is known only once Miniflare, which needs the pharmacy's port, is up
    get callbackUrl() {
      return `${appUrl}${API}/pharmacy-callbacks/${PHARMACY}`;
    },
    callbackConcurrency: config.callbackConcurrency,
  });
  const pharmacyPort = await pharmacy.listen();
  const signingKey = benchSigningKey();
  const mf = new Miniflare({
    host: "127.0.0.1",
    port: 0,
    d1Persist: persistDir,
    cf: false,
    log: new Log(LogLevel.ERROR),
    // the cron is triggered through /cdn-cgi/handler/scheduled, as `wrangler dev --test-scheduled` does
    unsafeTriggerHandlers: true,
    handleRuntimeStdio(stdout: NodeJS.ReadableStream, stderr: NodeJS.ReadableStream) {
      log.attach(stdout, config.serverLog);
      log.attach(stderr, config.serverLog);
    },
    workers: [
      {
        name: "app",
        modules: true,
        scriptPath: bundle.scriptPath,
        modulesRoot: path.dirname(bundle.scriptPath),
        compatibilityDate: wranglerOptions.compatibilityDate,
        compatibilityFlags: wranglerOptions.compatibilityFlags,
        d1Databases: { DB: "yaolian-drill" },
        // wrangler.toml's producer and consumers as they are: batch size and timeout, max_retries, dead-letter queue
        queueProducers: wranglerOptions.queueProducers,
        queueConsumers: wranglerOptions.queueConsumers,
        bindings: {
          ENVIRONMENT: "drill",
          DEV_LOGIN: "1",
          AUTH_DEV_SECRET: DEV_SECRET,
          RX_SIGNING_KEY: signingKey,
          // one doctor signs every order: the signing limit is not what this drill measures
          RATE_LIMIT_OVERRIDES: JSON.stringify({ "prescriptions.sign.user": 1_000_000 }),
          OUTBOX_TIMEOUT_MS: String(config.outboxTimeoutMs),
          OUTBOX_BACKOFF_BASE_SECONDS: String(config.backoffBaseSeconds),
          OUTBOX_BACKOFF_MAX_SECONDS: String(config.backoffMaxSeconds),
        },
        // every outbound connection (https://pharmacy-partner.example/...) goes to the test pharmacy's socket
        outboundService: { external: { address: `127.0.0.1:${pharmacyPort}`, http: {} } },
        unsafeDirectSockets: [{ host: "127.0.0.1", port: 0 }],
      },
    ],
  });
  const invariants: Invariant[] = [];
  const check = (name: string, ok: boolean, detail: string) => {
    invariants.push({ name, ok, detail });
    console.log(`  ${ok ? "ok  " : "FAIL"} ${name}: ${detail}`);
  };
  let stopCron = () => {};
  try {
    await mf.ready;
    appUrl = (await mf.unsafeGetDirectURL("app")).origin;
    await applyMigrations(mf);
    await waitReady(`${appUrl}/health`, (s) => s === 200);
    const fixtures = await loadRxFixtures(mf, { root: ROOT, signingKey, patientCount: config.orders });
    const db = await mf.getD1Database("DB", "app");
    console.log(`worker ${appUrl}, pharmacy http://127.0.0.1:${pharmacyPort} (as ${renhe.endpointUrl}), D1 in ${persistDir}; ${fixtures.patients.length} patients seeded`);

    // 3. the cron, every cronSeconds, while the drill runs
    const cron = { runs: 0, failures: 0 };
    let cronOn = true;
    const cronLoop = (async () => {
      while (cronOn) {
        await sleep(config.cronSeconds * 1000);
        if (!cronOn) break;
        const res = await mf.dispatchFetch(`http://localhost/cdn-cgi/handler/scheduled?cron=${encodeURIComponent("*/5 * * * *")}&time=${Date.now()}`);
        await res.text();
        cron.runs++;
        if (!res.ok) cron.failures++;
      }
    })();
    stopCron = () => {
      cronOn = false;
    };

    // 4. sign the orders through the API; the outage begins part-way
    const token = await (await loadTokenSigner())(DEV_SECRET, { ...DOCTOR, role: "doctor" });
    const refused = refusedIndices(config.orders, config.rejectRate, config.seed);
    const orderIds: string[] = new Array(config.orders);
    const refusedOrders = new Set<string>();
    const signFailures: string[] = [];
    let signed = 0;
    const t0 = Date.now();
    let next = 0;
    const signer = async () => {
      for (let i = next++; i < config.orders; i = next++) {
        const draft = normalDraft(fixtures.entries, fixtures.patients[i] as string, i);
        const village = refused.has(i) ? REFUSED_VILLAGE : SERVED_VILLAGE;
        const body = { ...draft, fulfilment: { mode: "delivery", address: { region: `${TAOYUAN}/${village}`, line: `桃源镇${village} ${1 + (i % 9)} 组 ${1 + (i % 40)} 号`, phone: "13800000000" } } };
        const res = await httpRequest(`${appUrl}${API}/prescriptions`, {
          method: "POST",
          headers: { authorization: `Bearer ${token}`, "content-type": "application/json", "idempotency-key": `drill-${config.seed}-${i}` },
          body: JSON.stringify(body),
        });
        const rx = res.status === 201 ? (JSON.parse(res.text) as { orders?: { id: string; pharmacyId: string }[] }) : null;
        const order = rx?.orders?.length === 1 ? rx.orders[0] : undefined;
        if (!order || order.pharmacyId !== PHARMACY) {
          signFailures.push(`#${i}: HTTP ${res.status} ${res.text.slice(0, 300)}`);
          continue;
        }
        orderIds[i] = order.id;
        if (refused.has(i)) refusedOrders.add(order.id);
        signed++;
        if (signed % 100 === 0) console.log(`  +${fmt((Date.now() - t0) / 1000, 0)} s: ${signed} signed, ${pharmacy.accepted.size} accepted by the pharmacy, ${pharmacy.requests} requests`);
        if (!pharmacy.outage && config.outageSeconds > 0 && signed >= config.orders * config.outageAfter) {
          const outage = pharmacy.startOutage(config.outageSeconds * 1000);
          console.log(`outage: the pharmacy drops every connection from +${fmt((outage.from - t0) / 1000, 1)} s for ${config.outageSeconds} s`);
        }
      }
    };
    await Promise.all(Array.from({ length: config.signConcurrency }, signer));
    const signedAt = Date.now();
    console.log(`signed ${signed} of ${config.orders} orders in ${fmt((signedAt - t0) / 1000, 1)} s (${fmt(signed / ((signedAt - t0) / 1000), 1)}/s), ${refusedOrders.size} to ${REFUSED_VILLAGE}`);
    if (signFailures.length) console.log(`  sign failures: ${signFailures.slice(0, 5).join("\n  ")}`);
    const ids = JSON.stringify(orderIds.filter(Boolean));

    // 5. wait until nothing is pending, every dead row is dead-lettered and every callback sent
    const deadline = Date.now() + config.drainTimeoutSeconds * 1000;
    let drainedAt: number | null = null;
    let lastReport = 0;
    const outage = pharmacy.outage;
    while (Date.now() < deadline) {
      const row = await db
        .prepare(
          `SELECT (SELECT count(*) FROM outbox WHERE order_id IN (SELECT value FROM json_each(?1)) AND state = 'pending') AS pending,
                  (SELECT count(*) FROM outbox WHERE order_id IN (SELECT value FROM json_each(?1)) AND state = 'dead') AS dead,
                  (SELECT count(DISTINCT entity_id) FROM audit_events WHERE action = 'outbox.dead_letter') AS dlq`,
        )
        .bind(ids)
        .first<{ pending: number; dead: number; dlq: number }>();
      const outageOver = !outage || Date.now() >= outage.to;
      if (row && outageOver && row.pending === 0 && row.dlq >= row.dead && pharmacy.callbacksIdle) {
        drainedAt = Date.now();
        break;
      }
      if (Date.now() - lastReport > 15_000) {
        lastReport = Date.now();
        console.log(`  +${fmt((Date.now() - t0) / 1000, 0)} s: ${row?.pending} pending, ${row?.dead} dead (${row?.dlq} dead-lettered), ${pharmacy.accepted.size} accepted, ${pharmacy.requests} requests, cron runs ${cron.runs}`);
      }
      await sleep(1000);
    }
    stopCron();
    await cronLoop;

    // 6. what the worker and the pharmacy hold
    const rows = (
      await db
        .prepare("SELECT id, order_id AS orderId, kind, state, attempts, last_error AS lastError, idempotency_key AS idempotencyKey FROM outbox WHERE order_id IN (SELECT value FROM json_each(?))")
        .bind(ids)
        .all<{ id: string; orderId: string; kind: string; state: string; attempts: number; lastError: string | null; idempotencyKey: string }>()
    ).results;
    const orders = (
      await db.prepare("SELECT id, status, pharmacy_id AS pharmacyId FROM orders WHERE id IN (SELECT value FROM json_each(?))").bind(ids).all<{ id: string; status: string; pharmacyId: string }>()
    ).results;
    const dlqAudits = (await db.prepare("SELECT entity_id AS id, count(*) AS n FROM audit_events WHERE action = 'outbox.dead_letter' GROUP BY entity_id").all<{ id: string; n: number }>()).results;
    const callbackEvents = (
      await db
        .prepare("SELECT order_id AS orderId, to_status AS status, count(*) AS n FROM order_events WHERE source = 'callback' AND order_id IN (SELECT value FROM json_each(?)) GROUP BY order_id, to_status")
        .bind(ids)
        .all<{ orderId: string; status: string; n: number }>()
    ).results;
    const storedEventIds = (await db.prepare("SELECT count(*) AS n FROM pharmacy_callback_events WHERE pharmacy_id = ?").bind(PHARMACY).first<{ n: number }>())?.n ?? 0;

    // 7. the invariants
    console.log("invariants:");
    const created = rows.filter((r) => r.kind === "order.created");
    check("orders signed and routed to the external pharmacy", signed === config.orders && created.length === config.orders, `${signed} signed, ${created.length} order.created outbox rows for ${config.orders} orders`);
    const pending = rows.filter((r) => r.state === "pending");
    check("none lost: nothing left pending", drainedAt !== null && pending.length === 0, drainedAt === null ? `not drained within ${config.drainTimeoutSeconds} s: ${pending.length} pending` : "every row delivered or dead");
    const delivered = new Set(rows.filter((r) => r.state === "delivered").map((r) => r.idempotencyKey));
    const dead = rows.filter((r) => r.state === "dead");
    const acceptedKeys = new Set(pharmacy.accepted.keys());
    const notHeld = [...delivered].filter((k) => !acceptedKeys.has(k));
    const heldNotDelivered = [...acceptedKeys].filter((k) => !delivered.has(k));
    check("delivered exactly once by key: delivered rows = keys the pharmacy accepted", notHeld.length === 0 && heldNotDelivered.length === 0, `${delivered.size} delivered, ${acceptedKeys.size} accepted keys; delivered but not held ${notHeld.length}, held but not delivered ${heldNotDelivered.length}`);
    const doubled = [...pharmacy.keysByOrder.entries()].filter(([, keys]) => keys.size > 1);
    const foreign = [...pharmacy.accepted.values()].filter((o) => !orders.some((x) => x.id === o.orderId));
    check("none doubled: one accepted key per order at the pharmacy", doubled.length === 0 && foreign.length === 0, `${pharmacy.keysByOrder.size} orders held, ${doubled.length} with more than one key, ${foreign.length} unknown`);
    const expectedDead = new Set(created.filter((r) => refusedOrders.has(r.orderId)).map((r) => r.id));
    const deadIds = new Set(dead.map((r) => r.id));
    const wrongDead = dead.filter((r) => !expectedDead.has(r.id) || !/^rejected 422/.test(r.lastError ?? ""));
    const missingDead = [...expectedDead].filter((id) => !deadIds.has(id));
    check("dead rows are exactly the permanent rejections", wrongDead.length === 0 && missingDead.length === 0, `${dead.length} dead, ${expectedDead.size} refused by the pharmacy; transient dead-lettered ${wrongDead.length}, refused not dead ${missingDead.length}`);
    const dlqIds = new Set(dlqAudits.map((a) => a.id));
    const dlqWrong = [...dlqIds].filter((id) => !expectedDead.has(id));
    const dlqMissing = [...expectedDead].filter((id) => !dlqIds.has(id));
    check("the DLQ holds only the permanent rejections, each of them", dlqWrong.length === 0 && dlqMissing.length === 0, `${dlqIds.size} dead-lettered (${dlqAudits.reduce((s, a) => s + a.n, 0)} messages); not a rejection ${dlqWrong.length}, rejection missing ${dlqMissing.length}`);
    const refusedState = orders.filter((o) => refusedOrders.has(o.id));
    const refusedStuck = refusedState.filter((o) => o.pharmacyId === PHARMACY && o.status !== "returned");
    check("each refused order left the pharmacy (re-routed or returned to the doctor)", refusedStuck.length === 0, `${refusedState.filter((o) => o.pharmacyId !== PHARMACY).length} re-routed, ${refusedState.filter((o) => o.status === "returned").length} returned, ${refusedStuck.length} still at ${PHARMACY}`);
    const rejectedKeys = [...pharmacy.rejected];
    check("the pharmacy refused only the orders sent to a region it does not serve", rejectedKeys.every((k) => expectedDead.has(k)), `${rejectedKeys.length} keys refused`);
    const final = CALLBACK_CHAIN[CALLBACK_CHAIN.length - 1];
    const notFinal = [...pharmacy.accepted.values()].filter((o) => orders.find((x) => x.id === o.orderId)?.status !== final);
    check(`every accepted order reached "${final}" by its callbacks`, notFinal.length === 0, `${pharmacy.accepted.size - notFinal.length} of ${pharmacy.accepted.size}`);
    const twice = callbackEvents.filter((e) => e.n > 1);
    const perOrder = callbackEvents.length;
    check("duplicate callbacks changed nothing twice", twice.length === 0 && pharmacy.callbacks.unexpected.length === 0 && storedEventIds === pharmacy.callbacks.events && perOrder === pharmacy.callbacks.events, `${pharmacy.callbacks.events} events, ${storedEventIds} event ids stored, ${perOrder} transitions recorded, ${twice.length} applied twice, ${pharmacy.callbacks.duplicatesSuppressed} of ${pharmacy.callbacks.duplicatesSent} duplicates answered duplicate, ${pharmacy.callbacks.unexpected.length} unexpected answers${pharmacy.callbacks.unexpected[0] ? ` (first: ${JSON.stringify(pharmacy.callbacks.unexpected[0])})` : ""}`);
    check("every request signed and keyed", pharmacy.badSignatures === 0 && pharmacy.missingKeys === 0, `${pharmacy.badSignatures} bad signatures, ${pharmacy.missingKeys} without Idempotency-Key`);
    const events = workerEvents(log);
    const troubles = events.filter((e) => e.msg === "outbox outcome could not be recorded" || e.msg === "dead letter could not be recorded" || e.msg === "outbox batch could not be loaded");
    const uncaught = log.lines.filter((l) => /Uncaught|exceeded|Error: /.test(l) && !l.startsWith("{"));
    check("the worker recorded every outcome (no errors in its log)", troubles.length === 0 && uncaught.length === 0 && cron.failures === 0, `${troubles.length} outcome errors, ${uncaught.length} uncaught, ${cron.failures} failed cron runs${uncaught[0] ? ` (first: ${uncaught[0].slice(0, 200)})` : ""}`);

    // 8. the figures
    const requestsPerKey = created.map((r) => pharmacy.requestsByKey.get(r.idempotencyKey) ?? 0);
    const retries = requestsPerKey.map((n) => Math.max(0, n - 1)).sort((a, b) => a - b);
    const attemptsDisagree = created.filter((r) => r.attempts !== (pharmacy.requestsByKey.get(r.idempotencyKey) ?? 0)).length;
    const failed = events.filter((e) => e.msg === "outbox delivery failed; will retry");
    const failureKinds: Record<string, number> = {};
    for (const e of failed) {
      const kind = String(e.error ?? "?").replace(/\d+ ms/, "N ms");
      failureKinds[kind] = (failureKinds[kind] ?? 0) + 1;
    }
    const cronRuns = events.filter((e) => e.msg === "cron run");
    const dlqReasons: Record<string, number> = {};
    for (const r of dead) {
      const reason = (r.lastError ?? "?").slice(0, 120);
      dlqReasons[reason] = (dlqReasons[reason] ?? 0) + 1;
    }
    const outageWindow = pharmacy.outage;
    const lastSignedOffset = (signedAt - t0) / 1000;
    const figures = {
      orders: config.orders,
      delivered: delivered.size,
      dead: dead.length,
      requests: pharmacy.requests,
      attempts: { total: requestsPerKey.reduce((s, n) => s + n, 0), recordedByOutbox: created.reduce((s, r) => s + r.attempts, 0), rowsWhereOutboxAndPharmacyDisagree: attemptsDisagree },
      injected: pharmacy.injected,
      answers: pharmacy.answers,
      workerSaw: { ...failureKinds, handedOverToSweep: events.filter((e) => e.msg === "outbox delivery handed over to the sweep").length, rejected: events.filter((e) => e.msg === "outbox message rejected by the pharmacy: dead").length },
      outage: outageWindow
        ? { from: new Date(outageWindow.from).toISOString(), to: new Date(outageWindow.to).toISOString(), fromSeconds: (outageWindow.from - t0) / 1000, toSeconds: (outageWindow.to - t0) / 1000, connectionsDropped: pharmacy.injected.outage }
        : null,
      retriesPerOrder: { p50: percentile(retries, 50), p90: percentile(retries, 90), p99: percentile(retries, 99), max: retries.at(-1) ?? 0, mean: retries.reduce((s, n) => s + n, 0) / Math.max(1, retries.length) },
      seconds: {
        signing: lastSignedOffset,
        drainedAt: drainedAt === null ? null : (drainedAt - t0) / 1000,
        drainAfterLastSigned: drainedAt === null ? null : (drainedAt - signedAt) / 1000,
        drainAfterOutage: drainedAt === null || !outageWindow ? null : (drainedAt - outageWindow.to) / 1000,
      },
      duplicatesSuppressed: { deliveriesByKey: pharmacy.duplicatesSuppressed, callbacks: pharmacy.callbacks.duplicatesSuppressed, duplicateCallbacksSent: pharmacy.callbacks.duplicatesSent },
      lateAnswersToGoneWorker: pharmacy.lateAnswers,
      /** requests for keys whose 200 had already reached the worker: second queue messages for a delivered row (sweep re-sends of rows still queued, at-least-once delivery) */
      requestsAfterAcknowledged: pharmacy.afterAcknowledged,
      callbacks: { events: pharmacy.callbacks.events, requests: pharmacy.callbacks.requests, retries: pharmacy.callbacks.retries },
      dlq: { count: dlqIds.size, messages: dlqAudits.reduce((s, a) => s + a.n, 0), reasons: dlqReasons },
      cron: { runs: cron.runs, resentBySweep: cronRuns.reduce((s, e) => s + (typeof e.resent === "number" ? e.resent : 0), 0) },
    };
    console.log(
      `\nfigures (seed "${config.seed}"):\n${table(
        ["figure", "value"],
        [
          ["orders", `${figures.orders} (${figures.delivered} delivered, ${figures.dead} refused for good)`],
          ["attempts (requests with a key)", `${figures.attempts.total} (outbox counted ${figures.attempts.recordedByOutbox})`],
          ["5xx injected", pharmacy.injected.error5xx],
          ["timeouts injected", `${pharmacy.injected.timeout} (${pharmacy.injected.timeoutProcessed} processed before the silence), stall ${config.stallMs} ms > timeout ${config.outboxTimeoutMs} ms`],
          ["outage window", figures.outage ? `${figures.outage.from} → ${figures.outage.to} (+${fmt(figures.outage.fromSeconds, 1)} s … +${fmt(figures.outage.toSeconds, 1)} s), ${figures.outage.connectionsDropped} connections dropped` : "none"],
          ["permanent rejections (422)", `${pharmacy.injected.rejected} answers for ${pharmacy.rejected.size} orders`],
          ["retries per order p50 / p90 / p99 / max", `${figures.retriesPerOrder.p50} / ${figures.retriesPerOrder.p90} / ${figures.retriesPerOrder.p99} / ${figures.retriesPerOrder.max} (mean ${fmt(figures.retriesPerOrder.mean)})`],
          ["signing", `${fmt(lastSignedOffset, 1)} s`],
          ["time to drain", figures.seconds.drainedAt === null ? "NOT DRAINED" : `${fmt(figures.seconds.drainedAt, 1)} s from the first order; ${fmt(figures.seconds.drainAfterLastSigned, 1)} s after the last was signed; ${fmt(figures.seconds.drainAfterOutage, 1)} s after the outage ended`],
          ["duplicates suppressed", `${figures.duplicatesSuppressed.deliveriesByKey} redeliveries of accepted keys (${figures.requestsAfterAcknowledged} after the 200 had reached the worker); ${figures.duplicatesSuppressed.callbacks} of ${figures.duplicatesSuppressed.duplicateCallbacksSent} duplicate callbacks`],
          ["worker saw", JSON.stringify(figures.workerSaw)],
          ["cron runs / rows re-sent by the sweep", `${figures.cron.runs} / ${figures.cron.resentBySweep}`],
          ["DLQ", `${figures.dlq.count} rows (${figures.dlq.messages} messages): ${Object.entries(dlqReasons).map(([r, n]) => `${n}× ${r}`).join("; ") || "-"}`],
        ],
      )}`,
    );
    const failedInvariants = invariants.filter((i) => !i.ok);
    const result = {
      startedAt: startedAt.toISOString(),
      command: `npm run drill${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(" ")}` : ""}`,
      seed: config.seed,
      config,
      machine: { node: process.version, cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? "unknown", loadAverage: os.loadavg() },
      bundle: { bytes: bundle.bytes, sha256: bundle.sha256 },
      wrangler: { queueConsumers: wranglerOptions.queueConsumers, note: `the consumer settings of ${OUTBOX_QUEUE} and its DLQ, as wrangler.toml has them` },
      figures,
      invariants,
      ok: failedInvariants.length === 0,
      signFailures: signFailures.slice(0, 20),
    };
    const name = `drill-${startedAt.toISOString().replace(/:/g, "-").replace(/\.\d+Z$/, "Z")}.json`;
    for (const file of [name, "drill-latest.json"]) await writeFile(path.join(ROOT, "bench/results", file), `${JSON.stringify(result, null, 2)}\n`);
    console.log(`\n${failedInvariants.length === 0 ? "PASS: every invariant holds" : `FAIL: ${failedInvariants.map((i) => i.name).join("; ")}`}\nresults: bench/results/${name} and bench/results/drill-latest.json`);
    if (failedInvariants.length > 0) process.exitCode = 1;
  } finally {
    stopCron();
    await mf.dispose().catch(() => {});
    await pharmacy.close();
    await rm(persistDir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
  process.exitCode = 1;
});
