/**
 * Products whose label gives a once-weekly schedule only: written on any other frequency the
 * patient takes a week's dose every day (the classic fatal error with methotrexate). A
 * product is matched by its ATC code (or, for an entry without one, its generic name), its
 * route, and, where the same molecule also comes as a daily product, its strength: a 10 mg
 * alendronate tablet is taken daily, the 70 mg tablet weekly. Every fact cites its label.
 */
import type { Quantity } from "./types";

export interface WeeklyOnlyFact {
  id: string;
  /** 7-character ATC codes of the molecule */
  atc: readonly string[];
  /** generic names, for entries without an ATC code (甲氨蝶呤 has two, L01BA01 and L04AX03) */
  names: readonly string[];
  routes: readonly string[];
  /** only this strength is the weekly product */
  strength?: Quantity;
  /** the label's schedule, as the doctor reads it */
  label: string;
  source: string;
}

export const WEEKLY_ONLY: readonly WeeklyOnlyFact[] = [
  {
    id: "methotrexate-oral",
    atc: ["L01BA01", "L04AX03"],
    names: ["甲氨蝶呤"],
    routes: ["oral"],
    label: "口服按周给药（类风湿关节炎、银屑病每周 1 次），每日连续服用可致严重骨髓抑制甚至死亡",
    source: "甲氨蝶呤片说明书【用法用量】【注意事项】；EMA PRAC 2019（甲氨蝶呤每周一次误作每日服用致死性用药错误的防范措施）",
  },
  {
    id: "alendronate-70",
    atc: ["M05BA04"],
    names: ["阿仑膦酸钠"],
    routes: ["oral"],
    strength: { value: 70, unit: "mg" },
    label: "每周 1 次，一次 70mg",
    source: "阿仑膦酸钠片（70mg）说明书【用法用量】",
  },
  {
    id: "alendronate-colecalciferol",
    atc: ["M05BB03"],
    names: ["阿仑膦酸钠维D3"],
    routes: ["oral"],
    label: "每周 1 次，一次 1 片",
    source: "阿仑膦酸钠维D3片说明书【用法用量】",
  },
  {
    id: "risedronate-35",
    atc: ["M05BA07"],
    names: ["利塞膦酸钠"],
    routes: ["oral"],
    strength: { value: 35, unit: "mg" },
    label: "每周 1 次，一次 35mg",
    source: "利塞膦酸钠片（35mg）说明书【用法用量】",
  },
];
