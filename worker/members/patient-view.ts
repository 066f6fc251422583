/*
 * How a patient is shown to the doctors of the consortium: age on today's China date and the
 * phone with its middle digits hidden, so a search list or a due list helps pick the right
 * person without spreading whole phone numbers; to pharmacy staff in a work list, the name
 * masked as a 叫号屏 shows it. Pure; members/, follow-up/ and the desk use it.
 */

/** Whole years from `birthDate` to `today` (both YYYY-MM-DD, China dates); a birthday counts from its day. */
export function ageOn(birthDate: string, today: string): number {
  const years = Number(today.slice(0, 4)) - Number(birthDate.slice(0, 4));
  return today.slice(5) < birthDate.slice(5) ? years - 1 : years;
}

/** "13807312608" → "138****2608": enough to confirm with the patient, not enough to call them. */
export function maskPhone(phone: string | null): string | null {
  if (phone === null) return null;
  if (phone.length < 8) return "****";
  return `${phone.slice(0, 3)}****${phone.slice(-4)}`;
}

/**
 * "郑秀梅" → "郑*梅", "张三" → "张*", "欧阳春娜" → "欧**娜": enough for the window to call the
 * right person and for staff to tell two orders apart, not the whole name in a list that no
 * audit row follows (the order's page shows it whole, and is audited). Counted in characters,
 * not UTF-16 units, so a rare character outside the BMP stays whole.
 */
export function maskName(name: string | null): string | null {
  if (name === null) return null;
  const chars = [...name.trim()];
  if (chars.length === 0) return null;
  if (chars.length <= 2) return `${chars[0]}*`;
  return `${chars[0]}${"*".repeat(chars.length - 2)}${chars[chars.length - 1]}`;
}

/** The renal and pregnancy fields of a patients row as the API shows them (record reads, the follow-up overview). */
export function clinicalStatusOf(row: { egfr: number | null; egfrOn: string | null; pregnancy: string | null; pregnancyOn: string | null }): {
  egfr: number | null;
  egfrOn: string | null;
  pregnancy: "pregnant" | "lactating" | null;
  pregnancyOn: string | null;
} {
  const pregnancy = row.pregnancy === "pregnant" || row.pregnancy === "lactating" ? row.pregnancy : null;
  return { egfr: row.egfr, egfrOn: row.egfrOn, pregnancy, pregnancyOn: row.pregnancyOn };
}
