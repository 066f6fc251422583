/**
 * The rollups (schema/rollups.ts) against the scans they replace (issue 12): the reports'
 * statements over the daily rollups must give what the old statements over prescriptions,
 * orders and order_events give (reports-rollups.reference.ts), after any sequence of the
 * writers' changes. The orders model's commands (signings normal and long in instalments,
 * pickup and delivery, desk actions, signed callbacks, the doctor's cancellations, change
 * requests, cron ticks on a moved clock) drive the real worker; after each run the
 * two agree, for every scope and grouping. Then a formulary edit after the fact, and the
 * backfill rebuilding the same rollups from the rows.
 */
import { env } from "cloudflare:workers";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { PRESCRIBER_INDICATOR_KEYS, type PrescriberIndicatorRow, prescriberIndicatorsStatement } from "../../worker/reports/indicators.repo";
import { addRow, emptyHistogram, percentile } from "../../worker/reports/histogram";
import type { ReportRange } from "../../worker/reports/report-range";
import {
  longPrescriptionStatement,
  ordersByStateStatement,
  qualificationStatement,
  type Scope,
  TURNAROUND_KEYS,
  type TurnaroundRow,
  turnaroundStatement,
  unpackRows,
} from "../../worker/reports/reports.repo";
import type { GroupBy } from "../../worker/reports/reports.schemas";
import { ROLLUP_TABLES, ROLLUP_TRIGGER_NAMES, rollupBackfill, rollupTriggers } from "../../worker/reports/rollups.sql";
import { addDays } from "../../worker/lib/clock";
import { runScheduled } from "../../worker/pharmacy/scheduled";
import { AMLODIPINE, METFORMIN } from "../builders/prescriptions";
import { api, asAdmin } from "../support/api";
import { useScenario } from "../support/fake-pharmacy.client";
import { loadDemoSeed } from "../support/seed";
import { aVbpAmlodipine } from "./change-requests.fixtures";
import { commandArbitrary, coverage, type Real, signArbitrary } from "./orders-model/commands";
import { DAY_MS, emptyModel } from "./orders-model/model";
import * as raw from "./reports-rollups.reference";

const RUNS = 8;
const MAX_COMMANDS = 25;
const BEYOND_EVERY_RUN = 400 * DAY_MS;

/** A period of China days as the statements take it (wider than a request may ask: the whole history). */
function period(from: string, to: string): ReportRange {
  const start = (d: string) => new Date(`${d}T00:00:00+08:00`).toISOString();
  const next = new Date(`${to}T00:00:00Z`);
  next.setUTCDate(next.getUTCDate() + 1);
  return { from, to, startAt: start(from), endAt: start(next.toISOString().slice(0, 10)) };
}

function today(): string {
  return new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
}

const SCOPES: Scope[] = [{}, { level: "primary" }, { level: "village" }, { institutionId: "inst-shimen" }, { institutionId: "inst-taoyuan" }];
const GROUPS: GroupBy[] = ["institution", "month"];

async function rows<T>(stmt: D1PreparedStatement): Promise<T[]> {
  return (await stmt.all<T>()).results;
}

const indicatorRows = async (range: ReportRange) =>
  unpackRows<PrescriberIndicatorRow>(await rows(prescriberIndicatorsStatement(env.DB, range)), PRESCRIBER_INDICATOR_KEYS);

const byJson = <T>(xs: T[]) => xs.map((x) => JSON.stringify(x)).sort();

/**
 * Every report's rows from the rollups and from the scans, for every scope and grouping, over
 * `range`: equal, except turnaround percentiles, which are read from histograms (exact counts
 * and means; a percentile within its bucket's width: 25% of the value, or a minute).
 */
async function expectSameReports(range: ReportRange): Promise<number> {
  const d1 = env.DB;
  let compared = 0;
  for (const scope of SCOPES) {
    const what = `${range.from}..${range.to} ${JSON.stringify(scope)}`;
    expect(byJson(await rows(qualificationStatement(d1, range, scope))), `qualification ${what}`).toEqual(byJson(await rows(raw.qualificationStatement(d1, range, scope))));
    expect(byJson(await rows(ordersByStateStatement(d1, range, scope))), `orders ${what}`).toEqual(byJson(await rows(raw.ordersByStateStatement(d1, range, scope))));
    for (const groupBy of GROUPS) {
      const longs = await rows<{ long_term_days: number | null }>(raw.longPrescriptionStatement(d1, range, groupBy, scope));
      expect(byJson(await rows(longPrescriptionStatement(d1, range, groupBy, scope))), `long ${groupBy} ${what}`).toEqual(
        byJson(longs.map((r) => ({ ...r, long_term_days: r.long_term_days ?? 0 }))),
      );
      const exact = await rows<raw.RawTurnaroundRow>(raw.turnaroundStatement(d1, range, groupBy, scope));
      const histograms = unpackRows<TurnaroundRow>(await rows(turnaroundStatement(d1, range, groupBy, scope)), TURNAROUND_KEYS);
      for (const e of exact) {
        const h = histograms.filter((r) => r.metric === e.metric && (e.key === "" || r.key === e.key)).reduce(addRow, emptyHistogram());
        const at = `turnaround ${e.metric} ${e.key || "total"} ${groupBy} ${what}`;
        expect(h.count, at).toBe(e.count);
        expect(h.sumMs / h.count, at).toBeCloseTo(e.mean_ms, 3);
        for (const [p, value] of [
          [0.5, e.p50_ms],
          [0.9, e.p90_ms],
        ] as const) {
          expect(Math.abs(percentile(h, p) - value), `${at} p${p * 100}`).toBeLessThanOrEqual(0.25 * Math.abs(value) + 60_000);
        }
      }
      expect(new Set(histograms.map((r) => `${r.metric}|${r.key}`)).size, `turnaround groups ${groupBy} ${what}`).toBe(exact.filter((e) => e.key !== "").length);
      compared++;
    }
  }
  const indicators = await indicatorRows(range);
  expect(byJson(indicators), `indicators ${range.from}..${range.to}`).toEqual(byJson(await rows(raw.prescriberIndicatorsStatement(d1, range))));
  return compared;
}

const ALL = period("2000-01-01", "2099-12-31");
/** The whole China month of `date`, first day to last. */
function wholeMonth(date: string): ReportRange {
  const first = `${date.slice(0, 7)}-01`;
  return period(first, addDays(`${addDays(first, 40).slice(0, 7)}-01`, -1));
}

/**
 * Whole months only (ALL; one whole month, which the turnaround by institution reads as its
 * groups without summing), days only (this month so far, today), and both: days of a
 * partial month on either side of whole months, from the monthly and the daily rollups at
 * once. The runs move the clock up to 400 days on, so every range sees data.
 */
const ranges = () => [
  ALL,
  wholeMonth(today()),
  wholeMonth(addDays(today(), 60)),
  period(`${today().slice(0, 7)}-01`, today()),
  period(today(), today()),
  period(addDays(today(), -40), addDays(today(), 45)),
  period(`${addDays(today(), -60).slice(0, 7)}-01`, addDays(today(), 420)),
  period("2000-01-01", addDays(today(), 200)),
];

/** A rollup's rows that count (a row brought back to zero is the same as no row). */
async function rollupRows(table: string): Promise<string[]> {
  const all = await rows<Record<string, number | string>>(env.DB.prepare(`SELECT * FROM ${table}`));
  return byJson(all.filter((r) => Object.entries(r).some(([k, v]) => typeof v === "number" && v !== 0 && k !== "day" && k !== "month")));
}

describe("report rollups", () => {
  let real: Real;
  beforeAll(async () => {
    await loadDemoSeed();
    const scenario = await useScenario("orders-model");
    real = { secret: scenario.secret, vbp: await aVbpAmlodipine() };
  });

  it("agree with the scans on the demo seed", async () => {
    for (const r of ranges()) await expectSameReports(r);
  });

  it(`agree with the scans after each of ${RUNS} random runs of signings, desk actions, callbacks, cancellations, change requests and cron ticks`, async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(signArbitrary, { minLength: 1, maxLength: 3 }), fc.commands([commandArbitrary], { maxCommands: MAX_COMMANDS, size: "max" }), async (signings, cmds) => {
        await runScheduled(env, new Date(Date.now() + BEYOND_EVERY_RUN));
        await fc.asyncModelRun(() => ({ model: emptyModel(), real }), [...signings, ...cmds]);
        for (const r of ranges()) await expectSameReports(r);
      }),
      { seed: 20261207, numRuns: RUNS, endOnFailure: false },
    );
    // the runs changed the rollups through every kind of writer
    for (const seen of ["reached picked_up", "reached delivered", "reached rejected", "tick released true", "callback 200"]) {
      expect(coverage.get(seen) ?? 0, `runs never saw ${seen}`).toBeGreaterThan(0);
    }
  }, 600_000);

  it("keep each prescription's indicators as signed when the formulary entry is edited afterwards", async () => {
    const before = await indicatorRows(ALL);
    for (const code of [AMLODIPINE, METFORMIN]) {
      const current = await api<{ version: number; essential: boolean; vbp: boolean }>("GET", `/formulary/drugs/${code}`, { token: await asAdmin() });
      expect(current.status).toBe(200);
      const edited = await api("PATCH", `/formulary/drugs/${code}`, {
        token: await asAdmin(),
        headers: { "if-match": `"${current.body.version}"` },
        body: { essential: !current.body.essential, vbp: !current.body.vbp },
      });
      expect(edited.status, JSON.stringify(edited.body)).toBe(200);
    }
    expect(await indicatorRows(ALL)).toEqual(before);
    for (const r of ranges()) await expectSameReports(r);
  });

  it("keep each month's rows the sums of its days", async () => {
    const keys = { rx: "institution_id, prescriber_id", order_state: "institution_id, pharmacy_id, status", qualification: "institution_id", turnaround: "institution_id, metric" };
    for (const [name, key] of Object.entries(keys)) {
      const monthly = await rows<Record<string, unknown>>(env.DB.prepare(`SELECT * FROM ${name}_monthly`));
      expect(monthly.length, name).toBeGreaterThan(0);
      const columns = Object.keys(monthly[0]!).filter((c) => c !== "month" && !key.split(", ").includes(c));
      const fromDays = await rows(
        env.DB.prepare(`SELECT substr(day, 1, 7) AS month, ${key}, ${columns.map((c) => `SUM(${c}) AS ${c}`).join(", ")} FROM ${name}_daily GROUP BY 1, ${key}`),
      );
      const nonZero = (xs: Record<string, unknown>[]) => byJson(xs.filter((r) => columns.some((c) => r[c] !== 0)).map((r) => Object.fromEntries(Object.keys(monthly[0]!).map((c) => [c, r[c]]))));
      expect(nonZero(monthly), name).toEqual(nonZero(fromDays as Record<string, unknown>[]));
    }
  });

  it("are rebuilt by the migration's backfill exactly as the triggers kept them", async () => {
    const kept = await Promise.all(ROLLUP_TABLES.map(rollupRows));
    expect(kept.every((t) => t.length > 0)).toBe(true);
    await env.DB.batch(ROLLUP_TABLES.map((t) => env.DB.prepare(`DELETE FROM ${t}`)));
    await env.DB.batch(rollupBackfill().map((sql) => env.DB.prepare(sql)));
    expect(await Promise.all(ROLLUP_TABLES.map(rollupRows))).toEqual(kept);
  });

  it("the migrated database holds exactly the triggers this module generates", async () => {
    const triggers = await rows<{ sql: string }>(
      env.DB.prepare(`SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name IN (${ROLLUP_TRIGGER_NAMES.map(() => "?").join(", ")}) ORDER BY name`).bind(...ROLLUP_TRIGGER_NAMES),
    );
    expect(triggers.map((t) => t.sql)).toEqual([...rollupTriggers()].sort((a, b) => a.split(" ")[2]!.localeCompare(b.split(" ")[2]!)));
  });
});
