/**
 * Safety across the draft and the patient's active supply (医疗机构处方审核规范 2018):
 * allergy, duplicate ingredient or class, interactions. Pairs are item–item (reported once,
 * at the later item, naming the earlier) and item–supply (reported at the item, naming the
 * other prescription and institution); supply–supply pairs are history, not this draft's doing.
 * Cost: O(items² + items × supply) pairs, plus O(interactions × (items + supply)) side matches.
 */
import { dayNumber, isoDateOf } from "./dates";
import { coveringSupply, itemActsLocally, itemPath, supplyActsLocally, viewOf } from "./items";
import { isRenewalOf } from "./renewal";
import { RX_REVIEW } from "./sources";
import { drugLabel, itemNo } from "./text";
import type { Interaction, Rule, RuleContext, RuleDrug, RuleHit, SupplyLine } from "./types";

/** What a pair check needs of a drug, whether on the draft or in earlier supply. */
interface Substance {
  atc: string | null;
  genericName: string;
}

type ItemSubject = { kind: "item"; index: number; drug: RuleDrug };
type Subject = ItemSubject | { kind: "supply"; line: SupplyLine };

function substanceOf(s: Subject): Substance {
  return s.kind === "item" ? s.drug : s.line;
}

function draftSubjects(ctx: RuleContext): ItemSubject[] {
  const subjects: ItemSubject[] = [];
  ctx.draft.items.forEach((item, index) => {
    const view = viewOf(ctx, item);
    if (view) subjects.push({ kind: "item", index, drug: view.drug });
  });
  return subjects;
}

function supplySubjects(ctx: RuleContext): Subject[] {
  return coveringSupply(ctx).map((line) => ({ kind: "supply", line }));
}

function atcUpper(atc: string | null): string {
  return atc ? atc.trim().toUpperCase() : "";
}

/**
 * One ingredient: the same 7-character ATC, or the same generic name. The name also counts
 * because one ingredient can carry two ATC codes (aspirin B01AC06 / N02BA01) and a supply
 * line may lack its ATC.
 */
export function sameIngredient(a: Substance, b: Substance): boolean {
  const atcA = atcUpper(a.atc);
  if (atcA.length >= 7 && atcA.slice(0, 7) === atcUpper(b.atc).slice(0, 7)) return true;
  return a.genericName.trim() === b.genericName.trim();
}

/** ATC level 4 (chemical subgroup, 5 characters), shared by two different ingredients. */
function sharedClass(a: Substance, b: Substance): string | null {
  const atcA = atcUpper(a.atc);
  if (atcA.length < 5 || atcA.slice(0, 5) !== atcUpper(b.atc).slice(0, 5)) return null;
  return sameIngredient(a, b) ? null : atcA.slice(0, 5);
}

function supplyText(line: SupplyLine): string {
  const lastDay = isoDateOf(dayNumber(line.startDate) + line.days - 1);
  return `机构 ${line.institutionId} 处方 ${line.prescriptionId} 的${line.genericName}（用药至 ${lastDay}）`;
}

function otherText(other: Subject): string {
  return other.kind === "item" ? `${itemNo(other.index)}（${drugLabel(other.drug)}）` : supplyText(other.line);
}

/**
 * Every item–item and item–supply pair for which `describe` says something, reported at the
 * (later) item. `continued`: supply lines an item takes over rather than repeats (renewal.ts).
 */
function pairHits(
  ctx: RuleContext,
  describe: (a: Substance, b: Substance) => string | null,
  phrase: (what: string) => string,
  continued: (line: SupplyLine) => boolean = () => false,
): RuleHit[] {
  const items = draftSubjects(ctx);
  const supply = supplySubjects(ctx);
  const hits: RuleHit[] = [];
  const report = (item: ItemSubject, other: Subject) => {
    const what = describe(item.drug, substanceOf(other));
    if (what === null) return;
    hits.push({
      itemIndex: item.index,
      path: itemPath(item.index, "drugCode"),
      message: `${drugLabel(item.drug)}：与${otherText(other)}${phrase(what)}`,
    });
  };
  items.forEach((item, n) => {
    for (let m = 0; m < n; m++) report(item, items[m] as ItemSubject);
    for (const other of supply) if (other.kind !== "supply" || !continued(other.line)) report(item, other);
  });
  return hits;
}

function allergyMatches(allergy: { substance: string; atcPrefix: string | null }, drug: RuleDrug): boolean {
  const prefix = atcUpper(allergy.atcPrefix);
  if (prefix && atcUpper(drug.atc).startsWith(prefix)) return true;
  const substance = allergy.substance.trim().toLowerCase();
  return [drug.genericName, drug.innName].some((name) => name !== null && namesOverlap(substance, name.trim().toLowerCase()));
}

/**
 * Equal, or one contains the other when the contained one is long enough to mean something:
 * 2 characters of Chinese (双胍, 青霉素) but 4 of Latin script, where 2 letters ("in") sit
 * inside half the INN list and a false allergy blocks signing.
 */
function namesOverlap(a: string, b: string): boolean {
  if (!a || !b) return false;
  if (a === b) return true;
  return (meaningful(a) && b.includes(a)) || (meaningful(b) && a.includes(b));
}

function meaningful(fragment: string): boolean {
  return fragment.length >= (/^[ -~]*$/.test(fragment) ? 4 : 2);
}

export const safetyAllergy: Rule = {
  id: "safety-allergy",
  severity: "error",
  source: RX_REVIEW,
  description: "药品成分或类别与患者过敏史相符",
  check: (ctx) => {
    const hits: RuleHit[] = [];
    for (const subject of draftSubjects(ctx)) {
      const allergy = ctx.patient.allergies.find((a) => allergyMatches(a, subject.drug));
      if (!allergy) continue;
      const cls = allergy.atcPrefix ? `（ATC ${allergy.atcPrefix}）` : "";
      hits.push({
        itemIndex: subject.index,
        path: itemPath(subject.index, "drugCode"),
        message: `${drugLabel(subject.drug)}：患者有“${allergy.substance}”${cls}过敏史`,
      });
    }
    return hits;
  },
};

export const safetyDuplicateIngredient: Rule = {
  id: "safety-duplicate-ingredient",
  severity: "error",
  source: RX_REVIEW,
  description: "同一成分重复开具，或与患者在医联体内尚未用完的处方重复",
  // a renewal or a refill in the grace window continues the earlier supply of its ingredient
  check: (ctx) => pairHits(ctx, (a, b) => (sameIngredient(a, b) ? "" : null), () => "成分重复", (line) => isRenewalOf(ctx, line)),
};

export const safetyDuplicateClass: Rule = {
  id: "safety-duplicate-class",
  severity: "warning",
  source: RX_REVIEW,
  description: "两种药品（或与在用药品）属同一治疗类别（ATC 第 4 级）",
  check: (ctx) => pairHits(ctx, sharedClass, (cls) => `同属一类药物（ATC ${cls}），请确认是否需要联用`),
};

function sideMatches(side: Interaction["a"], s: Substance): boolean {
  const prefix = atcUpper(side.atcPrefix ?? null);
  if (prefix && atcUpper(s.atc).startsWith(prefix)) return true;
  const name = side.name?.trim();
  return !!name && s.genericName.includes(name);
}

interface InteractionPair {
  item: ItemSubject;
  other: Subject;
  interaction: Interaction;
}

function subjectKey(s: Subject, supplyIndex: Map<SupplyLine, number>): string {
  return s.kind === "item" ? `i${s.index}` : `s${supplyIndex.get(s.line)}`;
}

/**
 * Pairs with an interaction of `severity`, each pair once (the first interaction listed wins,
 * either orientation). The item of a pair is the later item, so the finding sits where the
 * doctor added the second drug. Pairs listed in `skip` are left out.
 */
function interactionPairs(ctx: RuleContext, severity: Interaction["severity"], skip: Set<string> = new Set()): { pairs: InteractionPair[]; keys: Set<string> } {
  // The table's interactions are systemic (an erythromycin eye ointment does not raise simvastatin
  // levels): locally acting items (by the route prescribed) and supply lines (by the route signed) take no part.
  const items = draftSubjects(ctx).filter((s) => !itemActsLocally(ctx.draft.items[s.index], s.drug));
  const supply = supplySubjects(ctx).filter((s) => s.kind !== "supply" || !supplyActsLocally(s.line));
  const subjects = [...items, ...supply];
  const supplyIndex = new Map<SupplyLine, number>();
  subjects.forEach((s, n) => {
    if (s.kind === "supply") supplyIndex.set(s.line, n);
  });
  const keys = new Set<string>();
  const pairs: InteractionPair[] = [];
  for (const interaction of ctx.interactions) {
    if (interaction.severity !== severity) continue;
    const sideA = subjects.filter((s) => sideMatches(interaction.a, substanceOf(s)));
    if (sideA.length === 0) continue;
    const sideB = subjects.filter((s) => sideMatches(interaction.b, substanceOf(s)));
    for (const x of sideA) {
      for (const y of sideB) {
        const pair = orderPair(x, y);
        if (!pair) continue;
        const key = `${subjectKey(pair.item, supplyIndex)}|${subjectKey(pair.other, supplyIndex)}`;
        if (keys.has(key) || skip.has(key)) continue;
        keys.add(key);
        pairs.push({ ...pair, interaction });
      }
    }
  }
  return { pairs, keys };
}

/** The pair as (later item, other), or null for one subject with itself or two supply lines. */
function orderPair(x: Subject, y: Subject): { item: ItemSubject; other: Subject } | null {
  if (x === y) return null;
  if (x.kind === "item" && (y.kind === "supply" || y.index < x.index)) return { item: x, other: y };
  if (y.kind === "item" && (x.kind === "supply" || x.index < y.index)) return { item: y, other: x };
  return null;
}

function interactionHits(pairs: InteractionPair[], level: string): RuleHit[] {
  const hits = pairs.map(({ item, other, interaction }) => ({
    itemIndex: item.index,
    path: itemPath(item.index, "drugCode"),
    message: `${drugLabel(item.drug)}：与${otherText(other)}存在${level}相互作用：${interaction.note}（依据：${interaction.source}）`,
  }));
  // Report in item order, as pairHits does, whatever order the interaction table has.
  return hits.sort((a, b) => a.itemIndex - b.itemIndex);
}

export const safetyInteractionMajor: Rule = {
  id: "safety-interaction-major",
  severity: "error",
  source: RX_REVIEW,
  description: "药品之间或与在用药品存在禁忌或严重相互作用",
  check: (ctx) => interactionHits(interactionPairs(ctx, "major").pairs, "禁忌/严重"),
};

/** A pair that also has a major interaction is reported there only. */
export const safetyInteractionModerate: Rule = {
  id: "safety-interaction-moderate",
  severity: "warning",
  source: RX_REVIEW,
  description: "药品之间或与在用药品存在中度相互作用",
  check: (ctx) => interactionHits(interactionPairs(ctx, "moderate", interactionPairs(ctx, "major").keys).pairs, "中度"),
};
