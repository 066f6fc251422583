/**
 * Consortia run on China Standard Time (UTC+8, no daylight saving): "today" for a
 * prescription or an effective date is the date in Beijing, not in UTC.
 */
const CST_OFFSET_MS = 8 * 60 * 60 * 1000;

export function chinaDate(now: Date): string {
  return new Date(now.getTime() + CST_OFFSET_MS).toISOString().slice(0, 10);
}

/** YYYY-MM-DD plus n days. */
export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}
