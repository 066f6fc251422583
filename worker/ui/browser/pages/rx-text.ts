/**
 * Words shared by the doctor's prescription pages: my prescriptions (prescriptions.ts), the
 * printed 处方笺 (rx-print.ts) and the verify page (verify.ts). Pure: no DOM, no API.
 */
import { isReviewReasonCode, REVIEW_REASONS } from "../../../pharmacy/desk/desk.labels";
import { RETURN_REASONS } from "../../../pharmacy/desk/returns.labels";
import type { LABELS } from "../../labels";
import { date, time } from "../lib/format";
import type { PrescriptionKind } from "../../../rules/types";

/** The date in China of an instant: a prescription is dated where it is written, whatever the zone of the machine that prints it. */
export const chinaDate = date;

/** "2026-12-05 09:30", China time. */
export const chinaDateTime = time;

/** Whole days from the China date of `iso` to today's China date (0 = today). */
export function daysAgo(iso: string, now = new Date()): number {
  const day = (s: string) => Date.parse(`${s}T00:00:00Z`);
  return Math.round((day(date(now.toISOString())) - day(chinaDate(iso))) / 86_400_000);
}

/**
 * Whether an age as a prescription writes it ("68岁", "1岁3月", "8月", "20天") is under 14:
 * the age limit of paediatrics (儿科) in Chinese hospitals, which the 处方管理办法 paediatric
 * prescription follows. An age in months or days alone is an infant's.
 */
export function isChildAge(age: string): boolean {
  const years = /^(\d+)\s*岁/.exec(age.trim());
  if (years) return Number(years[1]) < 14;
  return /^\d+\s*[月天日周]/.test(age.trim());
}

export type CornerMark = keyof typeof LABELS.rxCorner;

/**
 * The kind marked in the 处方笺's corner: 急诊 and 长期处方 by the prescription's kind; a
 * normal prescription for a child is a 儿科 prescription (处方管理办法 附件1, 处方标准).
 */
export function cornerMark(kind: PrescriptionKind, age: string): CornerMark {
  if (kind === "normal" && isChildAge(age)) return "pediatric";
  return kind;
}

/**
 * A pharmacist's reason in words: a 处方点评 reason code (order review) or a return reason
 * (`code` or `code: free text`) by its label; text that is already words stays as it is.
 */
export function reasonText(reason: string | null | undefined): string | null {
  const text = reason?.trim();
  if (!text) return null;
  if (isReviewReasonCode(text)) return REVIEW_REASONS[text];
  const colon = text.indexOf(":");
  const code = (colon < 0 ? text : text.slice(0, colon)).trim();
  if (Object.hasOwn(RETURN_REASONS, code)) {
    const free = colon < 0 ? "" : text.slice(colon + 1).trim();
    return free ? `${RETURN_REASONS[code]}：${free}` : (RETURN_REASONS[code] ?? text);
  }
  return text;
}

