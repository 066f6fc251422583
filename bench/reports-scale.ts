/**
 * Reports on a year of data (issue 12): builds BENCH_REPORTS_RX signed prescriptions (default
 * 2,000,000) with their orders and order events directly in the bench's D1, spread over the
 * 12 China months before the bench's data month, over every member institution, 400 doctors
 * and 200 formulary entries; rebuilds the daily rollups with the migration's own backfill
 * (worker/reports/rollups.sql.ts, triggers dropped while the rows are bulk-inserted, then
 * recreated); then measures every report route at c=1 and c=10, and `sign rx` alone vs
 * `sign rx` while the reports run at c=10.
 */
import type { Miniflare } from "miniflare";
import { dropRollupTriggers, ROLLUP_TABLES, rollupBackfill, rollupTriggers } from "../worker/reports/rollups.sql.ts";
import { measure, type RunResult, type Scenario, scenario } from "./harness.ts";

export const REPORT_TARGETS = { p99Ms: 50, signP99Ratio: 1.25 };

const CHUNK = 250_000;
const DOCTORS = 400;
const ENTRIES = 200;
/** The year of data: 2025-12-01 .. 2026-11-30 China time. */
const START_MS = Date.parse("2025-12-01T00:00:00+08:00");
const SPAN_MS = Date.parse("2026-12-01T00:00:00+08:00") - START_MS;
export const REPORT_MONTH = "2026-06";

export interface ReportsScaleResult {
  prescriptions: number;
  orders: number;
  events: number;
  buildSeconds: number;
  backfillSeconds: number;
  rollupRows: Record<string, number>;
  runs: RunResult[];
  signAloneP99Ms: number | null;
  signWithReportsP99Ms: number | null;
}

/** SQL of the synthetic row i (i from a recursive CTE `n`): everything is a function of i. */
const ROW = {
  at: (offsetMs: string) => `strftime('%Y-%m-%dT%H:%M:%fZ', (${START_MS} + i * ${SPAN_MS}.0 / $N + ${offsetMs}) / 1000.0, 'unixepoch')`,
  /** 0..99: what happened to its order */
  fate: "((i * 2654435761) % 100)",
  reviewMs: "(((i * 37) % 240) + 5) * 60000",
  handoverMs: "(((i * 13) % 72) + 1) * 3600000",
};

function numbers(from: number, to: number): string {
  return `WITH RECURSIVE n(i) AS (SELECT ${from} UNION ALL SELECT i + 1 FROM n WHERE i + 1 < ${to})`;
}

/** The statements that write rows [from, to) of `total` (each table in one INSERT … SELECT). */
export function yearStatements(from: number, to: number, total: number): string[] {
  const at = (o: string) => ROW.at(o).replace("$N", String(total));
  const refs = `inst AS (SELECT id, ROW_NUMBER() OVER (ORDER BY id) - 1 AS k FROM institutions),
    ninst AS (SELECT COUNT(*) AS c FROM institutions),
    ph AS (SELECT id, ROW_NUMBER() OVER (ORDER BY id) - 1 AS k FROM pharmacies),
    nph AS (SELECT COUNT(*) AS c FROM pharmacies),
    ent AS MATERIALIZED (SELECT code, version, generic_name, route, ROW_NUMBER() OVER (ORDER BY code) - 1 AS k FROM (SELECT * FROM formulary_entries ORDER BY code LIMIT ${ENTRIES}))`;
  const item = (j: number) =>
    `(SELECT json_object('drugCode', code, 'drug', json_object('version', version, 'genericName', generic_name), 'route', route) FROM ent WHERE k = (i * 31 + ${j} * 17) % ${ENTRIES})`;
  const items = `CASE i % 3 WHEN 0 THEN json_array(json(${item(0)})) WHEN 1 THEN json_array(json(${item(0)}), json(${item(1)})) ELSE json_array(json(${item(0)}), json(${item(1)}), json(${item(2)})) END`;
  const fate = ROW.fate;
  const orderStatus = `CASE WHEN ${fate} < 4 THEN 'cancelled' WHEN ${fate} < 10 THEN 'rejected' WHEN ${fate} < 13 THEN 'pending_review' WHEN ${fate} < 17 THEN 'approved' ELSE 'picked_up' END`;
  const events = (cond: string, offset: string, fromStatus: string, toStatus: string) =>
    `${numbers(from, to)}
     INSERT INTO order_events (order_id, at, from_status, to_status, actor_id, actor_role, source)
     SELECT 'bo-' || i, ${at(offset)}, ${fromStatus}, ${toStatus}, 'bench', 'pharmacist', 'desk' FROM n WHERE ${cond}`;
  return [
    `${numbers(from, to)}, ${refs}
     INSERT INTO prescriptions (id, patient_id, prescriber_id, institution_id, kind, written_at, days, status, content, content_hash, signature, signature_key_id, formulary_version, findings, created_at, version)
     SELECT 'brx-' || i, 'bpat-' || (i % 50000), 'bench-doc-' || ((i * 7919) % ${DOCTORS}),
            (SELECT id FROM inst WHERE k = ((i * 7919) % ${DOCTORS}) % (SELECT c FROM ninst)),
            CASE WHEN i % 10 = 0 THEN 'long_term' ELSE 'normal' END, ${at("0")},
            CASE WHEN i % 10 = 0 THEN 28 * (1 + (i / 10) % 3) ELSE 7 END,
            CASE WHEN ${fate} < 4 THEN 'cancelled' ELSE 'signed' END,
            json_object('items', json(${items})), 'h', 's', 'bench', 1, '[]', ${at("0")}, 1
     FROM n`,
    `${numbers(from, to)}, ${refs}
     INSERT INTO orders (id, prescription_id, pharmacy_id, patient_id, institution_id, instalment, instalments, days, supply_from, release_on, mode, items, status, reference, pickup_attempts, version, created_at, updated_at, reject_reason)
     SELECT 'bo-' || i, 'brx-' || i, (SELECT id FROM ph WHERE k = i % (SELECT c FROM nph)), 'bpat-' || (i % 50000),
            (SELECT id FROM inst WHERE k = ((i * 7919) % ${DOCTORS}) % (SELECT c FROM ninst)),
            1, 1, 7, substr(${at("0")}, 1, 10), substr(${at("0")}, 1, 10), 'pickup', '[]', ${orderStatus}, 'BR' || i, 0, 1, ${at("0")}, ${at("0")},
            CASE WHEN ${fate} >= 4 AND ${fate} < 10 THEN (CASE i % 3 WHEN 0 THEN 'non_standard.x' WHEN 1 THEN 'inappropriate.x' ELSE 'abnormal.x' END) END
     FROM n`,
    events("1", "0", "NULL", "'pending_review'"),
    events(`${fate} < 4`, "3600000", "'pending_review'", "'cancelled'"),
    events(`${fate} >= 4 AND ${fate} < 10`, ROW.reviewMs, "'pending_review'", "'rejected'"),
    events(`${fate} >= 13`, ROW.reviewMs, "'pending_review'", "'approved'"),
    events(`${fate} >= 17`, `${ROW.reviewMs} + ${ROW.handoverMs}`, "'approved'", "'picked_up'"),
  ];
}

/** Builds the year of data and its rollups in the bench's D1. */
export async function buildYear(mf: Miniflare, total: number): Promise<Omit<ReportsScaleResult, "runs" | "signAloneP99Ms" | "signWithReportsP99Ms">> {
  const db = await mf.getD1Database("DB", "app");
  const run = (sql: string) => db.prepare(sql).run();
  const started = performance.now();
  for (const sql of dropRollupTriggers()) await run(sql);
  for (let from = 0; from < total; from += CHUNK) {
    const to = Math.min(total, from + CHUNK);
    for (const sql of yearStatements(from, to, total)) await run(sql);
    process.stdout.write(`\r  reports data: ${to.toLocaleString("en")} / ${total.toLocaleString("en")} prescriptions …`);
  }
  const buildSeconds = (performance.now() - started) / 1000;
  const b = performance.now();
  // a full rebuild: the rollups also hold what the run signed through the triggers
  for (const t of ROLLUP_TABLES) await run(`DELETE FROM ${t}`);
  for (const sql of rollupBackfill()) await run(sql);
  for (const sql of rollupTriggers()) await run(sql);
  const backfillSeconds = (performance.now() - b) / 1000;
  const count = async (t: string) => (await db.prepare(`SELECT COUNT(*) AS n FROM ${t}`).first<{ n: number }>())?.n ?? 0;
  const rollupRows: Record<string, number> = {};
  for (const t of ROLLUP_TABLES) rollupRows[t] = await count(t);
  console.log(` built in ${buildSeconds.toFixed(1)} s, rollups rebuilt in ${backfillSeconds.toFixed(1)} s (${JSON.stringify(rollupRows)})`);
  return { prescriptions: await count("prescriptions"), orders: await count("orders"), events: await count("order_events"), buildSeconds, backfillSeconds, rollupRows };
}

export interface ReportsScaleOptions {
  mf: Miniflare;
  targets: Record<string, string>;
  api: string;
  adminToken: string;
  /** the run's `sign rx` and `floor` scenarios */
  sign: Scenario;
  floor: Scenario;
  signConnections: number;
  rx: number;
  seconds: number;
}

/** Every report route the phase measures, for REPORT_MONTH, as the admin `adminToken`. */
export function reportScenarios(api: string, adminToken: string): Scenario[] {
  const headers = { authorization: `Bearer ${adminToken}` };
  const report = (name: string, path: string) =>
    scenario({ name: `report ${name}`, target: "app", path: `${api}/reports/${path}${path.includes("?") ? "&" : "?"}month=${REPORT_MONTH}`, headers, baseline: "floor" });
  return [
    report("qualification", "qualification-rate"),
    report("qualification by month", "qualification-rate?groupBy=month"),
    report("indicators", "prescribing-indicators"),
    report("indicators village", "prescribing-indicators?level=village"),
    report("long", "long-prescriptions"),
    report("orders by state", "orders-by-state"),
    report("turnaround", "turnaround"),
    report("turnaround by month", "turnaround?groupBy=month"),
  ];
}

export async function reportsScale(o: ReportsScaleOptions): Promise<ReportsScaleResult> {
  const built = await buildYear(o.mf, o.rx);
  const reports = reportScenarios(o.api, o.adminToken);
  const common = { targets: o.targets, seconds: o.seconds, rounds: 1, warmupSeconds: 0.5 };
  const runs: RunResult[] = [];
  for (const connections of [1, 10]) {
    console.log(`  reports c=${connections} on ${o.rx.toLocaleString("en")} prescriptions, month=${REPORT_MONTH} …`);
    runs.push(...(await measure([o.floor, ...reports], { ...common, connections, phase: "reports on a year" })).map((r) => ({ ...r, phase: "reports on a year" })));
  }
  // signing alone, then signing while every report is asked at c=10 in a loop
  const alone = await measure([o.sign], { ...common, connections: o.signConnections, phase: "sign alone" });
  const busy = reports.map((r) => scenario({ ...r.spec, name: `${r.name} (during sign)` }));
  let signing = true;
  const background = (async () => {
    const out: RunResult[] = [];
    while (signing) for (const r of busy) if (signing) out.push(...(await measure([r], { ...common, seconds: 1, warmupSeconds: 0, connections: 10, phase: "reports during sign" })));
    return out;
  })();
  const during = await measure([o.sign], { ...common, connections: o.signConnections, phase: "sign while reports run" });
  signing = false;
  await background;
  runs.push(...alone.map((r) => ({ ...r, phase: "sign alone" })), ...during.map((r) => ({ ...r, phase: "sign while reports run" })));
  return { ...built, runs, signAloneP99Ms: alone[0]?.latencyMs.p99 ?? null, signWithReportsP99Ms: during[0]?.latencyMs.p99 ?? null };
}

/** PASS/FAIL lines of the phase, in the run's target format. */
export function reportsScaleTargets(r: ReportsScaleResult) {
  const reportRuns = r.runs.filter((x) => x.phase === "reports on a year" && x.scenario.startsWith("report "));
  const worst = reportRuns.reduce((m, x) => Math.max(m, x.latencyMs.p99), 0);
  const ratio = r.signAloneP99Ms && r.signWithReportsP99Ms ? r.signWithReportsP99Ms / r.signAloneP99Ms : null;
  return [
    {
      target: `every report on ${r.prescriptions.toLocaleString("en")} prescriptions (month=${REPORT_MONTH}, c=1 and c=10): p99 <= ${REPORT_TARGETS.p99Ms} ms, zero errors`,
      value: reportRuns.length ? worst : null,
      unit: "ms (worst p99)",
      pass: reportRuns.length ? worst <= REPORT_TARGETS.p99Ms && reportRuns.every((x) => x.errors === 0) : null,
    },
    {
      target: `sign rx p99 while reports run <= ${REPORT_TARGETS.signP99Ratio}x sign rx p99 alone`,
      value: ratio,
      unit: "x",
      pass: ratio === null ? null : ratio <= REPORT_TARGETS.signP99Ratio,
    },
  ];
}
