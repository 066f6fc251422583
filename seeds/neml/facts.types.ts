import type { z } from "zod";
import type { AntimicrobialGrade, ControlClass, InstitutionLevel, Route, Storage, StrengthUnit } from "../../worker/formulary/formulary.schemas";
export interface Dose { value: number; unit: z.infer<typeof StrengthUnit> }
/** Facts the NEML list lacks, keyed by NEML number ("W123" / "T045"). */
export interface DrugFacts {
  atc?: string;                                   // WHO ATC code (7 characters where one exists)
  conditions?: string[];                          // ICD-10 prefixes of chronic conditions treated, e.g. ["I10"]
  maxDailyDose?: Partial<Record<z.infer<typeof Route>, Dose>>; // adult max daily dose of the active ingredient, by route
  pack?: { size: number; unit: string; forms?: string[] };   // typical pack; `forms` limits it to these dose forms
  route?: z.infer<typeof Route>;                  // for injections mostly
  controlClass?: z.infer<typeof ControlClass>;
  antimicrobial?: z.infer<typeof AntimicrobialGrade>;
  antiTb?: boolean;
  storage?: z.infer<typeof Storage>;
  longRxEligible?: boolean;
  minLevel?: z.infer<typeof InstitutionLevel>;
  freeProgramme?: boolean;
  note?: string;
}
