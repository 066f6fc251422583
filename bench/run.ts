/**
 * `npm run bench`: build the worker bundle, serve it with Miniflare next to a floor worker
 * (one raw D1 lookup) on one shared D1 database, import 10k entries through the real bulk
 * import, load the read paths with autocannon, then import 100k more. Prints a table and
 * writes bench/results/<timestamp>.json and latest.json. See bench/README.md.
 */
import { execFileSync } from "node:child_process";
import { rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { codeOf, type EntryJson, makeEntries, pinyinPrefixes, rng } from "./data.ts";
import { type ChunkedImportResult, chunkedImport, importProbeTargets } from "./import-jobs.ts";
import { compareToBaselines, cpuBusy, cpuSampler, fmt, insideWorker, measure, type RunResult, runsTable, type Scenario, scenario, table, writeResults } from "./harness.ts";
import { openLoop } from "./open-loop.ts";
import { type ReportsScaleResult, reportsScale, reportsScaleTargets } from "./reports-scale.ts";
import { benchSigningKey, loadRxFixtures, PICKUP_PHARMACY, PICKUP_SITE, RENEWAL, renewalDraft, type SignDoctor, signDraft, signShape } from "./rx.ts";
import { applyMigrations, buildWorker, describeBundle, dirSize, httpRequest, ROOT, type Servers, startServers, waitReady } from "./server.ts";

const env = process.env;
const num = (name: string, fallback: number) => {
  const v = env[name];
  if (v === undefined || v === "") return fallback;
  const n = Number(v);
  if (!Number.isFinite(n)) throw new Error(`${name} must be a number, got ${v}`);
  return n;
};
const flag = (name: string, fallback: boolean) => (env[name] === undefined || env[name] === "" ? fallback : !/^(0|false|no)$/i.test(env[name] ?? ""));

const config = {
  seconds: num("BENCH_SECONDS", 5),
  rounds: Math.max(1, Math.round(num("BENCH_ROUNDS", 5))),
  warmupSeconds: num("BENCH_WARMUP_SECONDS", 1),
  connections: (env.BENCH_CONNECTIONS ?? "1,10").split(",").map((c) => Number(c.trim())).filter((c) => c > 0),
  port: num("BENCH_PORT", 0),
  outdir: env.BENCH_OUTDIR ?? "dist",
  build: flag("BENCH_BUILD", true),
  entries: num("BENCH_ENTRIES", 10_000),
  bigImport: num("BENCH_BIG_IMPORT", 100_000),
  readsAfterBigImport: flag("BENCH_READS_AFTER_BIG_IMPORT", false),
  echoServerLog: flag("BENCH_SERVER_LOG", false),
  keepDb: flag("BENCH_KEEP_DB", false),
  importTimeoutSeconds: num("BENCH_IMPORT_TIMEOUT_SECONDS", 900),
  importProbe: flag("BENCH_IMPORT_PROBE", true),
  waitQuietSeconds: num("BENCH_WAIT_QUIET_SECONDS", 0),
  seed: num("BENCH_SEED", 1),
  /** sign-and-route gets one fresh patient per request: patients are sized for at most this rate */
  signMaxRps: num("BENCH_SIGN_MAX_RPS", 1000),
  /** the open-loop sign run's arrival rate (a province's peak), and the floor's beside it */
  signRate: num("BENCH_SIGN_RATE", 150),
  /** no signing doctor signs more than this many in a run (the product's limit is 30 a minute) */
  signsPerDoctor: num("BENCH_SIGNS_PER_DOCTOR", 20),
  /** reports on a year of data (bench/reports-scale.ts): prescriptions built in D1; 0 skips the phase */
  reportsRx: num("BENCH_REPORTS_RX", 2_000_000),
};

/** The targets of the issue. */
const TARGETS = { searchP99VsFloor: 2, import10kSeconds: 1, import100kSeconds: 15, validateP99VsFloor: 3, signedPerSecond: 150, signP99VsFloor: 4, importFloorP99Ms: 250, importValidateP99VsFloor: 3 };
/** sign-and-route runs at this connection count only (issue 4) */
const SIGN_CONNECTIONS = 10;
/** signShape's cycle of routes (pickup, desk delivery, external delivery) with 1–3 items: the pre-flight signs one of each of the first four */
const SIGN_SHAPES = 4;
const DEV_SECRET = "bench-dev-secret-not-for-production";
const API = "/api/v1";

type SignDevToken = (secret: string, claims: { sub: string; role: "doctor" | "pharmacist" | "admin"; org: string; name: string }) => Promise<string>;

/** The app's own token signer (loaded by tsx at run time; kept out of the Node typecheck, which has no workers types). */
async function loadSigner(): Promise<SignDevToken> {
  const specifier = new URL("../worker/http/dev-token.ts", import.meta.url).href;
  const mod = (await import(specifier)) as { signDevToken: SignDevToken };
  return mod.signDevToken;
}

function git(args: string[]): string | null {
  try {
    // read-only; GIT_OPTIONAL_LOCKS=0 keeps `status` from refreshing the index
    return execFileSync("git", args, { cwd: ROOT, env: { ...env, GIT_OPTIONAL_LOCKS: "0" }, stdio: ["ignore", "pipe", "ignore"] }).toString().trim();
  } catch {
    return null;
  }
}

function machine() {
  const status = git(["status", "--porcelain", "--untracked-files=no"]);
  return {
    node: process.version,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? "unknown",
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    loadAverage: os.loadavg().map((l) => Math.round(l * 100) / 100),
    gitCommit: git(["rev-parse", "HEAD"]),
    gitDirty: status === null ? null : status !== "",
  };
}

interface ImportResult {
  label: string;
  dryRun: boolean;
  rows: number;
  bodyMB: number;
  ok: boolean;
  status: number | null;
  seconds: number;
  rowsPerSecond: number | null;
  summary?: Record<string, number>;
  formularyVersion?: number;
  error?: string;
  serverLogSamples: string[];
  rowsInDbAfter: number | null;
  /** sequential floor lookups made while the import ran: how long the import holds up readers */
  readsDuringImport?: { count: number; p50Ms: number; maxMs: number; errors: number; firstError?: string };
  /** cores kept busy by other processes while the import ran */
  otherProcessesCores?: number | null;
}

/** Sequential floor lookups every 50 ms until stopped (workerd runs on one thread: a busy import delays them). */
function probeReads(servers: Servers) {
  const times: number[] = [];
  const errors: string[] = [];
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      try {
        times.push((await httpRequest(`${servers.floorUrl}/?code=B00001`, { timeoutMs: 120_000 })).ms);
      } catch (err) {
        errors.push(err instanceof Error ? err.message : String(err));
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  })();
  return async () => {
    stopped = true;
    await loop;
    const sorted = [...times].sort((a, b) => a - b);
    return {
      count: sorted.length,
      p50Ms: sorted[Math.floor(sorted.length / 2)] ?? Number.NaN,
      maxMs: sorted.at(-1) ?? Number.NaN,
      errors: errors.length,
      ...(errors[0] ? { firstError: errors[0] } : {}),
    };
  };
}

async function countEntries(servers: Servers): Promise<number | null> {
  try {
    const db = await servers.mf.getD1Database("DB", "app");
    const row = await db.prepare("SELECT count(*) AS n FROM formulary_entries").first<{ n: number }>();
    return row?.n ?? null;
  } catch {
    return null;
  }
}

async function timedImport(servers: Servers, adminToken: string, label: string, entries: EntryJson[], dryRun = false): Promise<ImportResult> {
  const body = JSON.stringify(entries);
  const bodyMB = Buffer.byteLength(body) / 2 ** 20;
  process.stdout.write(`import ${label}: ${entries.length} rows, ${fmt(bodyMB, 1)} MB … `);
  const mark = servers.log.mark();
  const base = { label, dryRun, rows: entries.length, bodyMB };
  let res: Awaited<ReturnType<typeof httpRequest>>;
  const stopProbe = config.importProbe ? probeReads(servers) : null;
  const cpu = await cpuSampler();
  const started = performance.now();
  try {
    res = await httpRequest(`${servers.appUrl}${API}/formulary/imports${dryRun ? "?dryRun=true" : ""}`, {
      method: "POST",
      headers: { authorization: `Bearer ${adminToken}`, "content-type": "application/json" },
      body,
      timeoutMs: config.importTimeoutSeconds * 1000,
    });
  } catch (err) {
    await stopProbe?.();
    const seconds = (performance.now() - started) / 1000;
    const error = `request failed after ${fmt(seconds, 1)} s: ${err instanceof Error ? err.message : String(err)}`;
    console.log(`FAILED (${error})`);
    return { ...base, ok: false, status: null, seconds, rowsPerSecond: null, error, serverLogSamples: servers.log.since(mark).slice(0, 10), rowsInDbAfter: await countEntries(servers) };
  }
  const readsDuringImport = await stopProbe?.();
  const used = await cpu();
  const seconds = res.ms / 1000;
  const rowsInDbAfter = await countEntries(servers);
  let report: { summary?: Record<string, number>; formularyVersion?: number; rows?: { row: number; outcome: string; issues?: unknown }[] } = {};
  try {
    report = JSON.parse(res.text);
  } catch {
    // not JSON: reported below with the raw text
  }
  const created = report.summary?.created ?? 0;
  const ok = res.status === 200 && created === entries.length;
  let error: string | undefined;
  if (!ok) {
    const rejected = report.rows?.filter((r) => r.outcome === "rejected").slice(0, 3);
    error =
      res.status !== 200
        ? `HTTP ${res.status}: ${res.text.slice(0, 500)}`
        : `only ${created} of ${entries.length} created; first rejections: ${JSON.stringify(rejected)}`;
  }
  const during = readsDuringImport ? `; ${readsDuringImport.count} floor reads meanwhile, slowest ${fmt(readsDuringImport.maxMs, 0)} ms` : "";
  console.log(ok ? `${fmt(seconds, 2)} s (${fmt(entries.length / seconds, 0)} rows/s)${during}` : `FAILED after ${fmt(seconds, 2)} s: ${error}${during}`);
  return {
    ...base,
    ok,
    status: res.status,
    seconds,
    rowsPerSecond: ok ? entries.length / seconds : null,
    ...(report.summary ? { summary: report.summary } : {}),
    ...(report.formularyVersion !== undefined ? { formularyVersion: report.formularyVersion } : {}),
    ...(error ? { error } : {}),
    serverLogSamples: servers.log.since(mark).slice(0, 10),
    rowsInDbAfter,
    ...(readsDuringImport ? { readsDuringImport } : {}),
    otherProcessesCores: used ? Math.round(used.otherCores * 100) / 100 : null,
  };
}

/** Checks, before loading them, that the scenarios answer what they should (and how many rows a prefix touches). */
async function preflight(servers: Servers, doctor: string, codes: string[], prefixes: string[]) {
  const auth = { authorization: `Bearer ${doctor}` };
  const code = codes[0] as string;
  const floor = await httpRequest(`${servers.floorUrl}/?code=${code}`);
  if (floor.status !== 200 || !floor.text.includes(code)) throw new Error(`floor lookup of ${code}: HTTP ${floor.status} ${floor.text.slice(0, 200)}`);
  const one = await httpRequest(`${servers.appUrl}${API}/formulary/drugs/${code}`, { headers: auth });
  if (one.status !== 200 || (JSON.parse(one.text) as { code?: string }).code !== code) throw new Error(`GET drug ${code}: HTTP ${one.status} ${one.text.slice(0, 300)}`);
  const db = await servers.mf.getD1Database("DB", "app");
  const rows: (string | number)[][] = [];
  const info: { prefix: string; pinyinMatches: number; ftsMatches: number; items: number; hasNextPage: boolean; medianMs: number }[] = [];
  for (const p of prefixes) {
    const res = await httpRequest(`${servers.appUrl}${API}/formulary/drugs?q=${p}`, { headers: auth });
    const page = JSON.parse(res.text) as { items?: { pinyin: string }[]; nextCursor?: string | null };
    if (res.status !== 200 || !page.items?.length) throw new Error(`search q=${p}: HTTP ${res.status} ${res.text.slice(0, 300)}`);
    if (!page.items[0]?.pinyin.startsWith(p)) throw new Error(`search q=${p}: first hit has pinyin ${page.items[0]?.pinyin}`);
    const pin = await db.prepare("SELECT count(*) AS n FROM formulary_entries WHERE pinyin >= ?1 AND pinyin < ?1 || char(127)").bind(p).first<{ n: number }>();
    const fts = await db.prepare("SELECT count(*) AS n FROM formulary_fts WHERE formulary_fts MATCH ?").bind(`"${p.toLowerCase()}"*`).first<{ n: number }>();
    // sequential latency of this prefix alone (c=1): how the cost grows with the matches
    const times: number[] = [];
    for (let i = 0; i < 25; i++) times.push((await httpRequest(`${servers.appUrl}${API}/formulary/drugs?q=${p}`, { headers: auth })).ms);
    times.sort((a, b) => a - b);
    const medianMs = times[Math.floor(times.length / 2)] ?? Number.NaN;
    info.push({ prefix: p, pinyinMatches: pin?.n ?? 0, ftsMatches: fts?.n ?? 0, items: page.items.length, hasNextPage: Boolean(page.nextCursor), medianMs });
    rows.push([p, pin?.n ?? 0, fts?.n ?? 0, page.items.length, fmt(medianMs)]);
  }
  console.log(`search prefixes (rows each query ranks before its LIMIT; median of 25 sequential requests):\n${indent(table(["q", "pinyin prefix matches", "FTS prefix matches", "items on page 1", "median ms"], rows))}`);
  return info;
}

const indent = (s: string) => s.replace(/^/gm, "  ");

interface Finding {
  ruleId: string;
  severity: "error" | "warning";
  message: string;
}

/** Validates the renewal once: it must be valid, with no error finding (else the scenario measures a rejection). */
async function checkRenewal(servers: Servers, token: string, draft: unknown) {
  const res = await httpRequest(`${servers.appUrl}${API}/prescriptions/validate`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify(draft),
  });
  let body: { valid?: boolean; findings?: Finding[]; formularyVersion?: number; totals?: unknown } = {};
  try {
    body = JSON.parse(res.text);
  } catch {
    // reported below
  }
  const errors = body.findings?.filter((f) => f.severity === "error") ?? [];
  if (res.status !== 200 || body.valid !== true || errors.length > 0) {
    throw new Error(`the validate scenario's draft is not valid: HTTP ${res.status} ${res.text.slice(0, 1500)}`);
  }
  return { ms: res.ms, formularyVersion: body.formularyVersion, warnings: (body.findings ?? []).map((f) => `${f.ruleId}: ${f.message}`), totals: body.totals };
}

/** What sign-and-route left in the database (the demo's first long prescription excluded). */
async function signedStats(servers: Servers) {
  const db = await servers.mf.getD1Database("DB", "app");
  const row = await db
    .prepare(
      `SELECT (SELECT count(*) FROM prescriptions WHERE patient_id LIKE 'bench-pat-%') AS prescriptions,
              (SELECT count(DISTINCT patient_id) FROM prescriptions WHERE patient_id LIKE 'bench-pat-%') AS patients,
              (SELECT count(*) FROM orders WHERE patient_id LIKE 'bench-pat-%') AS orders,
              (SELECT count(*) FROM orders WHERE patient_id LIKE 'bench-pat-%' AND pharmacy_id <> ?) AS ordersElsewhere,
              (SELECT count(*) FROM outbox) AS outbox`,
    )
    .bind(PICKUP_PHARMACY)
    .first<{ prescriptions: number; patients: number; orders: number; ordersElsewhere: number; outbox: number }>();
  if (!row) throw new Error("no answer from D1");
  return row;
}

/** The external pharmacy of the demo county (桃源镇 deliveries): its orders leave through the outbox. */
const EXTERNAL_PHARMACY = "pharm-renhe";

/**
 * Signs draft `n` (signShape: items, pickup or delivery, desk or external pharmacy): 201,
 * one order at the pharmacy its route names, and an outbox row exactly for the external one.
 */
async function checkSign(servers: Servers, token: string, draft: unknown, n: number) {
  const shape = signShape(n);
  const db = await servers.mf.getD1Database("DB", "app");
  const outboxCount = async () => (await db.prepare("SELECT count(*) AS n FROM outbox").first<{ n: number }>())?.n ?? 0;
  const outboxBefore = await outboxCount();
  const res = await httpRequest(`${servers.appUrl}${API}/prescriptions`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json", "idempotency-key": `bench-preflight-${Date.now()}-${n}` },
    body: JSON.stringify(draft),
  });
  if (res.status !== 201) throw new Error(`sign-and-route pre-flight (${shape.route}, ${shape.items} items): HTTP ${res.status} ${res.text.slice(0, 1500)}`);
  const rx = JSON.parse(res.text) as { id: string; findings: Finding[]; orders?: { pharmacyId: string; status: string; mode: string }[] };
  const orders = rx.orders ?? [];
  const pharmacy = shape.route === "external delivery" ? EXTERNAL_PHARMACY : PICKUP_PHARMACY;
  if (orders.length !== 1 || orders[0]?.pharmacyId !== pharmacy) throw new Error(`sign-and-route pre-flight (${shape.route}): expected one order for ${pharmacy}, got ${JSON.stringify(orders)}`);
  const outbox = (await outboxCount()) - outboxBefore;
  if (outbox !== (pharmacy === EXTERNAL_PHARMACY ? 1 : 0)) throw new Error(`sign-and-route pre-flight (${shape.route}): ${outbox} outbox rows`);
  return { ms: res.ms, id: rx.id, shape, order: orders[0], outbox, warnings: rx.findings.map((f) => `${f.ruleId}: ${f.message}`) };
}

async function main() {
  let busy = await cpuBusy(2000);
  // on a shared machine, optionally wait (up to BENCH_WAIT_QUIET_SECONDS) for other processes to calm down
  for (const deadline = Date.now() + config.waitQuietSeconds * 1000; busy !== null && busy > 0.15 && Date.now() < deadline; ) {
    process.stdout.write(`machine ${fmt(busy * 100, 0)}% busy, waiting for quiet … `);
    await new Promise((r) => setTimeout(r, 5000));
    busy = await cpuBusy(2000);
    console.log(`${fmt(busy === null ? Number.NaN : busy * 100, 0)}%`);
  }
  const startedAt = new Date();
  const info = { ...machine(), cpuBusyBeforeStart: busy };
  console.log(`YaoLian bench ${startedAt.toISOString()} node ${info.node}, ${info.cpus} cpus (${info.cpuModel}), commit ${info.gitCommit?.slice(0, 10)}${info.gitDirty ? " + uncommitted changes" : ""}`);
  console.log(`config: ${JSON.stringify(config)}`);
  if (info.cpuBusyBeforeStart !== null && info.cpuBusyBeforeStart > 0.15) {
    console.log(`WARNING: the machine was ${fmt(info.cpuBusyBeforeStart * 100, 0)}% busy before the bench started (other processes); figures will be noisy`);
  }

  // 1. the bundle a deploy would upload
  if (config.build) process.stdout.write(`build: wrangler deploy --dry-run --outdir ${config.outdir} … `);
  const bundle = config.build ? await buildWorker(config.outdir) : await describeBundle(config.outdir);
  if (config.build) console.log(`${fmt(bundle.bytes / 2 ** 20)} MB in ${fmt(bundle.buildSeconds, 1)} s`);
  else console.log(`build skipped (BENCH_BUILD=0): using ${path.relative(ROOT, bundle.scriptPath)} as it is, sha256 ${bundle.sha256.slice(0, 12)}`);

  // 2. app + floor on one D1, 3. migrations, readiness with real requests
  const signingKey = benchSigningKey();
  const servers = await startServers({ scriptPath: bundle.scriptPath, port: config.port, devSecret: DEV_SECRET, signingKey, echoServerLog: config.echoServerLog });
  let exitCode = 0;
  try {
    const migrations = await applyMigrations(servers.mf);
    await waitReady(`${servers.appUrl}/health`, (s) => s === 200);
    await waitReady(`${servers.floorUrl}/?code=NO-SUCH-CODE`, (s) => s === 404);
    console.log(`servers: app ${servers.appUrl}, floor ${servers.floorUrl}, D1 in ${servers.persistDir}; migrations ${migrations.join(", ")}`);

    const signDevToken = await loadSigner();
    const admin = await signDevToken(DEV_SECRET, { sub: "bench-admin", role: "admin", org: "inst-county", name: "bench admin" });
    const doctor = await signDevToken(DEV_SECRET, { sub: "bench-doctor", role: "doctor", org: "inst-shimen", name: "bench doctor" });
    // the prescription scenarios need registered practitioners (seeds/README.md)
    const renewalDoctor = await signDevToken(DEV_SECRET, { ...RENEWAL.doctor, role: "doctor" });

    // 3b. members, 5 NEML entries, pat-001's first long prescription, patients for sign-and-route
    // (seedStatements: formulary version 1, before the import makes it 2)
    const signPhases = config.connections.includes(SIGN_CONNECTIONS) ? 1 + (config.readsAfterBigImport && config.bigImport > 0 ? 1 : 0) : 0;
    // one patient per request at up to signMaxRps over warm-up + load, per phase, plus requests
    // autocannon builds but never sends (one per connection per turn) and the pre-flight
    // (+ the open-loop run at signRate, and the pre-flight's one of each shape)
    const patientCount =
      Math.ceil(config.signMaxRps * (config.warmupSeconds + config.seconds) * signPhases) +
      SIGN_CONNECTIONS * (config.rounds + 1) * signPhases * 2 +
      Math.ceil(config.signRate * (config.warmupSeconds + config.seconds) * signPhases) +
      SIGN_SHAPES;
    // request n: patient n, doctor n mod doctors, so none signs more than signsPerDoctor in the run
    const doctorCount = Math.ceil(patientCount / config.signsPerDoctor);
    const rx = await loadRxFixtures(servers.mf, { root: ROOT, signingKey, patientCount, doctorCount });
    const doctorTokens = await Promise.all(rx.doctors.map((d) => signDevToken(DEV_SECRET, { sub: d.sub, org: d.org, name: d.name, role: "doctor" })));
    console.log(
      `prescription fixtures: demo consortium, NEML ${rx.entries.map((e) => e.code).join(" ")}, pat-001's first long prescription, ${rx.patients.length} patients, ${rx.doctors.length} signing doctors at ${new Set(rx.doctors.map((d) => d.org)).size} institutions (${rx.statements} statements, ${fmt(rx.seconds, 2)} s)`,
    );

    // 4. the 10k formulary, through the real bulk import
    const entries = makeEntries(config.entries, { from: 1, seed: config.seed });
    // the dry run (parse, validate, look up existing codes, report; no writes) isolates the write batch's share
    const dryRuns: ImportResult[] = [await timedImport(servers, admin, `${config.entries / 1000}k dry run`, entries, true)];
    // (the 10k through the one-shot route, one batch: small files keep it; the big one goes through the job API below)
    const imports: (ImportResult | ChunkedImportResult)[] = [await timedImport(servers, admin, `${config.entries / 1000}k`, entries)];
    if (!imports[0]?.ok) throw new Error(`the ${config.entries}-row import failed; nothing to measure: ${imports[0]?.error}`);

    // 5. read scenarios, on the 10k database (before the big import)
    const codes = entries.map((e) => e.code);
    const prefixes = pinyinPrefixes(entries, 9);
    const searchInfo = await preflight(servers, doctor, codes, prefixes);
    const renewal = renewalDraft(rx.entries);
    const renewalCheck = await checkRenewal(servers, renewalDoctor, renewal);
    console.log(
      `validate rx: ${renewal.items.length} items, ${renewal.kind}, 84 days, renewal for ${renewal.patientId} by ${RENEWAL.doctor.sub}, pickup ${PICKUP_SITE}: valid, formulary version ${renewalCheck.formularyVersion}, ${renewalCheck.warnings.length} warnings, ${fmt(renewalCheck.ms)} ms alone`,
    );
    for (const w of renewalCheck.warnings) console.log(`  warning ${w}`);
    let nextPatient = 0;
    let patientsReused = 0;
    const takePatient = () => {
      const i = nextPatient++;
      if (i >= rx.patients.length) patientsReused++;
      return rx.patients[i % rx.patients.length] as string;
    };
    // request n's doctor, token and draft (the pre-flight's and the load's alike)
    let nextSign = 0;
    const nextSignRequest = () => {
      const n = nextSign++;
      const doctor = rx.doctors[n % rx.doctors.length] as SignDoctor;
      return { n, token: doctorTokens[n % rx.doctors.length] as string, draft: signDraft(rx.entries, takePatient(), n, doctor) };
    };
    const signChecks = [];
    for (let k = 0; k < SIGN_SHAPES; k++) {
      const { n, token, draft } = nextSignRequest();
      const check = await checkSign(servers, token, draft, n);
      signChecks.push(check);
      console.log(
        `sign rx (${check.shape.items} items, ${check.shape.route}): ${check.id} → order ${check.order?.status} at ${check.order?.pharmacyId}, ${check.outbox} outbox row, ${check.warnings.length} warnings, ${fmt(check.ms)} ms alone`,
      );
      for (const w of check.warnings) console.log(`  warning ${w}`);
    }
    const runId = Date.now().toString(36);
    let nextKey = 0;
    let pendingSign: ReturnType<typeof nextSignRequest> | undefined;
    const random = rng(config.seed + 7);
    // B00001 .. B<codeCount>: the first import's codes, and the big import's once it is in
    let codeCount = config.entries;
    const randomCode = () => codeOf("B", 1 + Math.floor(random() * codeCount));
    let nextPrefix = 0;
    const auth = { authorization: `Bearer ${doctor}` };
    const scenarios: Scenario[] = [
      scenario({ name: "floor", target: "floor", path: () => `/?code=${randomCode()}` }),
      scenario({ name: "get drug", target: "app", path: () => `${API}/formulary/drugs/${randomCode()}`, headers: auth, baseline: "floor" }),
      scenario({
        name: "search pinyin",
        target: "app",
        path: () => `${API}/formulary/drugs?q=${prefixes[nextPrefix++ % prefixes.length]}`,
        headers: auth,
        baseline: "floor",
      }),
      scenario({
        name: "validate rx",
        target: "app",
        path: `${API}/prescriptions/validate`,
        headers: { authorization: `Bearer ${renewalDoctor}` },
        body: renewal,
        baseline: "floor",
        okStatus: (s) => s === 200,
      }),
      scenario({
        name: "sign rx",
        target: "app",
        path: `${API}/prescriptions`,
        // autocannon asks for the headers, then the body, of each request: one sign request per pair
        headers: () => {
          pendingSign = nextSignRequest();
          return { authorization: `Bearer ${pendingSign.token}`, "idempotency-key": `bench-${runId}-${nextKey++}` };
        },
        body: () => pendingSign?.draft,
        baseline: "floor",
        okStatus: (s) => s === 201,
        connections: [SIGN_CONNECTIONS],
      }),
    ];
    const targets = { app: servers.appUrl, floor: servers.floorUrl };
    const runs: RunResult[] = [];
    const runAll = async (phase: string) => {
      for (const connections of config.connections) {
        const here = scenarios.filter((s) => !s.spec.connections || s.spec.connections.includes(connections));
        console.log(`load c=${connections} (${phase}): ${here.map((s) => s.name).join(", ")}, ${config.rounds} rounds of ${fmt(config.seconds / config.rounds, 1)} s each …`);
        const results = await measure(scenarios, {
          targets,
          connections,
          seconds: config.seconds,
          rounds: config.rounds,
          warmupSeconds: config.warmupSeconds,
          phase,
          serverLog: servers.log,
        });
        for (const r of results) {
          runs.push(r);
          console.log(`  ${r.scenario}: ${fmt(r.rps, 0)} rps (${fmt(r.okRps, 0)} ok/s), p50 ${fmt(r.latencyMs.p50)} ms, p99 ${fmt(r.latencyMs.p99)} ms${insideWorker(r)}, ${r.errors} errors`);
          for (const e of r.errorSamples) console.log(`    error: ${e}`);
          for (const l of r.serverLogSamples) console.log(`    workerd: ${l.slice(0, 500)}`);
        }
      }
    };
    const smallPhase = `${config.entries / 1000}k`;
    await runAll(smallPhase);
    // the draft is fixed and pat-001's record unchanged by the load: still valid afterwards?
    await checkRenewal(servers, renewalDoctor, renewal);
    if (patientsReused > 0) console.log(`WARNING: sign rx ran out of fresh patients (${patientsReused} requests reused one): raise BENCH_SIGN_MAX_RPS`);
    // (b) a province's peak: sign requests ARRIVING at signRate a second whatever the answers, beside the floor at the same rate
    const openPhase = `${smallPhase} open ${config.signRate}/s`;
    const openScenarios = scenarios.filter((s) => s.name === "floor" || s.name === "sign rx");
    if (signPhases > 0 && config.signRate > 0) {
      console.log(`load open loop (${openPhase}): ${openScenarios.map((s) => s.name).join(", ")} at ${config.signRate} requests/s each, ${config.rounds} rounds …`);
      for (const r of await openLoop(openScenarios, { targets, rate: config.signRate, seconds: config.seconds, rounds: config.rounds, warmupSeconds: config.warmupSeconds, phase: openPhase, serverLog: servers.log })) {
        runs.push(r);
        console.log(`  ${r.scenario}: ${fmt(r.okRps, 0)} ok/s of ${r.rate} sent/s, p50 ${fmt(r.latencyMs.p50)} ms, p99 ${fmt(r.latencyMs.p99)} ms${insideWorker(r)}, ${r.errors} errors, at most ${r.maxInFlight} in flight`);
        for (const e of r.errorSamples) console.log(`    error: ${e}`);
        for (const l of r.serverLogSamples) console.log(`    workerd: ${l.slice(0, 500)}`);
      }
    }
    const signed = await signedStats(servers);
    console.log(
      `sign rx stored: ${signed.prescriptions} prescriptions of ${signed.patients} patients (incl. pre-flight and warm-up), ${signed.orders} orders (${signed.ordersElsewhere} not at ${PICKUP_PHARMACY}), ${signed.outbox} outbox rows`,
    );

    // 4b. the big import: NEW codes after the first ones, into the same database
    if (config.bigImport > 0) {
      const big = makeEntries(config.bigImport, { from: config.entries + 1, seed: config.seed + 1 });
      // chunked as the import page sends it, the floor lookup and validate rx probed beside it (issue 12)
      imports.push(
        await chunkedImport(servers, admin, `${config.bigImport / 1000}k`, big, {
          floor: config.importProbe ? { url: `${servers.floorUrl}/?code=B00001`, ok: (s) => s === 200 } : null,
          validate: config.importProbe
            ? {
                url: `${servers.appUrl}${API}/prescriptions/validate`,
                method: "POST",
                headers: { authorization: `Bearer ${renewalDoctor}`, "content-type": "application/json" },
                body: JSON.stringify(renewal),
                ok: (s) => s === 200,
              }
            : null,
        }),
      );
      codeCount = config.entries + config.bigImport;
      if (config.readsAfterBigImport && imports[1]?.ok) await runAll(`${(config.entries + config.bigImport) / 1000}k`);
    }
    const dbBytes = await dirSize(servers.persistDir).catch(() => null);

    // 6. report
    compareToBaselines(runs);
    console.log(`\nload scenarios (${config.seconds} s each after ${config.warmupSeconds} s warm-up; latency from every successful response; sign rx at c=${SIGN_CONNECTIONS} only):`);
    console.log(indent(runsTable(runs)));
    console.log("\nimports (client wall time: upload, validation, one D1 batch, report):");
    console.log(
      indent(
        table(
          ["import", "rows", "body MB", "status", "seconds", "rows/s", "created", "slowest read meanwhile ms", "other CPU"],
          [...dryRuns, ...imports].map((i) => [
            i.label,
            i.rows,
            fmt(i.bodyMB, 1),
            i.status ?? "-",
            fmt(i.seconds),
            i.rowsPerSecond ? fmt(i.rowsPerSecond, 0) : "-",
            i.summary?.created ?? "-",
            i.readsDuringImport ? `${fmt(i.readsDuringImport.maxMs, 0)} (${i.readsDuringImport.count} reads)` : "-",
            i.otherProcessesCores == null ? "-" : `${fmt(i.otherProcessesCores)} cores`,
          ]),
        ),
      ),
    );
    for (const i of [...dryRuns, ...imports].filter((x) => !x.ok)) console.log(`  import ${i.label} FAILED: ${i.error}${i.serverLogSamples.length ? `\n    workerd: ${i.serverLogSamples.join("\n    workerd: ")}` : ""}`);

    const search10 = runs.find((r) => r.scenario === "search pinyin" && r.phase === smallPhase && r.connections === 10);
    const validate10 = runs.find((r) => r.scenario === "validate rx" && r.phase === smallPhase && r.connections === 10);
    const sign10 = runs.find((r) => r.scenario === "sign rx" && r.phase === smallPhase && r.connections === SIGN_CONNECTIONS);
    const signOpen = runs.find((r) => r.scenario === "sign rx" && r.phase === openPhase);
    const i10k = imports[0];
    const i100k = imports[1];
    const targetResults = [
      {
        target: `search p99 <= ${TARGETS.searchP99VsFloor}x floor p99 at c=10 (${smallPhase})`,
        value: search10?.p99VsBaseline ?? null,
        unit: "x",
        pass: search10?.p99VsBaseline != null && search10.errors === 0 ? search10.p99VsBaseline <= TARGETS.searchP99VsFloor : null,
      },
      {
        target: `validate rx p99 <= ${TARGETS.validateP99VsFloor}x floor p99 at c=10 (${smallPhase}; 5 items, 84-day renewal)`,
        value: validate10?.p99VsBaseline ?? null,
        unit: "x",
        pass: validate10?.p99VsBaseline != null ? validate10.errors === 0 && validate10.p99VsBaseline <= TARGETS.validateP99VsFloor : null,
      },
      {
        target: `sign rx >= ${TARGETS.signedPerSecond} signed/s at c=${SIGN_CONNECTIONS} with zero errors (${smallPhase}, closed loop)`,
        value: sign10 ? sign10.okRps : null,
        unit: `signed/s, ${sign10?.errors ?? "-"} errors`,
        pass: sign10 ? sign10.errors === 0 && patientsReused === 0 && sign10.okRps >= TARGETS.signedPerSecond : null,
      },
      {
        target: `sign rx p99 <= ${TARGETS.signP99VsFloor}x floor p99 at c=${SIGN_CONNECTIONS} (${smallPhase}, closed loop)`,
        value: sign10?.p99VsBaseline ?? null,
        unit: "x",
        pass: sign10?.p99VsBaseline != null ? sign10.errors === 0 && sign10.p99VsBaseline <= TARGETS.signP99VsFloor : null,
      },
      {
        target: `sign rx arriving at ${config.signRate}/s: >= ${TARGETS.signedPerSecond} signed/s, zero errors (${openPhase})`,
        value: signOpen ? signOpen.okRps : null,
        unit: `signed/s, ${signOpen?.errors ?? "-"} errors`,
        pass: signOpen ? signOpen.errors === 0 && patientsReused === 0 && signOpen.okRps >= TARGETS.signedPerSecond : null,
      },
      {
        target: `sign rx arriving at ${config.signRate}/s: p99 <= ${TARGETS.signP99VsFloor}x floor p99 at the same rate (${openPhase})`,
        value: signOpen?.p99VsBaseline ?? null,
        unit: "x",
        pass: signOpen?.p99VsBaseline != null ? signOpen.errors === 0 && signOpen.p99VsBaseline <= TARGETS.signP99VsFloor : null,
      },
      {
        target: `import 10k <= ${TARGETS.import10kSeconds} s`,
        value: i10k?.rows === 10_000 && i10k.ok ? i10k.seconds : null,
        unit: "s",
        pass: i10k?.rows === 10_000 ? i10k.ok && i10k.seconds <= TARGETS.import10kSeconds : null,
      },
      {
        target: `import 100k <= ${TARGETS.import100kSeconds} s`,
        value: i100k?.rows === 100_000 && i100k.ok ? i100k.seconds : null,
        unit: "s",
        pass: i100k?.rows === 100_000 ? i100k.ok && i100k.seconds <= TARGETS.import100kSeconds : null,
      },
      ...importProbeTargets(i100k, { floorP99Ms: TARGETS.importFloorP99Ms, validateP99VsFloor: TARGETS.importValidateP99VsFloor }),
    ];
    // reports on a year of data (issue 12), last: it fills D1 with BENCH_REPORTS_RX prescriptions
    let reportsOnAYear: ReportsScaleResult | null = null;
    const signScenario = scenarios.find((x) => x.name === "sign rx");
    const floorScenario = scenarios.find((x) => x.name === "floor");
    if (config.reportsRx > 0 && signScenario && floorScenario) {
      console.log(`\nreports on a year: ${config.reportsRx.toLocaleString("en")} prescriptions …`);
      reportsOnAYear = await reportsScale({ mf: servers.mf, targets, api: API, adminToken: admin, sign: signScenario, floor: floorScenario, signConnections: SIGN_CONNECTIONS, rx: config.reportsRx, seconds: Math.min(config.seconds, 3) });
      targetResults.push(...reportsScaleTargets(reportsOnAYear));
      console.log(indent(runsTable(reportsOnAYear.runs)));
    }
    console.log("\ntargets:");
    for (const t of targetResults) {
      const verdict = t.pass === null ? "n/a " : t.pass ? "PASS" : "FAIL";
      console.log(`  ${verdict}  ${t.target}: ${t.value === null ? "-" : `${fmt(t.value)} ${t.unit}`}`);
    }

    const file = await writeResults(path.join(ROOT, "bench/results"), startedAt, {
      startedAt: startedAt.toISOString(),
      finishedAt: new Date().toISOString(),
      machine: info,
      config,
      bundle: { ...bundle, scriptPath: path.relative(ROOT, bundle.scriptPath) },
      database: { entriesForReads: config.entries, bytesOnDiskAtEnd: dbBytes, searchPrefixes: searchInfo },
      prescriptions: {
        nemlEntries: rx.entries.map((e) => e.code),
        patientsForSigning: rx.patients.length,
        patientsUsed: nextPatient,
        patientsReused,
        validateDraft: renewal,
        validatePreflight: renewalCheck,
        signDoctors: rx.doctors.length,
        signInstitutions: new Set(rx.doctors.map((d) => d.org)).size,
        signsPerDoctorAtMost: Math.ceil(nextSign / rx.doctors.length),
        signPreflight: signChecks,
        signedStored: signed,
      },
      runs,
      imports: [...dryRuns, ...imports],
      targets: targetResults,
      reportsOnAYear,
    });
    console.log(`\nresults: ${path.relative(ROOT, file)} (and bench/results/latest.json)`);
  } catch (err) {
    exitCode = 1;
    console.error(`\nbench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    const tail = servers.log.lines.slice(-10);
    if (tail.length) console.error(`last workerd output:\n  ${tail.join("\n  ")}`);
  } finally {
    await servers.mf.dispose();
    if (config.keepDb) console.log(`D1 kept in ${servers.persistDir}`);
    else await rm(servers.persistDir, { recursive: true, force: true });
  }
  process.exitCode = exitCode;
}

await main().catch((err: unknown) => {
  console.error(`\nbench failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
});
