// TEMPORARY placeholder written by the NEML converter's author so the converter compiles and its
// tests run; the owner of this file replaces it with the real chronic-disease facts.
import type { DrugFacts } from "./facts.types";

export const CHRONIC_FACTS: Record<string, DrugFacts> = {};
