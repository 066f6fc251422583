/**
 * Runs every rule and returns every finding at once (an error blocks signing, a warning is
 * shown and kept). Findings are sorted errors first, then in catalogue order, then by item
 * (prescription-level findings before item findings), then in the order the rule reported
 * them: the doctor sees what blocks signing on top, grouped the way the catalogue reads.
 *
 * A rule that throws is not caught: failing the request is safer than a prescription that
 * passes because a check did not run.
 */
import { RULES } from "./catalogue";
import { withListedControlClasses } from "./control-facts";
import { viewOf } from "./items";
import { supplyPlan } from "./quantity";
import type { Finding, Rule, RuleContext, ValidationResult } from "./types";

interface Ranked {
  finding: Finding;
  rule: number;
  seq: number;
}

function rankOf(f: Finding): number {
  return f.severity === "error" ? 0 : 1;
}

function compare(a: Ranked, b: Ranked): number {
  return (
    rankOf(a.finding) - rankOf(b.finding) ||
    a.rule - b.rule ||
    (a.finding.itemIndex ?? -1) - (b.finding.itemIndex ?? -1) ||
    a.seq - b.seq
  );
}

function collect(ctx: RuleContext, rules: readonly Rule[]): Finding[] {
  const ranked: Ranked[] = [];
  rules.forEach((rule, r) => {
    for (const hit of rule.check(ctx)) {
      const finding: Finding = { ruleId: rule.id, severity: rule.severity, message: hit.message, source: rule.source };
      if (hit.itemIndex !== undefined) finding.itemIndex = hit.itemIndex;
      if (hit.path !== undefined) finding.path = hit.path;
      ranked.push({ finding, rule: r, seq: ranked.length });
    }
  });
  return ranked.sort(compare).map((x) => x.finding);
}

/** Prescription days (the longest item) and packages each item needs; null when not computable. */
export function computeTotals(ctx: RuleContext): ValidationResult["totals"] {
  let days = 0;
  const packagesByItem = ctx.draft.items.map((item) => {
    days = Math.max(days, item.days);
    const view = viewOf(ctx, item);
    if (!view) return null;
    const result = supplyPlan(item, view.drug);
    return "plan" in result ? result.plan.packagesNeeded : null;
  });
  return { days, packagesByItem };
}

export function validateDraft(ctx: RuleContext, rules: readonly Rule[] = RULES): ValidationResult {
  // Entries are judged by the control lists in force on the prescription date, whatever class
  // they were imported with (the 2023/2024 adjustments, control-facts.ts).
  const current = withListedControlClasses(ctx);
  const findings = collect(current, rules);
  return {
    valid: !findings.some((f) => f.severity === "error"),
    findings,
    totals: computeTotals(current),
  };
}
