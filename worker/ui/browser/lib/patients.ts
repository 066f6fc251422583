/** How the doctor's pages (随访, 患者概览, 开处方) name, find and link a patient and a supply's end, alike everywhere. */
import type { ComboboxOptions } from "./combobox";
import { el } from "./dom";
import { label } from "./format";
import { pagedSearch } from "./search";
import type { PatientHit } from "./types";

/** "女 · 68岁" */
export function sexAge(p: { gender: string; age: number | null | undefined }): string {
  return [label("gender", p.gender), typeof p.age === "number" ? `${p.age}岁` : null].filter(Boolean).join(" · ");
}

/** Days of supply left as words: 还剩 12 天, 今天用完, 已断药 15 天. */
export function daysLeftText(daysLeft: number | null | undefined): string {
  if (typeof daysLeft !== "number") return "—";
  if (daysLeft > 0) return `还剩 ${daysLeft} 天`;
  if (daysLeft === 0) return "今天用完";
  return `已断药 ${-daysLeft} 天`;
}

/** The days left, red once lapsed, amber within a week (a renewal is due soon). */
export function daysLeftNode(daysLeft: number | null | undefined): HTMLSpanElement {
  const tone = typeof daysLeft !== "number" ? "" : daysLeft < 0 ? "lapsed" : daysLeft <= 7 ? "soon" : "ok";
  return el("span", { class: `days-left ${tone}`, dataset: { days: String(daysLeft ?? "") }, text: daysLeftText(daysLeft) });
}

/** The overview, renewal and prescribing pages of one patient. */
export const patientHref = (id: string) => `/ui/patients/${encodeURIComponent(id)}`;
export const renewHref = (id: string) => `/ui/prescribe?renew=${encodeURIComponent(id)}`;

/**
 * The patient search of the doctors' pickers (随访's 查找患者, 开处方's 患者): the API's first
 * eight matches of a name, pinyin initials, phone or id, each as its name with sex, age,
 * masked phone, pinyin and id. A failed search says why in `msg` (pagedSearch).
 */
export function patientSearch(msg: HTMLElement, opts: { clearMsg?: boolean } = {}): Pick<ComboboxOptions<PatientHit>, "search" | "option" | "empty"> {
  return {
    search: pagedSearch<PatientHit>(msg, (q) => `/patients?limit=8&q=${encodeURIComponent(q)}`, opts),
    option: (p) => ({
      dataset: { id: p.id },
      content: [el("strong", { class: "hit-name", text: p.name }), el("span", { class: "sub", text: [sexAge(p), p.phoneMasked, p.pinyin, p.id].filter(Boolean).join(" · ") })],
    }),
    empty: (q) => `没有找到“${q}”：可输入姓名、拼音首字母、手机号（至少 7 位）或患者编号`,
  };
}
