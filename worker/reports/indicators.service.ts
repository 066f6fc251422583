import { PRESCRIBER_INDICATOR_KEYS, type PrescriberIndicatorRow, prescriberIndicatorsStatement } from "./indicators.repo";
import { resolvePeriod } from "./report-range";
import { institutionsStatement, unpackRows } from "./reports.repo";
import type { Indicator, Indicators, PeerStats, PrescribingIndicatorsReport, Quartiles, RangeQuery } from "./reports.schemas";
import { type InstitutionRow, type ReportCtx, ratio, round2, scopedInstitutions } from "./reports.service";

type Sums = Omit<PrescriberIndicatorRow, "prescriber_id" | "prescriber_name" | "institution_id">;

const NO_SUMS: Sums = { prescriptions: 0, items: 0, with_antimicrobial: 0, with_injection: 0, essential_items: 0, generic_items: 0, vbp_items: 0 };

function sumOf(rows: Sums[]): Sums {
  const out = { ...NO_SUMS };
  for (const r of rows) for (const k of Object.keys(NO_SUMS) as (keyof Sums)[]) out[k] += r[k];
  return out;
}

const rate4 = (num: number, den: number) => Math.round(ratio(num, den) * 10_000) / 10_000;

function indicatorsOf(s: Sums): Indicators {
  return {
    prescriptions: s.prescriptions,
    items: s.items,
    drugsPerPrescription: round2(ratio(s.items, s.prescriptions)),
    antimicrobialShare: rate4(s.with_antimicrobial, s.prescriptions),
    injectionShare: rate4(s.with_injection, s.prescriptions),
    essentialShare: rate4(s.essential_items, s.items),
    genericShare: rate4(s.generic_items, s.items),
    vbpShare: rate4(s.vbp_items, s.items),
  };
}

/** The p-th percentile of sorted values, interpolated between the closest ranks (as PERCENTILE_CONT and the turnaround report). */
function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  const pos = (sorted.length - 1) * p;
  const lo = Math.floor(pos);
  const a = sorted[lo] ?? 0;
  const b = sorted[lo + 1] ?? a;
  return Math.round((a + (pos - lo) * (b - a)) * 10_000) / 10_000;
}

/** Quartiles of each indicator over the peers that prescribed in the period. */
function peerStats(peers: Indicators[]): PeerStats {
  const active = peers.filter((p) => p.prescriptions > 0);
  const quartiles = (k: Indicator): Quartiles => {
    const values = active.map((p) => p[k]).sort((a, b) => a - b);
    return { p25: percentile(values, 0.25), p50: percentile(values, 0.5), p75: percentile(values, 0.75) };
  };
  return {
    count: active.length,
    drugsPerPrescription: quartiles("drugsPerPrescription"),
    antimicrobialShare: quartiles("antimicrobialShare"),
    injectionShare: quartiles("injectionShare"),
    essentialShare: quartiles("essentialShare"),
    genericShare: quartiles("genericShare"),
    vbpShare: quartiles("vbpShare"),
  };
}

/**
 * WHO/INRUD core prescribing indicators (WHO/DAP/93.1) per institution and per doctor for
 * a period, each against its peers' quartiles: institutions of the same level, doctors of
 * the whole consortium. One D1 round trip: per-doctor sums of the whole consortium (a row
 * per doctor who prescribed, whatever the volume) and the institutions; institutions,
 * totals and quartiles are added up here.
 */
export async function prescribingIndicatorsReport(ctx: ReportCtx, q: RangeQuery): Promise<PrescribingIndicatorsReport> {
  const range = resolvePeriod(ctx.now, q);
  const d1 = ctx.db.$client;
  const [a, b] = await d1.batch<unknown>([prescriberIndicatorsStatement(d1, range), institutionsStatement(d1)]);
  const rows = unpackRows<PrescriberIndicatorRow>(a?.results, PRESCRIBER_INDICATOR_KEYS);
  const institutions = (b?.results ?? []) as InstitutionRow[];
  const scope = { level: q.level, institutionId: q.institutionId };
  const asked = scopedInstitutions(institutions, scope);
  const askedIds = new Set(asked.map((i) => i.id));
  const names = new Map(institutions.map((i) => [i.id, i.name]));

  const rowsOf = new Map<string, PrescriberIndicatorRow[]>();
  for (const r of rows) {
    const list = rowsOf.get(r.institution_id);
    if (list) list.push(r);
    else rowsOf.set(r.institution_id, [r]);
  }
  const perInstitution = new Map(institutions.map((i) => [i.id, indicatorsOf(sumOf(rowsOf.get(i.id) ?? []))]));
  const levels = [...new Set(institutions.map((i) => i.level))];
  const institutionsByLevel = Object.fromEntries(
    levels.map((level) => [level, peerStats(institutions.filter((i) => i.level === level).map((i) => perInstitution.get(i.id) ?? indicatorsOf(NO_SUMS)))]),
  );
  const doctors = rows.map((r) => ({
    key: r.prescriber_id,
    label: r.prescriber_name ?? r.prescriber_id,
    institutionId: r.institution_id,
    institutionName: names.get(r.institution_id) ?? r.institution_id,
    ...indicatorsOf(r),
  }));
  return {
    from: range.from,
    to: range.to,
    level: q.level ?? null,
    institutionId: q.institutionId ?? null,
    total: indicatorsOf(sumOf(rows.filter((r) => askedIds.has(r.institution_id)))),
    institutions: asked.map((i) => ({ key: i.id, label: i.name, level: i.level, ...(perInstitution.get(i.id) ?? indicatorsOf(NO_SUMS)) })),
    doctors: doctors
      .filter((d) => askedIds.has(d.institutionId))
      .sort((x, y) => y.prescriptions - x.prescriptions || x.key.localeCompare(y.key)),
    peers: { institutionsByLevel, doctors: peerStats(doctors) },
  };
}
