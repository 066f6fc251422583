import type { Ctx } from "../context";
import { ORDER_STATUSES, type OrderStatus } from "../pharmacy/orders/order-state";
import { monthsOf, type ReportRange, resolveRange } from "./report-range";
import {
  institutionsStatement,
  type LongPrescriptionRow,
  longPrescriptionStatement,
  type OrderStateRow,
  ordersByStateStatement,
  pharmaciesStatement,
  type QualificationRow,
  qualificationStatement,
  type TurnaroundRow,
  turnaroundStatement,
} from "./reports.repo";
import type {
  ByStatus,
  DurationStats,
  GroupBy,
  LongPrescriptionCounts,
  LongPrescriptionReport,
  OrdersByStateReport,
  QualificationCounts,
  QualificationRateReport,
  TurnaroundReport,
} from "./reports.schemas";

export interface ReportQuery {
  from?: string;
  to?: string;
}

interface Named {
  id: string;
  name: string;
}

type ReportCtx = Pick<Ctx, "db" | "now">;

const round2 = (x: number) => Math.round(x * 100) / 100;
const ratio = (num: number, den: number) => (den > 0 ? num / den : 0);

/**
 * The rows of a grouped report, one per group and zero-filled: every member institution,
 * or every month the range touches (a key seen in the data but not in the list, e.g. an
 * institution since removed, is kept too).
 */
function groupsOf(groupBy: GroupBy, range: ReportRange, institutions: Named[], seen: Iterable<string>): { key: string; label: string }[] {
  const base = groupBy === "month" ? monthsOf(range).map((m) => ({ key: m, label: m })) : institutions.map((i) => ({ key: i.id, label: i.name }));
  const known = new Set(base.map((g) => g.key));
  const extra = [...new Set(seen)].filter((k) => !known.has(k)).sort();
  return [...base, ...extra.map((k) => ({ key: k, label: k }))];
}

/** One D1 round trip: the report's aggregate and its group labels in one batch. */
async function runBatch<A, B>(ctx: ReportCtx, statements: [D1PreparedStatement, D1PreparedStatement]): Promise<[A[], B[]]> {
  const [a, b] = await ctx.db.$client.batch<unknown>(statements);
  return [(a?.results ?? []) as A[], (b?.results ?? []) as B[]];
}

// ---------------------------------------------------------------------------------------

const NO_QUALIFICATION: QualificationCounts = {
  reviewed: 0,
  approved: 0,
  rejected: 0,
  rate: 0,
  rejectedByCategory: { non_standard: 0, inappropriate: 0, abnormal: 0, unspecified: 0 },
};

function qualificationCounts(r: Omit<QualificationRow, "key">): QualificationCounts {
  const categorised = r.rejected_non_standard + r.rejected_inappropriate + r.rejected_abnormal;
  return {
    reviewed: r.reviewed,
    approved: r.approved,
    rejected: r.rejected,
    rate: ratio(r.approved, r.reviewed),
    rejectedByCategory: {
      non_standard: r.rejected_non_standard,
      inappropriate: r.rejected_inappropriate,
      abnormal: r.rejected_abnormal,
      unspecified: r.rejected - categorised,
    },
  };
}

/** 处方合格率 = approved / reviewed, one unit per prescription (its first review decision): see qualificationStatement. */
export async function qualificationRateReport(ctx: ReportCtx, q: ReportQuery & { groupBy: GroupBy }): Promise<QualificationRateReport> {
  const range = resolveRange(ctx.now, q.from, q.to);
  const d1 = ctx.db.$client;
  const [rows, institutions] = await runBatch<QualificationRow, Named>(ctx, [qualificationStatement(d1, range, q.groupBy), institutionsStatement(d1)]);
  const byKey = new Map(rows.map((r) => [r.key, r]));
  const sum = (f: keyof Omit<QualificationRow, "key">) => rows.reduce((s, r) => s + r[f], 0);
  return {
    from: range.from,
    to: range.to,
    groupBy: q.groupBy,
    total: rows.length
      ? qualificationCounts({
          reviewed: sum("reviewed"),
          approved: sum("approved"),
          rejected: sum("rejected"),
          rejected_non_standard: sum("rejected_non_standard"),
          rejected_inappropriate: sum("rejected_inappropriate"),
          rejected_abnormal: sum("rejected_abnormal"),
        })
      : NO_QUALIFICATION,
    groups: groupsOf(q.groupBy, range, institutions, byKey.keys()).map((g) => {
      const r = byKey.get(g.key);
      return { ...g, ...(r ? qualificationCounts(r) : NO_QUALIFICATION) };
    }),
  };
}

// ---------------------------------------------------------------------------------------

function longCounts(signed: number, longTerm: number, longDays: number, over28: number): LongPrescriptionCounts {
  return {
    signed,
    longTerm,
    share: ratio(longTerm, signed),
    longTermMeanDays: round2(ratio(longDays, longTerm)),
    longTermOver28Days: over28,
  };
}

/** Long-prescription share of signed prescriptions and their mean supply days. */
export async function longPrescriptionReport(ctx: ReportCtx, q: ReportQuery & { groupBy: GroupBy }): Promise<LongPrescriptionReport> {
  const range = resolveRange(ctx.now, q.from, q.to);
  const d1 = ctx.db.$client;
  const [rows, institutions] = await runBatch<LongPrescriptionRow, Named>(ctx, [longPrescriptionStatement(d1, range, q.groupBy), institutionsStatement(d1)]);
  const byKey = new Map(rows.map((r) => [r.key, r]));
  const sum = (f: (r: LongPrescriptionRow) => number) => rows.reduce((s, r) => s + f(r), 0);
  return {
    from: range.from,
    to: range.to,
    groupBy: q.groupBy,
    total: longCounts(
      sum((r) => r.signed),
      sum((r) => r.long_term),
      sum((r) => r.long_term_days ?? 0),
      sum((r) => r.long_term_over_28),
    ),
    groups: groupsOf(q.groupBy, range, institutions, byKey.keys()).map((g) => {
      const r = byKey.get(g.key);
      return { ...g, ...longCounts(r?.signed ?? 0, r?.long_term ?? 0, r?.long_term_days ?? 0, r?.long_term_over_28 ?? 0) };
    }),
  };
}

// ---------------------------------------------------------------------------------------

function emptyByStatus(): ByStatus {
  return Object.fromEntries(ORDER_STATUSES.map((s) => [s, 0])) as ByStatus;
}

/** Orders created in the period, counted by their CURRENT status, per pharmacy (every contracted pharmacy listed). */
export async function ordersByStateReport(ctx: ReportCtx, q: ReportQuery): Promise<OrdersByStateReport> {
  const range = resolveRange(ctx.now, q.from, q.to);
  const d1 = ctx.db.$client;
  const [rows, pharmacies] = await runBatch<OrderStateRow, Named>(ctx, [ordersByStateStatement(d1, range), pharmaciesStatement(d1)]);
  const total = { total: 0, byStatus: emptyByStatus() };
  const perPharmacy = new Map(pharmacies.map((p) => [p.id, { pharmacyId: p.id, pharmacyName: p.name, total: 0, byStatus: emptyByStatus() }]));
  for (const r of rows) {
    let entry = perPharmacy.get(r.pharmacy_id);
    if (!entry) {
      entry = { pharmacyId: r.pharmacy_id, pharmacyName: r.pharmacy_id, total: 0, byStatus: emptyByStatus() };
      perPharmacy.set(r.pharmacy_id, entry);
    }
    entry.total += r.n;
    total.total += r.n;
    // a status outside the state machine cannot be written by this code; count it in the total only
    if ((ORDER_STATUSES as readonly string[]).includes(r.status)) {
      entry.byStatus[r.status as OrderStatus] += r.n;
      total.byStatus[r.status as OrderStatus] += r.n;
    }
  }
  return { from: range.from, to: range.to, total, pharmacies: [...perPharmacy.values()] };
}

// ---------------------------------------------------------------------------------------

const NO_DURATIONS: DurationStats = { count: 0, medianHours: 0, p90Hours: 0, meanHours: 0 };
const MS_PER_HOUR = 3_600_000;

function durationStats(r: TurnaroundRow | undefined): DurationStats {
  if (!r || r.count === 0) return NO_DURATIONS;
  return { count: r.count, medianHours: round2(r.p50_ms / MS_PER_HOUR), p90Hours: round2(r.p90_ms / MS_PER_HOUR), meanHours: round2(r.mean_ms / MS_PER_HOUR) };
}

/**
 * Review and fulfilment turnaround, median and p90 in hours. The ranking happens in SQL
 * (window functions), so the response costs one row per group whatever the volume.
 */
export async function turnaroundReport(ctx: ReportCtx, q: ReportQuery & { groupBy: GroupBy }): Promise<TurnaroundReport> {
  const range = resolveRange(ctx.now, q.from, q.to);
  const d1 = ctx.db.$client;
  const [rows, institutions] = await runBatch<TurnaroundRow, Named>(ctx, [turnaroundStatement(d1, range, q.groupBy), institutionsStatement(d1)]);
  const find = (metric: TurnaroundRow["metric"], key: string) => rows.find((r) => r.metric === metric && r.key === key);
  const keys = rows.filter((r) => r.key !== "").map((r) => r.key);
  return {
    from: range.from,
    to: range.to,
    groupBy: q.groupBy,
    total: { review: durationStats(find("review", "")), fulfilment: durationStats(find("fulfilment", "")) },
    groups: groupsOf(q.groupBy, range, institutions, keys).map((g) => ({
      ...g,
      review: durationStats(find("review", g.key)),
      fulfilment: durationStats(find("fulfilment", g.key)),
    })),
  };
}
