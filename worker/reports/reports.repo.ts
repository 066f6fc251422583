import { TURNAROUND_BUCKETS } from "../../schema/rollups";
import { type ReportRange, rangeParts } from "./report-range";
import type { GroupBy, InstitutionLevel } from "./reports.schemas";

/**
 * Report queries as plain SQL over the rollups (schema/rollups.ts, kept exact by the
 * triggers of rollups.sql.ts): a report reads a row per month × institution (× doctor,
 * pharmacy and status, or metric) for the whole China months of its period, and a row per
 * day for its other days, never the prescriptions, orders or events themselves. Each
 * returns a prepared statement; the service runs a report's statements in ONE batch, so a
 * report costs one D1 round trip.
 *
 * The group expressions and table names below are constants chosen by the code, never
 * input. Rows summing to zero (a count brought back by a cancellation) are left out, as the
 * scans never saw them.
 */
function groupExpr(groupBy: GroupBy): string {
  return groupBy === "month" ? "month" : "institution_id";
}

/**
 * `select`'s rows as ONE row holding one text value, `rows`: a JSON array with each row as
 * the array of `expressions` (over `select`'s columns), in no particular order. D1 hands the
 * Worker every value of every row as a JS value of its own; a report of hundreds of rows
 * (a doctor each, or two 46-bucket histograms per institution) costs less as one text that
 * SQLite writes and the Worker parses once. Read it back with `unpackRows`. The text is one D1
 * value, so at most 2 MB: ~110 B a doctor's row, room for ~18,000 doctors where a consortium has
 * about one per 1,000 people.
 */
export function packedRows(select: string, expressions: readonly string[]): string {
  return `SELECT '[' || coalesce(group_concat(json_array(${expressions.join(", ")}), ','), '') || ']' AS rows FROM (${select})`;
}

/** The rows of a `packedRows` statement's results, each as an object of `keys` (in the expressions' order). */
export function unpackRows<T>(results: readonly unknown[] | undefined, keys: readonly (keyof T & string)[]): T[] {
  const text = (results?.[0] as { rows?: string } | undefined)?.rows ?? "[]";
  // a loop, not Object.fromEntries: three times faster on a report's 300 rows
  return (JSON.parse(text) as unknown[][]).map((values) => {
    const row: Record<string, unknown> = {};
    for (let i = 0; i < keys.length; i++) row[keys[i] as string] = values[i] ?? null;
    return row as T;
  });
}

type RollupName = "rx" | "order_state" | "qualification" | "turnaround";

/**
 * The rollup rows of `range` as one row source: `month` and `columns`, from `<name>_monthly`
 * for the range's whole months and from `<name>_daily` for its other days (report-range.ts
 * rangeParts), each part in `scope` (a clause over the rollup's own columns). A month-aligned
 * period reads one row per month and key instead of one per day.
 */
export function periodRows(name: RollupName, columns: string[], range: Pick<ReportRange, "from" | "to">, scope: { sql: string; params: string[] }) {
  const parts = rangeParts(range);
  const list = columns.join(", ");
  const sql: string[] = [];
  const params: string[] = [];
  if (parts.months) {
    sql.push(`SELECT month, ${list} FROM ${name}_monthly WHERE month >= ? AND month <= ? AND ${scope.sql}`);
    params.push(parts.months.first, parts.months.last, ...scope.params);
  }
  for (const d of parts.days) {
    sql.push(`SELECT substr(day, 1, 7) AS month, ${list} FROM ${name}_daily WHERE day >= ? AND day <= ? AND ${scope.sql}`);
    params.push(d.from, d.to, ...scope.params);
  }
  return { sql: `(${sql.join(" UNION ALL ")})`, params };
}

/** Which institutions a report covers (the level and/or one institution); neither: all members. */
export interface Scope {
  level?: InstitutionLevel;
  institutionId?: string;
}

/**
 * `column IN (the institutions in scope)`, with its parameters; unscoped: the member
 * institutions (what every report but orders-by-state counts).
 */
export function scopeClause(column: string, scope: Scope): { sql: string; params: string[] } {
  const where: string[] = [];
  const params: string[] = [];
  if (scope.level) {
    where.push("level = ?");
    params.push(scope.level);
  }
  if (scope.institutionId) {
    where.push("id = ?");
    params.push(scope.institutionId);
  }
  return { sql: `${column} IN (SELECT id FROM institutions${where.length ? ` WHERE ${where.join(" AND ")}` : ""})`, params };
}

/** Every member institution (a report lists its groups zero-filled, and checks `institutionId` against it). */
export function institutionsStatement(d1: D1Database) {
  return d1.prepare("SELECT id, name, level FROM institutions ORDER BY id");
}

export function pharmaciesStatement(d1: D1Database) {
  return d1.prepare("SELECT id, name FROM pharmacies ORDER BY id");
}

export interface QualificationRow {
  month: string;
  institution_id: string;
  reviewed: number;
  approved: number;
  rejected: number;
  rejected_non_standard: number;
  rejected_inappropriate: number;
  rejected_abnormal: number;
}

/**
 * 处方合格率, one unit per prescription: its FIRST review decision (over all its
 * instalment orders), dated by that decision and attributed to the prescribing institution
 * (qualification_daily counts only first decisions). Later instalments are reviewed again
 * before each issue, but counting them would weigh a three-instalment long prescription
 * three times. Always per China month × institution (a few dozen rows); the service rolls
 * them up to the group asked for.
 */
export function qualificationStatement(d1: D1Database, range: ReportRange, scope: Scope) {
  const sums = ["reviewed", "approved", "rejected", "rejected_non_standard", "rejected_inappropriate", "rejected_abnormal"];
  const rows = periodRows("qualification", ["institution_id", ...sums], range, scopeClause("institution_id", scope));
  return d1
    .prepare(
      `SELECT month, institution_id, ${sums.map((c) => `SUM(${c}) AS ${c}`).join(", ")}
       FROM ${rows.sql}
       GROUP BY month, institution_id
       HAVING SUM(reviewed) > 0`,
    )
    .bind(...rows.params);
}

export interface ReviewRow {
  month: string;
  institution_id: string;
  sampled: number;
  reviewed: number;
  rational: number;
  non_standard: number;
  inappropriate: number;
  abnormal: number;
}

/**
 * 处方点评 results per sample month × institution, for the months the range touches
 * (review_items_institution_month index: one range per institution in scope).
 */
export function reviewResultsStatement(d1: D1Database, months: { first: string; last: string }, scope: Scope) {
  const inScope = scopeClause("institution_id", scope);
  return d1
    .prepare(
      `SELECT month, institution_id,
              COUNT(*) AS sampled,
              SUM(outcome IS NOT NULL) AS reviewed,
              SUM(outcome = 'rational') AS rational,
              SUM(outcome = 'non_standard') AS non_standard,
              SUM(outcome = 'inappropriate') AS inappropriate,
              SUM(outcome = 'abnormal') AS abnormal
       FROM review_items
       WHERE ${inScope.sql} AND month >= ? AND month <= ?
       GROUP BY month, institution_id`,
    )
    .bind(...inScope.params, months.first, months.last);
}

export interface LongPrescriptionRow {
  key: string;
  signed: number;
  long_term: number;
  long_term_days: number | null;
  long_term_over_28: number;
}

/** Prescriptions signed in the period (created_at is the signing time), cancelled ones included. */
export function longPrescriptionStatement(d1: D1Database, range: ReportRange, groupBy: GroupBy, scope: Scope) {
  const sums = ["signed", "long_term", "long_term_days", "long_term_over_28"];
  const rows = periodRows("rx", ["institution_id", ...sums], range, scopeClause("institution_id", scope));
  return d1
    .prepare(
      `SELECT ${groupExpr(groupBy)} AS key, ${sums.map((c) => `SUM(${c}) AS ${c}`).join(", ")}
       FROM ${rows.sql}
       GROUP BY key
       HAVING SUM(signed) > 0`,
    )
    .bind(...rows.params);
}

export interface OrderStateRow {
  pharmacy_id: string;
  status: string;
  n: number;
}

/** Current status of the orders created in the period (later instalments included, as `scheduled`). */
export function ordersByStateStatement(d1: D1Database, range: ReportRange, scope: Scope) {
  // scoped only when asked: unscoped, orders of an institution since removed still count
  const inScope = scope.level || scope.institutionId ? scopeClause("institution_id", scope) : { sql: "1", params: [] };
  const rows = periodRows("order_state", ["pharmacy_id", "status", "n"], range, inScope);
  return d1
    .prepare(
      `SELECT pharmacy_id, status, SUM(n) AS n
       FROM ${rows.sql}
       GROUP BY pharmacy_id, status
       HAVING SUM(n) <> 0`,
    )
    .bind(...rows.params);
}

/**
 * A turnaround histogram: `count` durations summing to `sum_ms`; element k of `counts` and
 * `sums` the durations in bucket k and their sum in ms (integers: durations are whole ms).
 */
export interface TurnaroundRow {
  metric: "review" | "fulfilment";
  key: string;
  count: number;
  sum_ms: number;
  counts: number[];
  sums: number[];
}

export const TURNAROUND_KEYS = ["metric", "key", "count", "sum_ms", "counts", "sums"] as const satisfies readonly (keyof TurnaroundRow)[];

/**
 * Review and fulfilment duration histograms of the period per group (schema/rollups.ts
 * turnaround_daily), packed (`packedRows`; read with `unpackRows(…, TURNAROUND_KEYS)`): at
 * most two rows per group, whatever the number of orders; the service adds them up for the
 * total and reads median and p90 from them.
 * - review: from the order entering pending_review (created, or a later instalment
 *   released) to the decision; dated by the decision.
 * - fulfilment: from approval to picked_up or delivered; dated by the hand-over.
 * Both per order (each instalment is its own review and its own hand-over), attributed to
 * the prescribing institution.
 *
 * A period of one whole China month by institution (the monthly report) reads that month's
 * rows as they are: each is already its group's histogram. Any other period sums its rollup
 * rows per group, 92 sums a group; SQLite's cost is per group and sum (≈ 2 ms for 120
 * groups), four times what writing the month's rows out costs.
 */
export function turnaroundStatement(d1: D1Database, range: ReportRange, groupBy: GroupBy, scope: Scope) {
  const buckets = (column: "b" | "s") => Array.from({ length: TURNAROUND_BUCKETS }, (_, k) => `${column}${k}`);
  const columns = ["n", "sum_ms", ...buckets("b"), ...buckets("s")];
  // the histogram's columns pass through as they are and are packed as two nested arrays (a
  // column holding json_array text would lose its JSON subtype in the subquery, and parsing
  // it again costs a third of the statement); each bucket's sum is whole ms kept in a REAL
  // column: written as integer text, not as 17-digit doubles
  const expressions = ["metric", "key", "n", "sum_ms", `json_array(${buckets("b").join(", ")})`, `json_array(${buckets("s").map((c) => `CAST(${c} AS INTEGER)`).join(", ")})`];
  const inScope = scopeClause("institution_id", scope);
  const { months, days } = rangeParts(range);
  const oneMonth = groupBy === "institution" && months && months.first === months.last && days.length === 0 ? months.first : undefined;
  if (oneMonth) {
    return d1
      .prepare(packedRows(`SELECT metric, institution_id AS key, ${columns.join(", ")} FROM turnaround_monthly WHERE month = ? AND n > 0 AND ${inScope.sql}`, expressions))
      .bind(oneMonth, ...inScope.params);
  }
  const rows = periodRows("turnaround", ["institution_id", "metric", ...columns], range, inScope);
  return d1
    .prepare(
      packedRows(
        `SELECT metric, ${groupExpr(groupBy)} AS key, ${columns.map((c) => `SUM(${c}) AS ${c}`).join(", ")}
         FROM ${rows.sql}
         GROUP BY metric, key
         HAVING SUM(n) > 0`,
        expressions,
      ),
    )
    .bind(...rows.params);
}

export interface NotificationListRow {
  id: string;
  order_id: string;
  channel: string;
  template: string;
  params: string;
  state: string;
  created_at: string;
  sent_at: string | null;
}

export interface OrderOwnerRow {
  pharmacy_id: string;
  site_name: string | null;
  carrier: string | null;
  tracking_no: string | null;
  reject_reason: string | null;
}

/** The order's owner and the facts a message is completed from (site, carrier, reject reason). */
export function orderOwnerStatement(d1: D1Database, orderId: string) {
  return d1
    .prepare(
      `SELECT o.pharmacy_id, s.name AS site_name, o.carrier, o.tracking_no, o.reject_reason
       FROM orders o LEFT JOIN pharmacy_sites s ON s.id = o.pickup_site_id
       WHERE o.id = ?`,
    )
    .bind(orderId);
}

/** One row when `pharmacistId` is registered at `pharmacyId` (the caller's token is not proof of it). */
export function pharmacistRegistrationStatement(d1: D1Database, pharmacistId: string, pharmacyId: string) {
  return d1.prepare("SELECT 1 AS registered FROM pharmacists WHERE id = ? AND pharmacy_id = ?").bind(pharmacistId, pharmacyId);
}

export function orderNotificationsStatement(d1: D1Database, orderId: string) {
  return d1
    .prepare("SELECT id, order_id, channel, template, params, state, created_at, sent_at FROM notifications WHERE order_id = ? ORDER BY created_at, rowid")
    .bind(orderId);
}
