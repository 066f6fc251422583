/**
 * `npx tsx bench/storage.ts`: what one signed prescription costs D1 (issue 12, docs/scale.md).
 *
 * Builds the bundle, serves it with Miniflare on a fresh local D1 (bench/server.ts), migrates
 * and seeds the demo consortium (bench/rx.ts), then signs SCALE_RX real prescriptions of a
 * realistic mix through `POST /api/v1/prescriptions` (normal 7-day and 12-week long ones in
 * 1–3 instalments, 1–5 items, pickup at the desk pharmacy, delivery by it, delivery by the
 * external pharmacy through the outbox), and walks a share of the desk's orders to the
 * patient (review → dispense → ready → hand-over, or → ship → deliver).
 *
 * Storage: the D1 file is measured with sqlite3's `dbstat` (bytes of every table's and
 * index's pages) after seeding, after signing and after the desk; the differences over the
 * prescriptions signed are the bytes per prescription, per table and per index.
 *
 * Rows read: the served worker is wrapped (a module next to the bundle) so every D1 call it
 * makes is tallied from the `meta.rows_read` / `rows_written` D1 itself returns; each
 * response carries the sums in `x-scale-d1`. Requests are made one at a time so the sums
 * belong to one request.
 *
 * Writes bench/results/storage-<timestamp>.json and storage-latest.json.
 */
import { execFile } from "node:child_process";
import { copyFile, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { gzipSync } from "node:zlib";
import * as schema from "../schema/index.ts";
import { bulkInsert } from "../worker/db/bulk.ts";
import type { EntryContent } from "../worker/formulary/formulary.schemas.ts";
import { chinaDate } from "../worker/lib/clock.ts";
import { supplyPlan } from "../worker/rules/quantity.ts";
import { archiveProof, buildArchive, readSignedFromSqlite, writeArchive } from "./archive.ts";
import { rng } from "./data.ts";
import { benchSigningKey, loadRxFixtures, PICKUP_SITE, renewalDraft, RENEWAL } from "./rx.ts";
import { applyMigrations, buildWorker, describeBundle, ROOT, startServers, waitReady } from "./server.ts";

const run = promisify(execFile);
const env = process.env;
const RX = Number(env.SCALE_RX ?? 600);
/** share of the desk pharmacy's orders walked to the patient */
const DESK_SHARE = Number(env.SCALE_DESK_SHARE ?? 0.5);
const OUTDIR = env.SCALE_OUTDIR ?? path.join(os.tmpdir(), "yaolian-scale-dist");
const DEV_SECRET = "bench-dev-secret-not-for-production";
/** each synthetic doctor signs at most this many: the per-doctor signing limit is 30 a minute */
const RX_PER_DOCTOR = 20;
/** each synthetic pharmacist walks at most this many orders: pickup codes are limited to 60 a minute per user */
const ORDERS_PER_PHARMACIST = 40;

/** The mix (assumptions, stated in docs/scale.md). */
const MIX = {
  longShare: 0.3,
  /** items per prescription: normal 1–5, long 2–5 (P(k) in order) */
  normalItems: [0.4, 0.3, 0.15, 0.1, 0.05],
  longItems: [0, 0.35, 0.35, 0.2, 0.1],
  /** a long prescription in 1, 2 or 3 instalments */
  instalments: [0.4, 0.2, 0.4],
  /** pickup at the desk pharmacy's window, delivery by it, delivery by the external pharmacy (outbox) */
  fulfilment: { pickup: 0.6, deskDelivery: 0.25, externalDelivery: 0.15 },
};

type SignDevToken = (secret: string, claims: { sub: string; role: "doctor" | "pharmacist" | "admin"; org: string; name: string }) => Promise<string>;

async function loadTokenSigner(): Promise<SignDevToken> {
  const mod = (await import(new URL("../worker/http/dev-token.ts", import.meta.url).href)) as { signDevToken: SignDevToken };
  return mod.signDevToken;
}

/**
 * The served entry: the bundle, with every D1 binding's transport wrapped so each D1 answer's
 * meta (rows read and written, as D1 counts them) is summed per request into `x-scale-d1`.
 */
const MEASURING_ENTRY = `import worker from "./index.mjs";
let stats = null;
function instrument(env) {
  for (const db of Object.values(env)) {
    if (!db || typeof db !== "object" || !("fetcher" in db) || typeof db.prepare !== "function" || db.__scaleMeasured) continue;
    const inner = db.fetcher;
    const fetcher = {
      async fetch(...args) {
        const res = await inner.fetch(...args);
        if (stats) {
          stats.calls++;
          try {
            for (const r of [await res.clone().json()].flat()) {
              stats.statements++;
              stats.rowsRead += r?.meta?.rows_read ?? 0;
              stats.rowsWritten += r?.meta?.rows_written ?? 0;
              stats.sqlMs += r?.meta?.duration ?? 0;
            }
          } catch {}
        }
        return res;
      },
      connect: (...args) => inner.connect(...args),
    };
    db.fetcher = fetcher;
    if (db.alwaysPrimarySession) db.alwaysPrimarySession.fetcher = fetcher;
    db.__scaleMeasured = true;
  }
}
export default {
  async fetch(request, env, ctx) {
    instrument(env);
    stats = { calls: 0, statements: 0, rowsRead: 0, rowsWritten: 0, sqlMs: 0 };
    const res = await worker.fetch(request, env, ctx);
    const seen = stats;
    stats = null;
    const headers = new Headers(res.headers);
    headers.set("x-scale-d1", JSON.stringify(seen));
    return new Response(res.body, { status: res.status, statusText: res.statusText, headers });
  },
  queue: (...args) => worker.queue(...args),
  scheduled: (...args) => worker.scheduled(...args),
};
`;

interface D1Tally {
  calls: number;
  statements: number;
  rowsRead: number;
  rowsWritten: number;
  /** the SQL execution time D1 reports (meta.duration, summed): the database's busy time for the request */
  sqlMs: number;
}

interface Answer {
  status: number;
  body: unknown;
  d1: D1Tally;
}

const pick = (random: () => number, weights: number[]) => {
  let r = random();
  for (const [i, w] of weights.entries()) {
    if (r < w) return i;
    r -= w;
  }
  return weights.length - 1;
};

function draftFor(entries: EntryContent[], random: () => number, patientId: string, n: number) {
  const long = random() < MIX.longShare;
  const count = 1 + pick(random, long ? MIX.longItems : MIX.normalItems);
  const days = long ? 84 : 7;
  // the renewal's five items (dose, frequency) with packages recomputed for `days`
  const items = renewalDraft(entries)
    .items.slice(0, count)
    .map((item) => {
      const drug = entries.find((e) => e.code === item.drugCode);
      const supply = drug ? supplyPlan({ ...item, days, packages: 1 }, drug) : null;
      if (!supply || !("plan" in supply)) throw new Error(`${item.drugCode}: packages not computable for ${days} days`);
      return { ...item, days, packages: supply.plan.packagesNeeded };
    });
  const f = random();
  const mode = f < MIX.fulfilment.pickup ? "pickup" : f < MIX.fulfilment.pickup + MIX.fulfilment.deskDelivery ? "desk-delivery" : "external-delivery";
  const instalments = long ? ((1 + pick(random, MIX.instalments)) as 1 | 2 | 3) : 1;
  const fulfilment =
    mode === "pickup"
      ? { mode: "pickup" as const, pickupSiteId: PICKUP_SITE }
      : {
          mode: "delivery" as const,
          // 石门乡 is served by the desk pharmacy alone, 桃源镇 by the external 仁和 (seeds/demo-consortium.ts)
          address: { region: mode === "desk-delivery" ? "青溪县/石门乡" : "青溪县/桃源镇", line: `${1 + (n % 9)} 组 ${1 + (n % 40)} 号`, phone: "13800000000" },
        };
  return {
    kind: long ? "long_term" : "normal",
    mode,
    instalments,
    items: count,
    draft: {
      patientId,
      kind: long ? ("long_term" as const) : ("normal" as const),
      diagnoses: [
        { icd10: "I10", name: "原发性高血压" },
        { icd10: "E11.9", name: "2型糖尿病" },
      ],
      items,
      ...(long
        ? { longTerm: { firstIssue: true, assessment: "高血压、2型糖尿病诊断明确，病情稳定，用药方案明确；已告知长期用药注意事项，开具 12 周长期处方。", patientConfirmed: true } }
        : {}),
      fulfilment: instalments > 1 ? { ...fulfilment, instalments } : fulfilment,
    },
  };
}

/** Bytes of every table and index (dbstat), rows of every table, page size and count. */
async function dbstat(file: string) {
  const sql = async <T>(query: string): Promise<T[]> => {
    const { stdout } = await run("/usr/bin/sqlite3", ["-readonly", "-json", file, query], { maxBuffer: 64 << 20 });
    return stdout.trim() ? (JSON.parse(stdout) as T[]) : [];
  };
  const objects = await sql<{ name: string; type: string; tbl_name: string }>("SELECT name, type, tbl_name FROM sqlite_schema WHERE type IN ('table','index')");
  const pages = await sql<{ name: string; pages: number; bytes: number; payload: number }>("SELECT name, count(*) AS pages, sum(pgsize) AS bytes, sum(payload) AS payload FROM dbstat GROUP BY name");
  const [pageInfo] = await sql<{ page_size: number; page_count: number; freelist_count: number }>(
    "SELECT (SELECT page_size FROM pragma_page_size) AS page_size, (SELECT page_count FROM pragma_page_count) AS page_count, (SELECT freelist_count FROM pragma_freelist_count) AS freelist_count",
  );
  const tables = objects.filter((o) => o.type === "table" && !o.name.startsWith("sqlite_") && !o.name.startsWith("_cf_"));
  const counts = tables.length ? await sql<Record<string, number>>(`SELECT ${tables.map((t) => `(SELECT count(*) FROM "${t.name}") AS "${t.name}"`).join(", ")}`) : [];
  const byName = new Map(pages.map((p) => [p.name, p]));
  return {
    pageSize: pageInfo?.page_size ?? 0,
    pageCount: pageInfo?.page_count ?? 0,
    freelist: pageInfo?.freelist_count ?? 0,
    objects: objects.map((o) => ({ name: o.name, type: o.type, table: o.tbl_name, bytes: byName.get(o.name)?.bytes ?? 0, payload: byName.get(o.name)?.payload ?? 0, rows: o.type === "table" ? (counts[0]?.[o.name] ?? null) : null })),
  };
}
type Snapshot = Awaited<ReturnType<typeof dbstat>>;

async function sqliteFile(persistDir: string): Promise<string> {
  const found = (await readdir(persistDir, { recursive: true })).filter((f) => f.endsWith(".sqlite") && !f.endsWith("metadata.sqlite"));
  if (found.length !== 1) throw new Error(`expected one .sqlite file in ${persistDir}, found ${found.join(", ") || "none"}`);
  return path.join(persistDir, found[0] as string);
}

/** Per table (its indexes included) and per object: bytes and rows added between two snapshots. */
function growth(before: Snapshot, after: Snapshot, per: number) {
  const prior = new Map(before.objects.map((o) => [o.name, o]));
  const objects = after.objects
    .map((o) => ({ ...o, bytesAdded: o.bytes - (prior.get(o.name)?.bytes ?? 0), rowsAdded: o.rows === null ? null : o.rows - (prior.get(o.name)?.rows ?? 0) }))
    .filter((o) => o.bytesAdded !== 0 || (o.rowsAdded ?? 0) !== 0);
  const tables = new Map<string, { table: string; rowsAdded: number; tableBytes: number; indexBytes: number }>();
  for (const o of objects) {
    const t = tables.get(o.table) ?? { table: o.table, rowsAdded: 0, tableBytes: 0, indexBytes: 0 };
    if (o.type === "table") {
      t.rowsAdded += o.rowsAdded ?? 0;
      t.tableBytes += o.bytesAdded;
    } else t.indexBytes += o.bytesAdded;
    tables.set(o.table, t);
  }
  const perTable = [...tables.values()]
    .map((t) => ({ ...t, rowsPerRx: round(t.rowsAdded / per, 2), bytesPerRx: Math.round((t.tableBytes + t.indexBytes) / per), indexBytesPerRx: Math.round(t.indexBytes / per) }))
    .sort((a, b) => b.bytesPerRx - a.bytesPerRx);
  const fileBytes = (after.pageCount - before.pageCount) * after.pageSize;
  return {
    prescriptions: per,
    fileBytesAdded: fileBytes,
    bytesPerRx: Math.round(fileBytes / per),
    perTable,
    perObject: objects.map((o) => ({ name: o.name, type: o.type, table: o.table, bytesPerRx: Math.round(o.bytesAdded / per) })).sort((a, b) => b.bytesPerRx - a.bytesPerRx),
  };
}

async function gitState() {
  const git = async (...args: string[]) => (await run("git", args, { cwd: ROOT })).stdout.trim();
  return { head: await git("rev-parse", "HEAD"), dirtyFiles: (await git("status", "--porcelain", "--untracked-files=no")).split("\n").filter(Boolean).length };
}

/** One request, its JSON answer and the D1 tally the measuring entry put in `x-scale-d1` (a fresh socket: workerd drops idle ones). */
function measured(base: string, token: string, method: string, route: string, body?: unknown, extra: Record<string, string> = {}): Promise<Answer> {
  const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
  return new Promise((resolve, reject) => {
    const req = http.request(
      `${base}/api/v1${route}`,
      {
        method,
        agent: false,
        headers: { authorization: `Bearer ${token}`, ...(payload ? { "content-type": "application/json", "content-length": String(payload.byteLength) } : {}), ...extra },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("error", reject);
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          const header = res.headers["x-scale-d1"];
          let parsed: unknown = text;
          try {
            parsed = JSON.parse(text);
          } catch {
            // not JSON: kept as text for the error message
          }
          resolve({ status: res.statusCode ?? 0, body: parsed, d1: typeof header === "string" ? (JSON.parse(header) as D1Tally) : { calls: -1, statements: -1, rowsRead: -1, rowsWritten: -1, sqlMs: -1 } });
        });
      },
    );
    req.on("error", reject);
    if (payload) req.write(payload);
    req.end();
  });
}

interface Growth {
  prescriptions: number;
  fileBytesAdded: number;
  bytesPerRx: number;
  perTable: { table: string; rowsAdded: number; rowsPerRx: number; bytesPerRx: number; indexBytesPerRx: number }[];
}

function printReport(r: { mix: { signed: number; refused: number; deskWalked: number; orders: number }; signing: Growth; desk: Growth; rowsPerRequest: { request: string; samples: number; roundTrips: number; statements: number; rowsRead: number; rowsWritten: number; sqlMs: number }[]; prescriptionsInDatabase: number }) {
  console.log(`\nsigned ${r.mix.signed} (${r.mix.refused} refused), ${r.mix.orders} orders; desk walked ${r.mix.deskWalked} orders`);
  for (const [label, g] of [
    ["per signed prescription (signing)", r.signing],
    ["per order walked through the desk", r.desk],
  ] as const) {
    console.log(`\n${label}: ${g.bytesPerRx} B of file (${g.fileBytesAdded} B over ${g.prescriptions})`);
    console.table(g.perTable.map((t) => ({ table: t.table, "rows/rx": t.rowsPerRx, "bytes/rx": t.bytesPerRx, "of which indexes": t.indexBytesPerRx })));
  }
  console.log(`\nD1 per request (medians; ${r.prescriptionsInDatabase} prescriptions in the database)`);
  console.table(r.rowsPerRequest.map((q) => ({ request: q.request, n: q.samples, "round trips": q.roundTrips, statements: q.statements, "rows read": q.rowsRead, "rows written": q.rowsWritten, "SQL ms": q.sqlMs })));
}

const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s[Math.floor((s.length - 1) / 2)] as number) : 0;
};

async function main() {
  const startedAt = new Date();
  const build = env.SCALE_BUILD === "0" ? await describeBundle(OUTDIR) : await buildWorker(OUTDIR);
  const entry = path.join(OUTDIR, "scale-measuring-entry.js");
  await writeFile(entry, MEASURING_ENTRY);
  // imported modules are ES modules by extension only (Miniflare's default rules read .js as CommonJS)
  await copyFile(build.scriptPath, path.join(OUTDIR, "index.mjs"));
  const signingKey = benchSigningKey();
  const servers = await startServers({ scriptPath: entry, port: 0, devSecret: DEV_SECRET, signingKey, echoServerLog: env.BENCH_SERVER_LOG === "1" });
  const persistDir = servers.persistDir;
  // D1's file is read live (read-only, its WAL included): restarting Miniflare in one process trips over its loopback server
  const snapshot = async () => dbstat(await sqliteFile(persistDir));
  const signToken = await loadTokenSigner();
  try {
    const migrations = await applyMigrations(servers.mf);
    await waitReady(`${servers.appUrl}/health`, (s) => s === 200);
    const rx = await loadRxFixtures(servers.mf, { root: ROOT, signingKey, patientCount: RX });
    // synthetic intermediate GPs at the 石门 health centre (a long prescription's first issue
    // needs one) and stable I10 + E11 for every synthetic patient (long prescriptions need it)
    const doctors = Array.from({ length: Math.ceil(RX / RX_PER_DOCTOR) }, (_, i) => ({
      id: `scale-doc-${String(i + 1).padStart(4, "0")}`,
      name: `规模医生${i + 1}`,
      institutionId: "inst-shimen",
      title: "intermediate",
      specialties: ["general_practice"],
      createdAt: startedAt.toISOString(),
    }));
    const conditions = rx.patients.flatMap((patientId, i) =>
      [
        ["I10", "原发性高血压"],
        ["E11.9", "2型糖尿病"],
      ].map(([icd10, name], k) => ({ id: `scale-cond-${i}-${k}`, patientId, icd10: icd10 as string, name: name as string, chronic: true, stable: true, diagnosedAt: "2024-03-01", diagnosedBy: "doc-shimen-gp-intermediate" })),
    );
    const db = await servers.mf.getD1Database("DB", "app");
    // pharmacists of the desk pharmacy (the real ones' 60-a-minute pickup-code limit stays enforced)
    const pharmacists = Array.from({ length: Math.ceil((RX * DESK_SHARE) / ORDERS_PER_PHARMACIST) + 1 }, (_, i) => ({
      id: `scale-ph-${String(i + 1).padStart(4, "0")}`,
      name: `规模药师${i + 1}`,
      pharmacyId: "pharm-cloud",
      title: "pharmacist" as const,
      createdAt: startedAt.toISOString(),
    }));
    const statements = [...bulkInsert(schema.practitioners, doctors), ...bulkInsert(schema.pharmacists, pharmacists), ...bulkInsert(schema.patientConditions, conditions)];
    await db.batch(statements.map((s) => db.prepare(s.sql).bind(...s.params)));
    console.log(`migrations: ${migrations.length} (last ${migrations.at(-1)}); seeded demo consortium + ${rx.patients.length} patients, ${doctors.length} doctors`);

    const tokens = new Map<string, string>();
    const tokenOf = async (sub: string, role: "doctor" | "pharmacist" | "admin", org: string) => {
      const key = `${role}:${sub}`;
      let token = tokens.get(key);
      if (!token) {
        token = await signToken(DEV_SECRET, { sub, role, org, name: sub });
        tokens.set(key, token);
      }
      return token;
    };
    const call = (token: string, method: string, route: string, body?: unknown, extra: Record<string, string> = {}) =>
      measured(servers.appUrl, token, method, route, body, extra);

    const seeded = await snapshot();
    console.log(`after seeding: ${seeded.pageCount} pages of ${seeded.pageSize} B`);

    // sign RX prescriptions of the mix, one at a time (each answer's D1 tally is its own)
    const random = rng(12);
    const signed: { id: string; kind: string; mode: string; instalments: number; items: number; orders: { id: string; pharmacyId: string; status: string }[]; d1: D1Tally }[] = [];
    const failures: string[] = [];
    for (const [n, patientId] of rx.patients.entries()) {
      const doctor = doctors[Math.floor(n / RX_PER_DOCTOR)];
      if (!doctor) throw new Error("more prescriptions than doctors can sign");
      const plan = draftFor(rx.entries, random, patientId, n);
      const res = await call(await tokenOf(doctor.id, "doctor", doctor.institutionId), "POST", "/prescriptions", plan.draft, { "idempotency-key": `scale-${n}` });
      if (res.status !== 201) {
        failures.push(`${plan.kind}/${plan.mode}/${plan.items} items: HTTP ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
        continue;
      }
      const body = res.body as { id: string; orders: { id: string; pharmacyId: string; status: string }[] };
      signed.push({ id: body.id, kind: plan.kind, mode: plan.mode, instalments: plan.instalments, items: plan.items, orders: body.orders, d1: res.d1 });
    }
    if (failures.length) console.log(`${failures.length} signings refused, first: ${failures.slice(0, 3).join("\n  ")}`);
    if (signed.length === 0) throw new Error("nothing signed");
    const afterSigning = await snapshot();

    // the desk pharmacy's day for a share of its orders: review, dispense, then pickup or delivery
    const deskD1 = new Map<string, D1Tally[]>();
    const tally = (name: string, a: Answer) => {
      if (a.status !== 200) throw new Error(`${name}: HTTP ${a.status} ${JSON.stringify(a.body).slice(0, 300)}`);
      deskD1.set(name, [...(deskD1.get(name) ?? []), a.d1]);
    };
    const sql = await servers.mf.getD1Database("DB", "app");
    const walk = signed.filter((s, i) => s.mode !== "external-delivery" && i % Math.round(1 / DESK_SHARE) === 0);
    let walked = 0;
    for (const s of walk) {
      const order = s.orders.find((o) => o.pharmacyId === "pharm-cloud" && o.status === "pending_review");
      if (!order) continue;
      const pharmacist = await tokenOf(pharmacists[Math.floor(walked / ORDERS_PER_PHARMACIST)]?.id ?? "ph-cloud-1", "pharmacist", "pharm-cloud");
      tally("GET /orders?status=pending_review", await call(pharmacist, "GET", "/orders?status=pending_review&limit=20"));
      tally("GET /orders/{id}", await call(pharmacist, "GET", `/orders/${order.id}`));
      tally("POST review", await call(pharmacist, "POST", `/orders/${order.id}/review`, { decision: "approve" }));
      const row = await sql.prepare("SELECT items FROM orders WHERE id = ?").bind(order.id).first<{ items: string }>();
      const lines = (JSON.parse(row?.items ?? "[]") as { packages: number }[]).map((item, index) => ({ index, packages: item.packages, lotNo: "L20261101", expiry: "2099-12" }));
      tally("POST dispense", await call(pharmacist, "POST", `/orders/${order.id}/dispense`, { items: lines }));
      if (s.mode === "pickup") {
        tally("POST ready", await call(pharmacist, "POST", `/orders/${order.id}/ready`, {}));
        const sms = await sql
          .prepare("SELECT params FROM notifications WHERE order_id = ? AND template = 'order-ready-for-pickup' ORDER BY created_at DESC, rowid DESC LIMIT 1")
          .bind(order.id)
          .first<{ params: string }>();
        const pickupCode = (JSON.parse(sms?.params ?? "{}") as { pickupCode?: string }).pickupCode;
        tally("POST handover", await call(pharmacist, "POST", `/orders/${order.id}/handover`, { pickupCode }));
      } else {
        tally("POST ship", await call(pharmacist, "POST", `/orders/${order.id}/ship`, { carrier: "邮政", trackingNo: `YZ${order.id.slice(-10).replace(/[^A-Za-z0-9]/g, "0")}` }));
        tally("POST deliver", await call(pharmacist, "POST", `/orders/${order.id}/deliver`, {}));
      }
      walked++;
    }
    const afterDesk = await snapshot();

    // rows read by the requests of a day, on this database (reports scan; see the data size)
    const reads = new Map<string, D1Tally[]>();
    const read = async (name: string, token: string, method: string, route: string, body?: unknown) => {
      const a = await call(token, method, route, body);
      if (a.status !== 200) throw new Error(`${name}: HTTP ${a.status} ${JSON.stringify(a.body).slice(0, 300)}`);
      reads.set(name, [...(reads.get(name) ?? []), a.d1]);
    };
    const renewalDoctor = await tokenOf(RENEWAL.doctor.sub, "doctor", RENEWAL.doctor.org);
    const firstDoctor = doctors[0] as (typeof doctors)[number];
    const gp = await tokenOf(firstDoctor.id, "doctor", firstDoctor.institutionId);
    const admin = await tokenOf("scale-admin", "admin", "inst-county");
    const month = chinaDate(new Date()).slice(0, 7);
    for (let i = 0; i < 5; i++) {
      await read("POST /prescriptions/validate (12-week renewal, 5 items)", renewalDoctor, "POST", "/prescriptions/validate", renewalDraft(rx.entries));
      await read("GET /follow-up/due", gp, "GET", "/follow-up/due");
      await read("GET /patients?q= (name prefix)", gp, "GET", `/patients?q=${encodeURIComponent("压测患者1")}`);
      await read("GET /patients/{id}/overview", gp, "GET", `/patients/${rx.patients[i] ?? ""}/overview`);
      await read("GET /prescriptions/{id}", gp, "GET", `/prescriptions/${signed[i]?.id ?? ""}`);
      await read("GET /formulary/drugs?q=EJ", gp, "GET", "/formulary/drugs?q=EJ");
      for (const report of ["qualification-rate", "long-prescriptions", "orders-by-state", "turnaround", "prescribing-indicators"]) {
        await read(`GET /reports/${report}?month=`, admin, "GET", `/reports/${report}?month=${month}`);
      }
    }
    const summarise = (m: Map<string, D1Tally[]>) =>
      [...m.entries()].map(([name, list]) => ({
        request: name,
        samples: list.length,
        roundTrips: median(list.map((d) => d.calls)),
        statements: median(list.map((d) => d.statements)),
        rowsRead: median(list.map((d) => d.rowsRead)),
        rowsWritten: median(list.map((d) => d.rowsWritten)),
        sqlMs: round(median(list.map((d) => d.sqlMs)), 3),
      }));
    const signing = ["normal", "long_term"].map((kind) => {
      const list = signed.filter((s) => s.kind === kind).map((s) => s.d1);
      return {
        request: `POST /prescriptions (${kind})`,
        samples: list.length,
        roundTrips: median(list.map((d) => d.calls)),
        statements: median(list.map((d) => d.statements)),
        rowsRead: median(list.map((d) => d.rowsRead)),
        rowsWritten: median(list.map((d) => d.rowsWritten)),
        sqlMs: round(median(list.map((d) => d.sqlMs)), 3),
      };
    });
    // the archive of these prescriptions, as docs/scale.md designs it, verified offline (node:crypto only) and tampered with
    const keysRes = await fetch(`${servers.appUrl}/api/v1/prescription-signing-keys`);
    const keys = (await keysRes.json()) as { keys: { kid?: string }[] };
    const archived = await readSignedFromSqlite(await sqliteFile(persistDir));
    const archive = buildArchive("bench", archived, new Date().toISOString());
    const archiveDir = await mkdtemp(path.join(os.tmpdir(), "yaolian-rx-archive-"));
    await writeArchive(archiveDir, archive.manifest, archive.objects, keys.keys);
    const ndjsonBytes = archive.objects.reduce((n, o) => n + Buffer.byteLength(o.body), 0);
    const gzipBytes = archive.objects.reduce((n, o) => n + gzipSync(o.body).byteLength, 0);
    console.log(`\narchive: ${archived.length} prescriptions → ${archiveDir}`);
    const archiveProofResult = await archiveProof(archiveDir);
    const counts = (key: (s: (typeof signed)[number]) => string | number) =>
      Object.fromEntries([...new Set(signed.map(key))].sort().map((k) => [k, signed.filter((s) => key(s) === k).length]));
    const signedRows = afterSigning.objects.find((o) => o.name === "prescriptions")?.rows ?? 0;
    const result = {
      startedAt: startedAt.toISOString(),
      command: "npx tsx bench/storage.ts",
      // the code measured: the commit, and whether the working tree differed from it (other edits in progress)
      commit: await gitState(),
      machine: { node: process.version, cpus: os.cpus().length, loadAverage: os.loadavg() },
      bundle: { bytes: build.bytes, sha256: build.sha256 },
      migrations: migrations.length,
      lastMigration: migrations.at(-1),
      mix: { assumed: MIX, signed: signed.length, refused: failures.length, firstRefusals: failures.slice(0, 5), byKind: counts((s) => s.kind), byMode: counts((s) => s.mode), byItems: counts((s) => s.items), byInstalments: counts((s) => (s.kind === "long_term" ? s.instalments : 0)), orders: signed.reduce((n, s) => n + s.orders.length, 0), deskWalked: walked },
      pageSize: afterDesk.pageSize,
      fileBytes: { seeded: seeded.pageCount * seeded.pageSize, afterSigning: afterSigning.pageCount * afterSigning.pageSize, afterDesk: afterDesk.pageCount * afterDesk.pageSize },
      prescriptionsInDatabase: signedRows,
      signing: growth(seeded, afterSigning, signed.length),
      desk: growth(afterSigning, afterDesk, Math.max(walked, 1)),
      rowsPerRequest: [...signing, ...summarise(deskD1), ...summarise(reads)],
      archive: {
        objects: archive.objects.length,
        ndjsonBytesPerRecord: Math.round(ndjsonBytes / Math.max(archived.length, 1)),
        gzipBytesPerRecord: Math.round(gzipBytes / Math.max(archived.length, 1)),
        ...archiveProofResult,
        command: `npx tsx bench/archive.ts proof ${archiveDir}`,
      },
    };
    printReport(result);
    const name = `storage-${startedAt.toISOString().replace(/:/g, "-").replace(/\.\d+Z$/, "Z")}.json`;
    for (const file of [name, "storage-latest.json"]) await writeFile(path.join(ROOT, "bench/results", file), `${JSON.stringify(result, null, 2)}\n`);
    console.log(`results: bench/results/${name}`);
  } finally {
    await servers.mf.dispose();
    if (env.SCALE_KEEP_DB === "1") console.log(`D1 kept in ${persistDir}`);
    else await rm(persistDir, { recursive: true, force: true });
  }
}

await main();
