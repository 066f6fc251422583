import type { Ctx } from "../context";
import { ApiError } from "../errors/problem";
import { addRow, emptyHistogram, type Histogram, percentile } from "./histogram";
import { ORDER_STATUSES, type OrderStatus } from "../pharmacy/orders/order-state";
import { monthsOf, type ReportRange, resolvePeriod } from "./report-range";
import {
  institutionsStatement,
  type LongPrescriptionRow,
  longPrescriptionStatement,
  type OrderStateRow,
  ordersByStateStatement,
  pharmaciesStatement,
  type QualificationRow,
  qualificationStatement,
  type ReviewRow,
  reviewResultsStatement,
  type Scope,
  TURNAROUND_KEYS,
  type TurnaroundRow,
  turnaroundStatement,
  unpackRows,
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
  RangeQuery,
  ReviewCounts,
  TurnaroundReport,
} from "./reports.schemas";

export type ReportQuery = RangeQuery;

interface Named {
  id: string;
  name: string;
}

export interface InstitutionRow extends Named {
  level: string;
}

/** The institutions in the query's scope; an `institutionId` that is not a member: 404. */
export function scopedInstitutions(institutions: InstitutionRow[], q: Scope): InstitutionRow[] {
  if (q.institutionId && !institutions.some((i) => i.id === q.institutionId)) {
    throw new ApiError("not-found", "No such institution", [{ path: "query.institutionId", message: "not a member institution" }]);
  }
  return institutions.filter((i) => (!q.level || i.level === q.level) && (!q.institutionId || i.id === q.institutionId));
}

function scopeOf(q: ReportQuery): Scope {
  return { level: q.level, institutionId: q.institutionId };
}

export type ReportCtx = Pick<Ctx, "db" | "now">;

export const round2 = (x: number) => Math.round(x * 100) / 100;
export const ratio = (num: number, den: number) => (den > 0 ? num / den : 0);

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

/** runBatch for three statements. */
export async function runBatch3<A, B, C>(ctx: ReportCtx, statements: [D1PreparedStatement, D1PreparedStatement, D1PreparedStatement]): Promise<[A[], B[], C[]]> {
  const [a, b, c] = await ctx.db.$client.batch<unknown>(statements);
  return [(a?.results ?? []) as A[], (b?.results ?? []) as B[], (c?.results ?? []) as C[]];
}

// ---------------------------------------------------------------------------------------

type AuditSums = Omit<QualificationRow, "month" | "institution_id">;
type ReviewSums = Omit<ReviewRow, "month" | "institution_id">;

const NO_AUDIT: AuditSums = { reviewed: 0, approved: 0, rejected: 0, rejected_non_standard: 0, rejected_inappropriate: 0, rejected_abnormal: 0 };
const NO_REVIEW: ReviewSums = { sampled: 0, reviewed: 0, rational: 0, non_standard: 0, inappropriate: 0, abnormal: 0 };

function addUp<T extends object>(zero: T, rows: T[]): T {
  const out = { ...zero };
  for (const r of rows) for (const k of Object.keys(zero) as (keyof T)[]) (out[k] as number) += r[k] as number;
  return out;
}

function reviewCounts(r: ReviewSums): ReviewCounts {
  const { sampled, reviewed, rational, non_standard, inappropriate, abnormal } = r;
  return { sampled, reviewed, rational, non_standard, inappropriate, abnormal, rate: ratio(rational, reviewed) };
}

function qualificationCounts(r: AuditSums, review: ReviewSums): QualificationCounts {
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
    review: reviewCounts(review),
  };
}

/**
 * 处方合格率 twice over: at the pharmacist's review (approved / reviewed, one unit per
 * prescription, its first decision: see qualificationStatement) and at 处方点评 (rational /
 * reviewed of the monthly samples). Both come per month × institution and are rolled up here.
 */
export async function qualificationRateReport(ctx: ReportCtx, q: ReportQuery & { groupBy: GroupBy }): Promise<QualificationRateReport> {
  const range = resolvePeriod(ctx.now, q);
  const months = monthsOf(range);
  const d1 = ctx.db.$client;
  const scope = scopeOf(q);
  const [audits, reviews, institutions] = await runBatch3<QualificationRow, ReviewRow, InstitutionRow>(ctx, [
    qualificationStatement(d1, range, scope),
    reviewResultsStatement(d1, { first: months[0] ?? "", last: months[months.length - 1] ?? "" }, scope),
    institutionsStatement(d1),
  ]);
  const inScope = scopedInstitutions(institutions, scope);
  const keyOf = (r: { month: string; institution_id: string }) => (q.groupBy === "month" ? r.month : r.institution_id);
  const groupKeys = [...audits, ...reviews].map(keyOf);
  const names = new Map(institutions.map((i) => [i.id, i.name]));
  const cellKeys = [...new Set([...audits, ...reviews].map((r) => `${r.month}|${r.institution_id}`))].sort();
  return {
    from: range.from,
    to: range.to,
    groupBy: q.groupBy,
    total: qualificationCounts(addUp(NO_AUDIT, audits), addUp(NO_REVIEW, reviews)),
    groups: groupsOf(q.groupBy, range, inScope, groupKeys).map((g) => ({
      ...g,
      ...qualificationCounts(
        addUp(
          NO_AUDIT,
          audits.filter((r) => keyOf(r) === g.key),
        ),
        addUp(
          NO_REVIEW,
          reviews.filter((r) => keyOf(r) === g.key),
        ),
      ),
    })),
    cells: cellKeys.map((k) => {
      const [month = "", institutionId = ""] = k.split("|");
      const here = (r: { month: string; institution_id: string }) => r.month === month && r.institution_id === institutionId;
      return {
        month,
        institutionId,
        institutionName: names.get(institutionId) ?? institutionId,
        ...qualificationCounts(addUp(NO_AUDIT, audits.filter(here)), addUp(NO_REVIEW, reviews.filter(here))),
      };
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
  const range = resolvePeriod(ctx.now, q);
  const d1 = ctx.db.$client;
  const [rows, all] = await runBatch<LongPrescriptionRow, InstitutionRow>(ctx, [longPrescriptionStatement(d1, range, q.groupBy, scopeOf(q)), institutionsStatement(d1)]);
  const institutions = scopedInstitutions(all, scopeOf(q));
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
  const range = resolvePeriod(ctx.now, q);
  const d1 = ctx.db.$client;
  const [rows, pharmacies, institutions] = await runBatch3<OrderStateRow, Named, InstitutionRow>(ctx, [
    ordersByStateStatement(d1, range, scopeOf(q)),
    pharmaciesStatement(d1),
    institutionsStatement(d1),
  ]);
  scopedInstitutions(institutions, scopeOf(q));
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

function durationStats(h: Histogram | undefined): DurationStats {
  if (!h || h.count === 0) return NO_DURATIONS;
  const hours = (ms: number) => round2(ms / MS_PER_HOUR);
  return { count: h.count, medianHours: hours(percentile(h, 0.5)), p90Hours: hours(percentile(h, 0.9)), meanHours: hours(h.sumMs / h.count) };
}

/**
 * Review and fulfilment turnaround, median and p90 in hours, from the period's duration
 * histograms (a row per group and metric; the total adds the groups' histograms up, so it is
 * ranked over all durations, not averaged from the groups). Counts and means are exact;
 * percentiles as `percentile` (histogram.ts) says.
 */
export async function turnaroundReport(ctx: ReportCtx, q: ReportQuery & { groupBy: GroupBy }): Promise<TurnaroundReport> {
  const range = resolvePeriod(ctx.now, q);
  const d1 = ctx.db.$client;
  const [packed, all] = await runBatch<unknown, InstitutionRow>(ctx, [turnaroundStatement(d1, range, q.groupBy, scopeOf(q)), institutionsStatement(d1)]);
  const rows = unpackRows<TurnaroundRow>(packed, TURNAROUND_KEYS);
  const institutions = scopedInstitutions(all, scopeOf(q));
  const histogram = (metric: TurnaroundRow["metric"], key?: string) =>
    rows.filter((r) => r.metric === metric && (key === undefined || r.key === key)).reduce(addRow, emptyHistogram());
  const stats = (key?: string) => ({ review: durationStats(histogram("review", key)), fulfilment: durationStats(histogram("fulfilment", key)) });
  return {
    from: range.from,
    to: range.to,
    groupBy: q.groupBy,
    total: stats(),
    groups: groupsOf(
      q.groupBy,
      range,
      institutions,
      rows.map((r) => r.key),
    ).map((g) => ({ ...g, ...stats(g.key) })),
  };
}
