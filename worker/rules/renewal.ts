/**
 * Renewals and refills: when an earlier supply of a drug is taken over by the draft rather
 * than duplicated (issue 10).
 *
 * - A long-prescription draft takes over the supply of the patient's last long prescription
 *   for the same condition and drugs (ctx.lastLongPrescription, chosen by the rule context)
 *   when it is written within the consortium's refill grace window before that supply runs
 *   out, renewal or first issue alike; and whatever is left of it when the draft is the
 *   first issue that a re-assessment trigger made necessary (规范: the next long
 *   prescription after an admission, a new condition or unmet goals is a first issue): the
 *   re-assessed regimen replaces the one it re-assessed.
 * - Any prescription refills the same drug without duplicating it when it is written within
 *   the grace window and at least half of the earlier supply has been used, so that a second
 *   prescription of the same drug a day after the first is still a duplicate.
 *
 * The grace window is ctx.policy.refillGraceDays (national default 7 days: the day the next
 * instalment of a long prescription is released, settings instalmentLeadDays). 长期处方管理
 * 规范（试行） sets no number of days for renewing early.
 */
import { chinaDateOf, dayNumber, happenedAfter } from "./dates";
import type { PatientRecord, RuleContext, SupplyLine } from "./types";

/** Days of the line's supply left on `date`: 1 on its last covered day (the supply runs out the day after). */
export function daysLeft(line: Pick<SupplyLine, "startDate" | "days">, date: string): number {
  return dayNumber(line.startDate) + line.days - dayNumber(date);
}

/** Re-assessment triggers after the last long prescription and no later than the draft's date (China dates). */
export function reassessmentTriggers(ctx: RuleContext): PatientRecord["events"] {
  const last = ctx.lastLongPrescription;
  if (!last) return [];
  const date = chinaDateOf(ctx.draft.writtenAt);
  return ctx.patient.events.filter((e) => happenedAfter(e.at, last.writtenAt) && chinaDateOf(e.at) <= date);
}

/** The first issue written because a re-assessment was due: it replaces the last long prescription's regimen. */
function reassessedFirstIssue(ctx: RuleContext): boolean {
  return ctx.draft.longTerm?.firstIssue === true && reassessmentTriggers(ctx).length > 0;
}

/**
 * The line belongs to the last long prescription (same condition and drugs) and this
 * long-term draft takes it over: within the grace window, or as the re-assessed first issue.
 * Such a line is no longer "active supply" for any safety check: the draft replaces it.
 */
export function supersededByDraft(ctx: RuleContext, line: SupplyLine): boolean {
  const last = ctx.lastLongPrescription;
  if (ctx.draft.kind !== "long_term" || !last || line.prescriptionId !== last.prescriptionId) return false;
  return daysLeft(line, chinaDateOf(ctx.draft.writtenAt)) <= ctx.policy.refillGraceDays || reassessedFirstIssue(ctx);
}

/** A refill of a drug whose earlier supply is running out: within the grace window, at least half of it used. */
function isRefillOf(ctx: RuleContext, line: SupplyLine): boolean {
  const left = daysLeft(line, chinaDateOf(ctx.draft.writtenAt));
  return left <= ctx.policy.refillGraceDays && left * 2 <= line.days;
}

/**
 * For the duplicate-ingredient check: the draft item that repeats `line`'s ingredient
 * continues that supply (a renewal, a re-assessed first issue, or a refill in the grace
 * window) instead of duplicating it.
 */
export function isRenewalOf(ctx: RuleContext, line: SupplyLine): boolean {
  return supersededByDraft(ctx, line) || isRefillOf(ctx, line);
}
