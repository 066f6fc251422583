/**
 * Which doctors the prescribing-indicator chart draws. A consortium has hundreds of doctors
 * (1 per 1,000 people): one bar each makes a chart metres tall that nobody reads, so the chart
 * keeps the ones a 处方点评 looks at first, the furthest on the side of concern, and the
 * table under it lists everyone.
 */

/** Per indicator, whether a high value is the concern (many drugs, antibiotics, injections) or a low one (few essential, generic or VBP drugs). */
export const CONCERN_IS_HIGH = {
  drugsPerPrescription: true,
  antimicrobialShare: true,
  injectionShare: true,
  essentialShare: false,
  genericShare: false,
  vbpShare: false,
} as const;

export type ConcernIndicator = keyof typeof CONCERN_IS_HIGH;

/** The chart shows at most this many doctors. */
export const CHART_LIMIT = 20;

/**
 * The rows to chart for indicator `k`: those who prescribed, all of them when they are at
 * most `limit`, else the `limit` of greatest concern (ties by name, so a reload draws the same
 * chart). `of` says how many prescribed, for the note under the title.
 */
export function chartedRows<R extends { label: string; prescriptions: number } & Record<ConcernIndicator, number>>(
  rows: readonly R[],
  k: ConcernIndicator,
  limit = CHART_LIMIT,
): { rows: R[]; of: number; cut: boolean } {
  const active = rows.filter((r) => r.prescriptions > 0);
  if (active.length <= limit) return { rows: active, of: active.length, cut: false };
  const sign = CONCERN_IS_HIGH[k] ? -1 : 1;
  const ranked = [...active].sort((a, b) => sign * (a[k] - b[k]) || a.label.localeCompare(b.label, "zh-CN"));
  return { rows: ranked.slice(0, limit), of: active.length, cut: true };
}
