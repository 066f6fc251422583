import type { z } from "zod";
import type { AntimicrobialGrade, ControlClass, InstitutionLevel, Route, Storage, StrengthUnit } from "../../worker/formulary/formulary.schemas";
export interface Dose { value: number; unit: z.infer<typeof StrengthUnit> }

/**
 * One adult maximum daily dose with its source (seeds/neml/facts-doses.ts). Without `forms` and
 * `strengths` it covers every form of its route; with them, only the products it names, and the
 * most specific fact that matches a product wins (strength over form over route).
 */
export interface MaxDoseFact {
  route: z.infer<typeof Route>;
  /** dose forms as the converter names them: the base form ("缓释片") or the full form ("片剂(酒石酸盐)") */
  forms?: string[];
  /** strengths as the list writes them (value and unit), where one form's strengths differ */
  strengths?: Dose[];
  /** null: deliberately no ceiling for these products (the source says why) */
  dose: Dose | null;
  /** label (title, holder or standard text) and section, or why no figure is set */
  source: string;
  /** true: the label text was read during the issue-10 re-check; false: not re-read (see FACTS.md) */
  verified: boolean;
  /** the figure the products carried before the issue-10 re-check, where it differed */
  was?: Dose | null;
}
/** Facts the NEML list lacks, keyed by NEML number ("W123" / "T045"). */
export interface DrugFacts {
  atc?: string;                                   // WHO ATC code (7 characters where one exists)
  conditions?: string[];                          // ICD-10 prefixes of chronic conditions treated, e.g. ["I10"]
  maxDailyDose?: Partial<Record<z.infer<typeof Route>, Dose>>; // adult max daily dose of the active ingredient, by route
  maxDailyDoses?: MaxDoseFact[];                  // per route, form or strength, with sources; wins over maxDailyDose where one matches
  pack?: { size: number; unit: string; forms?: string[] };   // typical pack; `forms` limits it to these dose forms
  route?: z.infer<typeof Route>;                  // for injections mostly
  controlClass?: z.infer<typeof ControlClass>;
  controlSource?: string;                         // the catalogue or announcement the class comes from
  /** forms whose class differs from `controlClass` (咪达唑仑: injection class I, tablets class II since 2024-07-01) */
  controlClassForms?: { forms: string[]; controlClass: z.infer<typeof ControlClass> | null; source: string }[];
  antimicrobial?: z.infer<typeof AntimicrobialGrade>;
  antiTb?: boolean;
  storage?: z.infer<typeof Storage>;
  longRxEligible?: boolean;
  minLevel?: z.infer<typeof InstitutionLevel>;
  freeProgramme?: boolean;
  note?: string;
}
