import type { ReportRange } from "./report-range";
import { scopeClause } from "./reports.repo";

/** Routes that are injections (formulary route codes, labels.ts route). */
export const INJECTION_ROUTES = ["iv", "im", "sc", "intradermal"] as const;

export interface PrescriberIndicatorRow {
  prescriber_id: string;
  prescriber_name: string | null;
  institution_id: string;
  prescriptions: number;
  items: number;
  with_antimicrobial: number;
  with_injection: number;
  essential_items: number;
  generic_items: number;
  vbp_items: number;
}

/**
 * The WHO/INRUD core prescribing indicators' sums per prescriber (and institution), for
 * prescriptions signed in the range and still standing (not cancelled: a cancelled one was
 * never dispensed).
 *
 * What was prescribed is read from the frozen signed content (json_each over its items),
 * and each item's flags from the formulary entry AS OF the version it was signed against
 * (the content names it): the version's snapshot when superseded, else the current entry.
 * A later edit to the formulary does not rewrite last month's indicators.
 * - antimicrobial: the entry has a 抗菌药物分级 (unrestricted / restricted / special);
 * - injection: the item's route as prescribed, else the entry's, is iv / im / sc / intradermal;
 * - generic: the content names the item by the entry's 通用名 (drug.genericName present).
 *
 * Always the whole consortium: every row is a peer of the rows asked for (institutions of
 * the same level, doctors of the consortium). Prescriptions are found through
 * (institution_id, created_at): the IN list of institutions walks prescriptions_institution
 * once per member, not the whole table.
 */
export function prescriberIndicatorsStatement(d1: D1Database, range: ReportRange) {
  const inScope = scopeClause("p.institution_id", {});
  const injections = INJECTION_ROUTES.map((r) => `'${r}'`).join(", ");
  const flag = (field: string) => `CASE WHEN v.snapshot IS NOT NULL THEN json_extract(v.snapshot, '$.${field}') ELSE f.${field} END`;
  return d1
    .prepare(
      `WITH items AS (
         SELECT p.id AS rx_id, p.prescriber_id, p.institution_id,
                json_extract(j.value, '$.drugCode') AS code,
                json_extract(j.value, '$.drug.version') AS version,
                json_extract(j.value, '$.drug.genericName') AS generic_name,
                json_extract(j.value, '$.route') AS route
         FROM prescriptions p, json_each(p.content, '$.items') j
         WHERE ${inScope.sql} AND p.created_at >= ? AND p.created_at < ? AND p.status <> 'cancelled'
       ),
       flagged AS (
         SELECT i.rx_id, i.prescriber_id, i.institution_id,
                ${flag("antimicrobial")} IS NOT NULL AS antimicrobial,
                COALESCE(i.route, ${flag("route")}) IN (${injections}) AS injection,
                COALESCE(${flag("essential")}, 0) = 1 AS essential,
                COALESCE(${flag("vbp")}, 0) = 1 AS vbp,
                COALESCE(i.generic_name, '') <> '' AS generic
         FROM items i
         LEFT JOIN formulary_entry_versions v ON v.code = i.code AND v.version = i.version
         LEFT JOIN formulary_entries f ON f.code = i.code
       ),
       per_rx AS (
         SELECT rx_id, prescriber_id, institution_id, COUNT(*) AS items,
                MAX(antimicrobial) AS antimicrobial, MAX(injection) AS injection,
                SUM(essential) AS essential, SUM(generic) AS generic, SUM(vbp) AS vbp
         FROM flagged GROUP BY rx_id
       )
       SELECT r.prescriber_id, pr.name AS prescriber_name, r.institution_id,
              COUNT(*) AS prescriptions, SUM(r.items) AS items,
              SUM(r.antimicrobial) AS with_antimicrobial, SUM(r.injection) AS with_injection,
              SUM(r.essential) AS essential_items, SUM(r.generic) AS generic_items, SUM(r.vbp) AS vbp_items
       FROM per_rx r LEFT JOIN practitioners pr ON pr.id = r.prescriber_id
       GROUP BY r.prescriber_id, r.institution_id`,
    )
    .bind(...inScope.params, range.startAt, range.endAt);
}
