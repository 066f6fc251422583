/** Shared reads of a RuleContext that several rule families need. */
import { chinaDateOf, covers } from "./dates";
import { supersededByDraft } from "./renewal";
import type { DraftItem, FormularyView, PrescriptionKind, RuleContext, RuleDrug, RuleHit, SupplyLine } from "./types";

/** The prescription date: the China date of draft.writtenAt (see dates.ts). */
export function prescriptionDate(ctx: RuleContext): string {
  return chinaDateOf(ctx.draft.writtenAt);
}

/** Prescription days = the longest item's days (0 for an empty draft). */
export function prescriptionDays(ctx: RuleContext): number {
  let days = 0;
  for (const item of ctx.draft.items) days = Math.max(days, item.days);
  return days;
}

export function viewOf(ctx: RuleContext, item: DraftItem): FormularyView | undefined {
  // Own-property check: a code such as "constructor" must not resolve to Object.prototype.
  return Object.hasOwn(ctx.formulary, item.drugCode) ? ctx.formulary[item.drugCode] : undefined;
}

/**
 * One hit per item whose drug the formulary knows. Items with an unknown code are left to
 * rx-drug-unknown alone: nothing else can be said about them.
 */
export function eachKnownItem(
  ctx: RuleContext,
  check: (item: DraftItem, drug: RuleDrug, index: number, view: FormularyView) => RuleHit | null,
): RuleHit[] {
  const hits: RuleHit[] = [];
  ctx.draft.items.forEach((item, index) => {
    const view = viewOf(ctx, item);
    if (!view) return;
    const hit = check(item, view.drug, index, view);
    if (hit) hits.push(hit);
  });
  return hits;
}

export function itemPath(index: number, field: keyof DraftItem): string {
  return `items.${index}.${field}`;
}

/**
 * Earlier supply still covering the prescription date, at any member institution, except
 * the supply of the last long prescription that this long-term draft takes over (renewal.ts).
 */
export function coveringSupply(ctx: RuleContext): SupplyLine[] {
  const date = prescriptionDate(ctx);
  return ctx.activeSupply.filter((line) => covers(line.startDate, line.days, date) && !supersededByDraft(ctx, line));
}

/**
 * Routes that act locally. Systemic facts (interactions, antimicrobial grades, age limits of a
 * class) do not hold for them: levofloxacin eye drops are for children too.
 */
const LOCAL_ROUTES = new Set(["topical", "ophthalmic", "otic", "nasal", "vaginal"]);

export function actsLocally(drug: Pick<RuleDrug, "route">): boolean {
  return LOCAL_ROUTES.has(drug.route);
}

/** An item acts locally by the route it is prescribed by, else its entry's (an eye ointment written "ophthalmic"). */
export function itemActsLocally(item: Pick<DraftItem, "route"> | undefined, drug: Pick<RuleDrug, "route">): boolean {
  return actsLocally({ route: item?.route ?? drug.route });
}

/** A supply line acts locally by the route it was signed with; a line without one (signed before routes were kept) is taken as systemic. */
export function supplyActsLocally(line: SupplyLine): boolean {
  return line.route !== null && actsLocally({ route: line.route });
}

export function isBlank(s: string | undefined | null): boolean {
  return !s || s.trim() === "";
}

/**
 * Items of a `kind` prescription with more than `limit` days, one hit each at items.i.days.
 * Unknown drugs count too: days are days whatever the drug.
 */
export function itemsWithDaysOver(
  ctx: RuleContext,
  kind: PrescriptionKind,
  limit: number,
  message: (days: number, index: number) => string,
): RuleHit[] {
  if (ctx.draft.kind !== kind) return [];
  const hits: RuleHit[] = [];
  ctx.draft.items.forEach((item, index) => {
    if (item.days > limit) hits.push({ itemIndex: index, path: itemPath(index, "days"), message: message(item.days, index) });
  });
  return hits;
}
