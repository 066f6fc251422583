/** Small coloured tags (styles in app.css: .badge.b-<tone>). */
import { el } from "./dom";
import { label } from "./format";
import type { Entry } from "./types";

export type Tone = "neutral" | "green" | "blue" | "cyan" | "amber" | "red" | "purple" | "grey";

export function badge(text: string, tone: Tone = "neutral"): HTMLSpanElement {
  return el("span", { class: `badge b-${tone}` }, text);
}

export function statusBadge(status: Entry["status"]): HTMLSpanElement {
  return badge(label("status", status), status === "active" ? "green" : status === "suspended" ? "amber" : "red");
}

/** The entry's notable properties as badges (基药, 长处方, 冷链, control class…). */
export function flags(e: Entry): HTMLSpanElement[] {
  return [
    e.essential ? badge("基药", "green") : null,
    e.longRxEligible ? badge("长处方", "blue") : null,
    e.storage === "cold_chain" ? badge("冷链", "cyan") : e.storage === "special" ? badge("特殊储存", "cyan") : null,
    e.controlClass ? badge(label("controlClass", e.controlClass), "red") : null,
    e.antimicrobial ? badge(label("antimicrobial", e.antimicrobial), "amber") : null,
    e.antiTb ? badge("抗结核", "amber") : null,
    e.vbp ? badge("集采", "purple") : null,
    e.insuranceClass ? badge(label("insuranceClass", e.insuranceClass), "grey") : null,
    e.specialistOnly ? badge("△ 专科指导", "grey") : null,
    e.freeProgramme ? badge("免费", "green") : null,
  ].filter((b) => b !== null);
}
