import { TURNAROUND_BOUNDS, TURNAROUND_BUCKETS } from "../../schema/rollups";
import { INJECTION_ROUTES } from "./indicators.repo";

/**
 * The SQL that keeps the daily rollups (schema/rollups.ts) exact: triggers on every table a
 * report reads, and the backfill that builds them from existing rows. Each source row has a
 * "contribution" to the rollups, a function of the row alone (and of the formulary entry
 * version it was signed against, which never changes); a trigger adds the new row's
 * contribution and subtracts the old one's, inside the writer's own statement, so the
 * rollups commit or roll back with it and cost no round trip.
 *
 * The same expressions serve the triggers (over NEW/OLD) and the backfill (over the
 * table), so the two cannot disagree. The migrations hold this module's output (0012, and
 * 0013 for turnaround; test/integration/reports-rollups.test.ts checks the migrated
 * database's triggers against it); the bench rebuilds its rollups with `rollupBackfill()`.
 */

/** A stored UTC ISO instant → its China date ("YYYY-MM-DD"). */
const chinaDay = (at: string) => `date(${at}, '+8 hours')`;

/** A review decision: the event leaving pending_review for approved or rejected (as the reports define it). */
const decision = (e: string) => `${e}.from_status = 'pending_review' AND ${e}.to_status IN ('approved', 'rejected')`;

/** "category.reason" reject codes (desk.labels.ts) → category. */
const category = (reason: string) => `CASE WHEN instr(${reason}, '.') > 0 THEN substr(${reason}, 1, instr(${reason}, '.') - 1) ELSE ${reason} END`;

/** `ON CONFLICT … DO UPDATE SET c = c + excluded.c` over the given columns. */
const addOnConflict = (key: string[], columns: string[]) =>
  `ON CONFLICT (${key.join(", ")}) DO UPDATE SET ${columns.map((c) => `${c} = ${c} + excluded.${c}`).join(", ")}`;

// --- prescriptions → rx_daily ---------------------------------------------------------

const RX_KEY = ["day", "institution_id", "prescriber_id"];
const RX_SUMS = [
  "signed",
  "long_term",
  "long_term_days",
  "long_term_over_28",
  "standing",
  "items",
  "with_antimicrobial",
  "with_injection",
  "essential_items",
  "generic_items",
  "vbp_items",
];

/**
 * One row per prescription `r` (column prefix: `p` over the table, NEW/OLD in a trigger)
 * with its items' WHO/INRUD flags, read as the indicators define them: from the frozen
 * content, each item's flags from the formulary entry as of the version it was signed
 * against (the version's snapshot once superseded, else the current entry).
 */
function perPrescription(r: string, from: string, groupBy: string): string {
  const injections = INJECTION_ROUTES.map((x) => `'${x}'`).join(", ");
  const flag = (field: string) => `CASE WHEN v.snapshot IS NOT NULL THEN json_extract(v.snapshot, '$.${field}') ELSE f.${field} END`;
  return `SELECT ${chinaDay(`${r}.created_at`)} AS day, ${r}.institution_id AS institution_id, ${r}.prescriber_id AS prescriber_id,
           ${r}.kind AS kind, ${r}.days AS days, ${r}.status AS status,
           COUNT(j.key) AS items,
           COALESCE(MAX(${flag("antimicrobial")} IS NOT NULL), 0) AS antimicrobial,
           COALESCE(MAX(COALESCE(json_extract(j.value, '$.route'), ${flag("route")}) IN (${injections})), 0) AS injection,
           COALESCE(SUM(COALESCE(${flag("essential")}, 0) = 1), 0) AS essential,
           COALESCE(SUM(COALESCE(json_extract(j.value, '$.drug.genericName'), '') <> ''), 0) AS generic,
           COALESCE(SUM(COALESCE(${flag("vbp")}, 0) = 1), 0) AS vbp
    FROM ${from}
    LEFT JOIN json_each(${r}.content, '$.items') j
    LEFT JOIN formulary_entry_versions v ON v.code = json_extract(j.value, '$.drugCode') AND v.version = json_extract(j.value, '$.drug.version')
    LEFT JOIN formulary_entries f ON f.code = json_extract(j.value, '$.drugCode')
    ${groupBy}`;
}

/** Adds (sign 1) or subtracts (-1) the contribution of the prescriptions of `perRx` to rx_daily. */
function rxUpsert(perRx: string, sign: 1 | -1): string {
  const s = sign === 1 ? "" : "-";
  // standing: what the indicators count (not cancelled, with at least one item)
  return `INSERT INTO rx_daily (${[...RX_KEY, ...RX_SUMS].join(", ")})
  SELECT day, institution_id, prescriber_id,
         ${s}COUNT(*), ${s}SUM(kind = 'long_term'), ${s}SUM(CASE WHEN kind = 'long_term' THEN days ELSE 0 END), ${s}SUM(kind = 'long_term' AND days > 28),
         ${s}SUM(st), ${s}SUM(st * items), ${s}SUM(st * antimicrobial), ${s}SUM(st * injection), ${s}SUM(st * essential), ${s}SUM(st * generic), ${s}SUM(st * vbp)
  FROM (SELECT *, (status <> 'cancelled' AND items > 0) AS st FROM (${perRx}))
  GROUP BY day, institution_id, prescriber_id
  ${addOnConflict(RX_KEY, RX_SUMS)}`;
}

/** A trigger's own row: the aggregate over its items yields exactly one row. */
const rxRow = (r: "NEW" | "OLD", sign: 1 | -1) => rxUpsert(perPrescription(r, "(SELECT 1)", ""), sign);

// --- orders → order_state_daily -------------------------------------------------------

const ORDER_KEY = ["day", "institution_id", "pharmacy_id", "status"];

function orderUpsert(source: string, sign: 1 | -1): string {
  return `INSERT INTO order_state_daily (${ORDER_KEY.join(", ")}, n)
  SELECT ${chinaDay("o.created_at")}, o.institution_id, o.pharmacy_id, o.status, ${sign === 1 ? "" : "-"}COUNT(*) FROM ${source}
  GROUP BY 1, 2, 3, 4
  ${addOnConflict(ORDER_KEY, ["n"])}`;
}

/** A trigger's OLD or NEW order as a one-row source aliased `o`. */
const orderRow = (r: "NEW" | "OLD") =>
  `(SELECT ${r}.created_at AS created_at, ${r}.institution_id AS institution_id, ${r}.pharmacy_id AS pharmacy_id, ${r}.status AS status) o`;

// --- order_events → qualification_daily ------------------------------------------------

const QUAL_KEY = ["day", "institution_id"];
const QUAL_SUMS = ["reviewed", "approved", "rejected", "rejected_non_standard", "rejected_inappropriate", "rejected_abnormal"];

/**
 * The decisions `e` (with `where`) that are their prescription's FIRST decision over all its
 * instalment orders, ordered by (at, id), ignoring the event `ignoreId` (a trigger's
 * NEW when it asks which decision was first before it).
 */
function qualificationUpsert(where: string, sign: 1 | -1, ignoreId?: string): string {
  const s = sign === 1 ? "" : "-";
  const cat = category("o.reject_reason");
  const rejectedAs = (c: string) => `${s}SUM(e.to_status = 'rejected' AND ${cat} = '${c}')`;
  return `INSERT INTO qualification_daily (${[...QUAL_KEY, ...QUAL_SUMS].join(", ")})
  SELECT ${chinaDay("e.at")}, o.institution_id,
         ${s}COUNT(*), ${s}SUM(e.to_status = 'approved'), ${s}SUM(e.to_status = 'rejected'),
         ${rejectedAs("non_standard")}, ${rejectedAs("inappropriate")}, ${rejectedAs("abnormal")}
  FROM order_events e JOIN orders o ON o.id = e.order_id
  WHERE ${decision("e")} AND (${where})
    AND NOT EXISTS (SELECT 1 FROM orders o2 JOIN order_events e2 ON e2.order_id = o2.id
                    WHERE o2.prescription_id = o.prescription_id AND ${decision("e2")}
                      AND (e2.at < e.at OR (e2.at = e.at AND e2.id < e.id))${ignoreId ? ` AND e2.id <> ${ignoreId}` : ""})
  GROUP BY 1, 2
  ${addOnConflict(QUAL_KEY, QUAL_SUMS)}`;
}

// --- order_events → turnaround_daily ---------------------------------------------------

const TURN_KEY = ["day", "institution_id", "metric"];
const BUCKETS = Array.from({ length: TURNAROUND_BUCKETS }, (_, k) => k);
const TURN_SUMS = ["n", "sum_ms", ...BUCKETS.flatMap((k) => [`b${k}`, `s${k}`])];

/** The bucket of a duration `ms` (see TURNAROUND_BOUNDS). */
function bucketOf(ms: string): string {
  const ladder = BUCKETS.slice(1).map((k) => `WHEN ${ms} < ${TURNAROUND_BOUNDS[k]} THEN ${k - 1}`);
  return `CASE ${ladder.join(" ")} ELSE ${TURNAROUND_BUCKETS - 1} END`;
}

/**
 * Review durations (pending_review → decision, dated by the decision) and hand-over
 * durations (approval → picked_up/delivered, dated by the hand-over) of the events `e` with
 * `where`, per order, from the latest start before the end, rounded to the ms as the
 * reports always did. `LIMIT -1` keeps SQLite from flattening the subqueries: flattened,
 * the duration's subquery would be copied into every bucket's CASE (thousands of copies,
 * out of memory in D1).
 */
function turnaroundUpsert(where: string): string {
  const review = "e.to_status IN ('approved', 'rejected')";
  const start = `(SELECT MAX(p.at) FROM order_events p WHERE p.order_id = e.order_id AND p.to_status = CASE WHEN ${review} THEN 'pending_review' ELSE 'approved' END AND p.id < e.id)`;
  const buckets = BUCKETS.map((k) => `SUM(bk = ${k}), SUM(CASE WHEN bk = ${k} THEN ms ELSE 0 END)`).join(",\n         ");
  return `INSERT INTO turnaround_daily (${[...TURN_KEY, ...TURN_SUMS].join(", ")})
  SELECT day, institution_id, metric, COUNT(*), SUM(ms),
         ${buckets}
  FROM (SELECT *, ${bucketOf("ms")} AS bk
        FROM (SELECT ${chinaDay("e.at")} AS day, o.institution_id AS institution_id,
                     CASE WHEN ${review} THEN 'review' ELSE 'fulfilment' END AS metric,
                     ROUND((julianday(e.at) - julianday(${start})) * 86400000.0) AS ms
              FROM order_events e JOIN orders o ON o.id = e.order_id
              WHERE ((${decision("e")}) OR e.to_status IN ('picked_up', 'delivered')) AND (${where})
              LIMIT -1)
        WHERE ms IS NOT NULL
        LIMIT -1)
  GROUP BY day, institution_id, metric
  ${addOnConflict(TURN_KEY, TURN_SUMS)}`;
}

// --- daily → monthly ---------------------------------------------------------------------

/** A rollup: its daily and monthly tables share every column but the period. */
interface Rollup {
  daily: string;
  monthly: string;
  /** the key after the period */
  key: string[];
  sums: string[];
}

export const ROLLUPS: readonly Rollup[] = [
  { daily: "rx_daily", monthly: "rx_monthly", key: RX_KEY.slice(1), sums: RX_SUMS },
  { daily: "order_state_daily", monthly: "order_state_monthly", key: ORDER_KEY.slice(1), sums: ["n"] },
  { daily: "qualification_daily", monthly: "qualification_monthly", key: QUAL_KEY.slice(1), sums: QUAL_SUMS },
  { daily: "turnaround_daily", monthly: "turnaround_monthly", key: TURN_KEY.slice(1), sums: TURN_SUMS },
];

/** Every rollup table, daily then monthly. */
export const ROLLUP_TABLES = [...ROLLUPS.map((r) => r.daily), ...ROLLUPS.map((r) => r.monthly)];

/**
 * Adds the daily rows of `source` (rows with `day`, the key and the sums) to their months.
 * GROUP BY folds an update's old and new row into one delta row when they share a month and
 * key (what every upsert's DO UPDATE is), so an update writes one monthly row.
 */
function monthlyUpsert(r: Rollup, source: string): string {
  return `INSERT INTO ${r.monthly} (month, ${[...r.key, ...r.sums].join(", ")})
  SELECT substr(day, 1, 7), ${r.key.join(", ")}, ${r.sums.map((c) => `SUM(${c})`).join(", ")} FROM ${source}
  GROUP BY 1, ${r.key.map((_, k) => k + 2).join(", ")}
  ${addOnConflict(["month", ...r.key], r.sums)}`;
}

/** A trigger's NEW or OLD daily row, its sums negated with sign -1, as a row source. */
const dailyRow = (r: Rollup, row: "NEW" | "OLD", sign: 1 | -1) =>
  `SELECT ${row}.day AS day, ${[...r.key.map((c) => `${row}.${c} AS ${c}`), ...r.sums.map((c) => `${sign === 1 ? "" : "-"}${row}.${c} AS ${c}`)].join(", ")}`;

function monthlyTriggers(r: Rollup): Trigger[] {
  return [
    { name: `rollup_${r.monthly}_insert`, on: `AFTER INSERT ON ${r.daily}`, body: [monthlyUpsert(r, `(${dailyRow(r, "NEW", 1)})`)] },
    { name: `rollup_${r.monthly}_update`, on: `AFTER UPDATE ON ${r.daily}`, body: [monthlyUpsert(r, `(${dailyRow(r, "NEW", 1)} UNION ALL ${dailyRow(r, "OLD", -1)})`)] },
    { name: `rollup_${r.monthly}_delete`, on: `AFTER DELETE ON ${r.daily}`, body: [monthlyUpsert(r, `(${dailyRow(r, "OLD", -1)})`)] },
  ];
}

/** Rebuilds a monthly table from its daily one, whatever it held. */
const monthlyRebuild = (r: Rollup) => [`DELETE FROM ${r.monthly}`, monthlyUpsert(r, `${r.daily} WHERE true`)];

// --- the triggers ------------------------------------------------------------------------

interface Trigger {
  name: string;
  /** "AFTER INSERT ON t", with an optional WHEN */
  on: string;
  body: string[];
}

const RX_CHANGED = ["created_at", "institution_id", "prescriber_id", "kind", "days", "content"]
  .map((c) => `OLD.${c} IS NOT NEW.${c}`)
  .concat("(OLD.status = 'cancelled') IS NOT (NEW.status = 'cancelled')")
  .join(" OR ");
const ORDER_CHANGED = ["created_at", "institution_id", "pharmacy_id", "status"].map((c) => `OLD.${c} IS NOT NEW.${c}`).join(" OR ");

/** The prescription of the trigger's new event. */
const NEW_EVENT_RX = "(SELECT prescription_id FROM orders WHERE id = NEW.order_id)";

/**
 * Order events are the orders' append-only timeline (no code updates or deletes them), so
 * only their INSERT is followed. A new decision that precedes the prescription's previous
 * first decision (a clock running behind) takes its place.
 */
const SOURCE_TRIGGERS: Trigger[] = [
  { name: "rollup_rx_insert", on: "AFTER INSERT ON prescriptions", body: [rxRow("NEW", 1)] },
  { name: "rollup_rx_update", on: `AFTER UPDATE ON prescriptions WHEN ${RX_CHANGED}`, body: [rxRow("OLD", -1), rxRow("NEW", 1)] },
  { name: "rollup_rx_delete", on: "AFTER DELETE ON prescriptions", body: [rxRow("OLD", -1)] },
  { name: "rollup_orders_insert", on: "AFTER INSERT ON orders", body: [orderUpsert(`${orderRow("NEW")} WHERE true`, 1)] },
  {
    name: "rollup_orders_update",
    on: `AFTER UPDATE ON orders WHEN ${ORDER_CHANGED}`,
    body: [orderUpsert(`${orderRow("OLD")} WHERE true`, -1), orderUpsert(`${orderRow("NEW")} WHERE true`, 1)],
  },
  { name: "rollup_orders_delete", on: "AFTER DELETE ON orders", body: [orderUpsert(`${orderRow("OLD")} WHERE true`, -1)] },
  {
    name: "rollup_decisions_insert",
    on: `AFTER INSERT ON order_events WHEN ${decision("NEW")}`,
    body: [
      qualificationUpsert(`o.prescription_id = ${NEW_EVENT_RX} AND e.id <> NEW.id AND e.at > NEW.at`, -1, "NEW.id"),
      qualificationUpsert("e.id = NEW.id", 1),
    ],
  },
  {
    name: "rollup_turnaround_insert",
    on: `AFTER INSERT ON order_events WHEN (${decision("NEW")}) OR NEW.to_status IN ('picked_up', 'delivered')`,
    body: [turnaroundUpsert("e.id = NEW.id")],
  },
];

const MONTHLY_TRIGGERS = ROLLUPS.flatMap(monthlyTriggers);
const TRIGGERS = [...SOURCE_TRIGGERS, ...MONTHLY_TRIGGERS];

export const ROLLUP_TRIGGER_NAMES = TRIGGERS.map((t) => t.name);

/** CREATE TRIGGER statements, in the migration's order. */
const createTrigger = (t: Trigger) => `CREATE TRIGGER ${t.name} ${t.on}\nBEGIN\n  ${t.body.join(";\n  ")};\nEND`;

export function rollupTriggers(): string[] {
  return TRIGGERS.map(createTrigger);
}

export function dropRollupTriggers(): string[] {
  return ROLLUP_TRIGGER_NAMES.map((n) => `DROP TRIGGER IF EXISTS ${n}`);
}

/**
 * Migration 0013: the turnaround trigger and histograms with the negative-duration bucket
 * (see TURNAROUND_BOUNDS), rebuilt from the events.
 */
export function turnaroundRebuildSql(): string[] {
  const trigger = SOURCE_TRIGGERS.find((t) => t.name === "rollup_turnaround_insert");
  if (!trigger) throw new Error("no turnaround trigger");
  return [`DROP TRIGGER ${trigger.name}`, createTrigger(trigger), "DELETE FROM turnaround_daily", turnaroundUpsert("1")];
}

/**
 * Builds every rollup from the existing rows: the daily ones into empty tables (or adding to
 * them), then each monthly one rebuilt from its daily one.
 */
export function rollupBackfill(): string[] {
  return [...dailyBackfill(), ...ROLLUPS.flatMap(monthlyRebuild)];
}

function dailyBackfill(): string[] {
  return [
    rxUpsert(perPrescription("p", "prescriptions p", "GROUP BY p.rowid"), 1),
    orderUpsert("orders o WHERE true", 1),
    qualificationUpsert("1", 1),
    turnaroundUpsert("1"),
  ];
}

/** Migration 0016: the monthly rollups' triggers, and the monthly rollups built from the daily ones. */
export function monthlyRollupsSql(): string[] {
  return [...MONTHLY_TRIGGERS.map(createTrigger), ...ROLLUPS.flatMap(monthlyRebuild)];
}

/** Statements as a migration holds them: drizzle's statement separator between them. */
export function migrationSql(statements: string[]): string {
  return statements.join(";\n--> statement-breakpoint\n").concat(";\n");
}

/**
 * What migration 0012 appended after drizzle's CREATE TABLEs (with today's buckets: 0013
 * rebuilt the turnaround part; 0016 added the monthly rollups).
 */
export function rollupMigrationSql(): string {
  return migrationSql([...SOURCE_TRIGGERS.map(createTrigger), ...dailyBackfill()]);
}
