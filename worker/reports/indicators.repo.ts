import type { ReportRange } from "./report-range";
import { packedRows, periodRows, scopeClause } from "./reports.repo";

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

/** What the indicators add up per doctor besides the standing prescriptions: rx_daily's columns of these names. */
const FLAG_SUMS = ["items", "with_antimicrobial", "with_injection", "essential_items", "generic_items", "vbp_items"] as const;

export const PRESCRIBER_INDICATOR_KEYS = ["prescriber_id", "prescriber_name", "institution_id", "prescriptions", ...FLAG_SUMS] as const satisfies readonly (keyof PrescriberIndicatorRow)[];

/**
 * The WHO/INRUD core prescribing indicators' sums per prescriber (and institution), for
 * prescriptions signed in the range and still standing (not cancelled: a cancelled one was
 * never dispensed), from rx_daily and rx_monthly (a row per day or month × institution × doctor).
 *
 * The rollup's triggers read what was prescribed from the frozen signed content, and each
 * item's flags from the formulary entry AS OF the version it was signed against
 * (worker/reports/rollups.sql.ts), so a later edit to the formulary does not rewrite last
 * month's indicators.
 * - antimicrobial: the entry has a 抗菌药物分级 (unrestricted / restricted / special);
 * - injection: the item's route as prescribed, else the entry's, is iv / im / sc / intradermal;
 * - generic: the content names the item by the entry's 通用名 (drug.genericName present).
 *
 * Always the whole consortium: every row is a peer of the rows asked for (institutions of
 * the same level, doctors of the consortium). Names are joined after the sums. A row per
 * doctor, packed (reports.repo.ts `packedRows`; read with `unpackRows(…, PRESCRIBER_INDICATOR_KEYS)`).
 */
export function prescriberIndicatorsStatement(d1: D1Database, range: ReportRange) {
  const rows = periodRows("rx", ["prescriber_id", "institution_id", "standing", ...FLAG_SUMS], range, scopeClause("institution_id", {}));
  return d1
    .prepare(
      packedRows(
        `SELECT r.prescriber_id, pr.name AS prescriber_name, r.institution_id, r.prescriptions, ${FLAG_SUMS.map((c) => `r.${c}`).join(", ")}
         FROM (SELECT prescriber_id, institution_id, SUM(standing) AS prescriptions, ${FLAG_SUMS.map((c) => `SUM(${c}) AS ${c}`).join(", ")}
               FROM ${rows.sql}
               GROUP BY prescriber_id, institution_id
               HAVING SUM(standing) > 0) r
         LEFT JOIN practitioners pr ON pr.id = r.prescriber_id`,
        PRESCRIBER_INDICATOR_KEYS,
      ),
    )
    .bind(...rows.params);
}
