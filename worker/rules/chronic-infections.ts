/**
 * The chronic infections 长期处方管理规范（试行）(2021) has in mind where it excludes
 * 抗微生物药物 from long prescriptions "（治疗结核等慢性细菌真菌感染性疾病的除外）". Facts
 * only, shared by the formulary's eligibility (exclusions.ts) and the rules (long-rx-policy.ts).
 */
import { matchesAny } from "./icd10";

/**
 * Chronic bacterial and fungal infections (ICD-10 prefixes) whose antimicrobials the 规范
 * exempts ("治疗结核等慢性细菌真菌感染性疾病"); each is treated for months:
 * - A15–A19 tuberculosis (结核病防治管理办法, 2013; 6–8 months and longer);
 * - A30 leprosy (multidrug therapy 6–12 months, WHO; 全国麻风病防治规划);
 * - A31 non-tuberculous mycobacterial infection (非结核分枝杆菌病诊断与治疗指南（2020年版）: 12 months after culture conversion);
 * - A23 brucellosis (布鲁氏菌病诊疗方案（2023年版）: chronic brucellosis, repeated 6-week courses);
 * - M86.3–M86.6 chronic osteomyelitis (weeks to months of oral therapy after surgery);
 * - N41.1 chronic bacterial prostatitis (4–6 weeks of a fluoroquinolone);
 * - B35.1 onychomycosis (terbinafine/itraconazole 12 weeks, per their labels【用法用量】);
 * - B38–B45, B48 deep mycoses (coccidioidomycosis … cryptococcosis, talaromycosis: maintenance for months).
 */
export const CHRONIC_BACTERIAL_FUNGAL_INFECTIONS: readonly string[] = [
  "A15", "A16", "A17", "A18", "A19", "A30", "A31", "A23",
  "M86.3", "M86.4", "M86.5", "M86.6", "N41.1",
  "B35.1", "B38", "B39", "B40", "B41", "B42", "B43", "B44", "B45", "B48",
];

/** Chronic viral infections: chronic viral hepatitis (B18: hepatitis B, C) and HIV (B20–B24, Z21). */
export const CHRONIC_VIRAL_INFECTIONS: readonly string[] = ["B18", "B20", "B21", "B22", "B23", "B24", "Z21"];

/** Chronic bacterial/fungal infections among the conditions an entry lists. */
export function chronicInfectionsTreated(conditions: readonly string[]): string[] {
  return conditions.filter((c) => matchesAny(c, CHRONIC_BACTERIAL_FUNGAL_INFECTIONS));
}

