/**
 * What a long prescription may never contain (长期处方管理规范（试行）): medical toxic and
 * radioactive drugs, precursor chemicals, narcotics, class I and II psychotropics,
 * antimicrobials (except for chronic infections such as tuberculosis) and drugs with
 * special storage needs. Returns the reason, or null when the drug is not excluded.
 */
export function longRxExclusion(e: { controlClass: string | null; antimicrobial: string | null; antiTb: boolean; storage: string }): string | null {
  if (e.controlClass) return `special management class ${e.controlClass}`;
  if (e.antimicrobial && !e.antiTb) return "antimicrobial (other than for chronic infections such as tuberculosis)";
  if (e.storage !== "normal") return `special storage (${e.storage})`;
  return null;
}
