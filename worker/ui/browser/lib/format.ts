/** Display text: labels from the shared table (worker/ui/labels.ts), quantities, entry fields, times. */
import { LABELS } from "../../labels";
import type { Entry } from "./types";

export type LabelGroup = keyof typeof LABELS;

/** The Chinese label of an API value (`label("role", "doctor")` → "医师"); unknown values as they are. */
export function label(group: LabelGroup, value: string | number | boolean): string {
  const table: Readonly<Record<string, string>> = LABELS[group];
  const key = String(value);
  return Object.keys(table).includes(key) ? (table[key] ?? key) : key;
}

const trimNumber = (n: number) => String(Number(n.toPrecision(12)));

export function qty(q: { value: number; unit: string } | null | undefined): string {
  return q ? `${trimNumber(q.value)} ${q.unit}` : "—";
}

export function pack(p: { size: number; unit: string } | null | undefined): string {
  return p ? `${trimNumber(p.size)} ${p.unit}` : "—";
}

// Times are shown in China time whatever the PC's clock zone: a prescription is dated where
// it is written (the server's China dates), and a PC left on UTC must not show yesterday.
const CHINA_DAY = new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Shanghai", year: "numeric", month: "2-digit", day: "2-digit" });
const CHINA_TIME = new Intl.DateTimeFormat("en-GB", { timeZone: "Asia/Shanghai", hour: "2-digit", minute: "2-digit", hour12: false });

/** An ISO instant as "YYYY-MM-DD HH:mm" China time (unparseable input comes back as it is). */
export function time(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? String(iso) : `${CHINA_DAY.format(d)} ${CHINA_TIME.format(d)}`;
}

/** An ISO instant as its China date "YYYY-MM-DD"; a plain date passes through. */
export function date(iso: string): string {
  if (/^\d{4}-\d{2}-\d{2}$/.test(iso)) return iso;
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? String(iso) : CHINA_DAY.format(d);
}

/**
 * A span of whole minutes as a pharmacist reads it at a glance: "45 分钟", "7 小时 21 分钟",
 * "2 天 3 小时" (past a day the minutes no longer matter).
 */
export function minutesText(minutes: number): string {
  const m = Math.max(0, Math.floor(minutes));
  if (m < 60) return `${m} 分钟`;
  const days = Math.floor(m / 1440);
  const hours = Math.floor((m % 1440) / 60);
  if (days > 0) return hours > 0 ? `${days} 天 ${hours} 小时` : `${days} 天`;
  const rest = m % 60;
  return rest > 0 ? `${hours} 小时 ${rest} 分钟` : `${hours} 小时`;
}

export function entryHref(code: string): string {
  return `/ui/formulary/${encodeURIComponent(code)}`;
}

export type EntryField = Exclude<keyof Entry, "version" | "updatedAt">;

/** The entry fields in display order (the entry page and the history diff). */
export const ENTRY_FIELDS: readonly EntryField[] = [
  "code", "genericName", "innName", "pinyin", "form", "strength", "pack", "route", "atc", "nhsaCode", "nemlCategory",
  "essential", "insuranceClass", "vbp", "specialistOnly", "controlClass", "antimicrobial", "antiTb", "storage",
  "longRxEligible", "conditions", "minLevel", "maxDailyDose", "price", "freeProgramme", "status", "effectiveFrom",
];

const LABELLED: Partial<Record<EntryField, LabelGroup>> = {
  route: "route",
  controlClass: "controlClass",
  antimicrobial: "antimicrobial",
  storage: "storage",
  minLevel: "minLevel",
  insuranceClass: "insuranceClass",
  status: "status",
};

/** One field of an entry (or of an older snapshot, which may lack it) as display text. */
export function fieldText(field: EntryField, entry: Partial<Entry>): string {
  const v = entry[field];
  if (v === null || v === undefined || v === "") return "—";
  if (typeof v === "boolean") return v ? "是" : "否";
  if (field === "strength") return qty(entry.strength);
  if (field === "maxDailyDose") return qty(entry.maxDailyDose);
  if (field === "pack") return pack(entry.pack);
  if (field === "conditions") return entry.conditions?.length ? entry.conditions.join("、") : "—";
  if (field === "price") return `¥${Number(v).toFixed(2)}`;
  const group = LABELLED[field];
  if (group) {
    const text = label(group, String(v));
    return text === String(v) ? text : `${text}（${v}）`;
  }
  return typeof v === "object" ? JSON.stringify(v) : String(v);
}

export function fieldLabel(field: keyof Entry): string {
  return label("field", field);
}
