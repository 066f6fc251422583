/**
 * Per-form dosing facts the NEML text does not state (issue 10, "units"): drops per ml of oral
 * drops, so that a dose written in 滴 is a volume and an amount. Keyed by NEML number; each
 * fact names the base forms it covers and its source. The bottle volume, the actuations of a
 * metered device and 适量 for topical forms come from the list's own text (convert.ts
 * dosingFor); label schedules and single-dose maxima live in worker/rules/label-facts.ts.
 */
import type { Dosing } from "../../worker/rules/types";

export interface FormDosingFact {
  /** base dose forms as the converter names them ("滴剂") */
  forms: string[];
  dosing: Pick<Dosing, "dropsPerMl" | "patchHours" | "topical">;
  source: string;
}

export const DOSING_FACTS: Record<string, FormDosingFact[]> = {
  W352: [
    {
      // 西替利嗪滴剂 10 mg/ml
      forms: ["滴剂"],
      dosing: { dropsPerMl: 20 },
      source: "盐酸西替利嗪滴剂说明书【用法用量】（以滴计量：每滴约含 0.5mg，即 1ml 约 20 滴）；本环境未能复核原文",
    },
  ],
  W343: [
    {
      // 阿法骨化醇滴剂
      forms: ["滴剂"],
      dosing: { dropsPerMl: 20 },
      source: "阿法骨化醇口服滴剂说明书【用法用量】（1ml 约 20 滴）；本环境未能复核原文",
    },
  ],
};

export function formDosingFacts(nemlNo: string, baseForm: string): FormDosingFact[] {
  const facts = Object.hasOwn(DOSING_FACTS, nemlNo) ? DOSING_FACTS[nemlNo] : undefined;
  return (facts ?? []).filter((f) => f.forms.includes(baseForm));
}
