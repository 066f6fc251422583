/**
 * The Chinese reason a drug is excluded from long prescriptions. Mirrors the order of
 * longRxExclusion() in exclusions.ts, whose English reason is for logs, not for doctors.
 */
import { antimicrobialZh, controlClassZh, storageZh } from "./text";
import type { RuleDrug } from "./types";

export function exclusionZh(drug: Pick<RuleDrug, "controlClass" | "antimicrobial" | "antiTb" | "storage">): string {
  if (drug.controlClass) return controlClassZh(drug.controlClass);
  // Anti-TB antimicrobials are the exception the 规范 allows, so an excluded one is never anti-TB.
  if (drug.antimicrobial && !drug.antiTb) return antimicrobialZh(drug.antimicrobial);
  if (drug.storage !== "normal") return `需${storageZh(drug.storage)}的药品`;
  return "不得开具长期处方的类别";
}
