/**
 * Safety across the draft and the patient's active supply (医疗机构处方审核规范 2018):
 * duplicate ingredient or class, interactions (allergies: allergy.rules.ts). Duplicates
 * compare active ingredients (ingredients.ts), so combination products and patent medicines
 * with western ingredients count by what they contain. Pairs are item–item (reported once,
 * at the later item, naming the earlier) and item–supply (reported at the item, naming the
 * other prescription and institution); supply–supply pairs are history, not this draft's doing.
 * Cost: O(items² + items × supply) pairs, plus O(interactions × (items + supply)) side matches.
 */
import { dayNumber, isoDateOf } from "./dates";
import { drugIngredients, ingredientNames, oneDoseTwoStrengths, sharedClass, sharedIngredients, supplyIngredients } from "./ingredients";
import { coveringSupply, itemActsLocally, itemPath, supplyActsLocally, viewOf } from "./items";
import { isRenewalOf } from "./renewal";
import { RX_REVIEW } from "./sources";
import { drugLabel, itemNo } from "./text";
import type { Ingredient, Interaction, Rule, RuleContext, RuleDrug, RuleHit, SupplyLine } from "./types";

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

function ingredientsOf(s: Subject): Ingredient[] {
  return s.kind === "item" ? drugIngredients(s.drug) : supplyIngredients(s.line);
}

/**
 * Two strengths of one product taken together for one dose (阿托伐他汀 20 mg + 10 mg) are one
 * dose, not a duplicate (ingredients.ts oneDoseTwoStrengths).
 */
function oneDose(ctx: RuleContext, item: ItemSubject, other: Subject): boolean {
  if (other.kind !== "item") return false;
  const a = ctx.draft.items[item.index];
  const b = ctx.draft.items[other.index];
  return !!a && !!b && oneDoseTwoStrengths({ item: a, drug: item.drug }, { item: b, drug: other.drug });
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
  describe: (item: ItemSubject, other: Subject) => string | null,
  phrase: (what: string) => string,
  continued: (line: SupplyLine) => boolean = () => false,
): RuleHit[] {
  const items = draftSubjects(ctx);
  const supply = supplySubjects(ctx);
  const hits: RuleHit[] = [];
  const report = (item: ItemSubject, other: Subject) => {
    const what = describe(item, other);
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

export const safetyDuplicateIngredient: Rule = {
  id: "safety-duplicate-ingredient",
  severity: "error",
  source: RX_REVIEW,
  description: "同一成分重复开具，或与患者在医联体内尚未用完的处方重复",
  // a renewal or a refill in the grace window continues the earlier supply of its ingredient
  check: (ctx) =>
    pairHits(
      ctx,
      (item, other) => {
        if (oneDose(ctx, item, other)) return null;
        const shared = sharedIngredients(ingredientsOf(item), ingredientsOf(other));
        return shared.length > 0 ? ingredientNames(shared) : null;
      },
      (names) => `成分重复（${names}）`,
      (line) => isRenewalOf(ctx, line),
    ),
};

export const safetyDuplicateClass: Rule = {
  id: "safety-duplicate-class",
  severity: "warning",
  source: RX_REVIEW,
  description: "两种药品（或与在用药品）的成分属同一治疗类别（ATC 第 4 级）",
  check: (ctx) =>
    pairHits(ctx, (item, other) => sharedClass(ingredientsOf(item), ingredientsOf(other)), (cls) => `同属一类药物（ATC ${cls}），请确认是否需要联用`),
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
