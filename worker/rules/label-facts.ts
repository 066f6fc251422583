/**
 * Label schedules and single-dose maxima (issue 10, "a maximum single dose where the label
 * gives one; a frequency the form does not allow"). PURE data plus the lookup the rules use.
 *
 * The schedule belongs to the form, not the molecule: 硝苯地平片 is taken three times a day,
 * 硝苯地平控释片 once; 二甲双胍缓释片 once (or twice) a day, the plain tablet up to three
 * times. A fact matches an entry by ATC code or generic name, oral route, and release type
 * read from its dose form. An entry's own `dosing` (labelFrequencies, maxSingleDose) wins
 * over these facts: the consortium's formulary is the authority for its products, and these
 * are the national label defaults where the entry is silent.
 *
 * Frequencies are compared as doses a day (qn counts as once a day); prn and qw are never
 * compared (an as-needed dose has no schedule; weekly products are regimen-facts.ts).
 * Every fact names the label section it is read from. Labels of one molecule differ by
 * manufacturer; a figure that could not be re-read from a label text here says so.
 */
import type { Frequency, Quantity, RuleDrug } from "./types";

/** plain: immediate release; modified: 缓释/控释; controlled: 控释 only (matched before modified). */
export type Release = "plain" | "modified" | "controlled";

export interface LabelFact {
  id: string;
  atc: readonly string[];
  names: readonly string[];
  release: Release;
  /** the schedules the label gives; absent: the label's schedule is not checked */
  frequencies?: readonly Frequency[];
  /** the largest single dose the label allows */
  maxSingleDose?: Quantity;
  /** the label's words, as the doctor reads them in a finding */
  label: string;
  source: string;
}

export const LABEL_FACTS: readonly LabelFact[] = [
  {
    id: "nifedipine-controlled",
    atc: ["C08CA05"],
    names: ["硝苯地平"],
    release: "controlled",
    frequencies: ["qd"],
    label: "控释片每日 1 次，整片吞服",
    source: "硝苯地平控释片说明书【用法用量】（一日 1 次）",
  },
  {
    id: "nifedipine-modified",
    atc: ["C08CA05"],
    names: ["硝苯地平"],
    release: "modified",
    frequencies: ["qd", "bid"],
    label: "缓释片每日 1～2 次（按规格：缓释片（Ⅰ）（Ⅱ）一日 2 次，部分 20/30mg 缓释片一日 1 次）",
    source: "硝苯地平缓释片说明书【用法用量】（各厂家缓释片为一日 1 次或一日 2 次，无一日 3 次用法）",
  },
  {
    id: "nifedipine-plain",
    atc: ["C08CA05"],
    names: ["硝苯地平"],
    release: "plain",
    frequencies: ["tid", "qid"],
    maxSingleDose: { value: 30, unit: "mg" },
    label: "普通片一次 10～20mg、一日 3 次，冠脉痉挛明显者可用至一次 20～30mg、一日 3～4 次；一日最大 120mg",
    source: "硝苯地平片说明书【用法用量】（单次最大 30mg 据该节“可用至 20～30mg/次，一日 3～4 次”；本环境未能复核原文）",
  },
  {
    id: "metformin-modified",
    atc: ["A10BA02"],
    names: ["二甲双胍"],
    release: "modified",
    frequencies: ["qd", "bid"],
    label: "缓释片每日 1 次（晚餐时），血糖控制不佳时可改为每日 2 次",
    source: "盐酸二甲双胍缓释片说明书【用法用量】",
  },
  {
    id: "metformin-plain",
    atc: ["A10BA02"],
    names: ["二甲双胍"],
    release: "plain",
    frequencies: ["qd", "bid", "tid"],
    label: "普通片（含肠溶片、胶囊）每日 1～3 次，随餐服用",
    source: "盐酸二甲双胍片说明书【用法用量】（起始 0.5g 一日 2 次或 0.85g 一日 1 次，可一日 2～3 次）",
  },
  {
    id: "captopril-plain",
    atc: ["C09AA01"],
    names: ["卡托普利"],
    release: "plain",
    frequencies: ["bid", "tid"],
    label: "一次 12.5mg，每日 2～3 次，按需 1～2 周内增至 50mg，每日 2～3 次",
    source: "卡托普利片说明书【用法用量】成人常用量（高血压、心力衰竭均为每日 2～3 次）",
  },
  {
    id: "metoprolol-succinate-modified",
    atc: ["C07AB02"],
    names: ["美托洛尔"],
    release: "modified",
    frequencies: ["qd"],
    label: "琥珀酸美托洛尔缓释片每日 1 次",
    source: "琥珀酸美托洛尔缓释片说明书【用法用量】（一日 1 次，最好在早晨服用）",
  },
  {
    id: "gliclazide-modified",
    atc: ["A10BB09"],
    names: ["格列齐特"],
    release: "modified",
    frequencies: ["qd"],
    label: "缓释片每日 1 次，早餐时服用",
    source: "格列齐特缓释片说明书【用法用量】（每日 1 次，早餐时服用）",
  },
  {
    id: "ibuprofen-modified",
    atc: ["M01AE01"],
    names: ["布洛芬"],
    release: "modified",
    frequencies: ["bid"],
    maxSingleDose: { value: 0.6, unit: "g" },
    label: "缓释片/缓释胶囊一次 0.3～0.6g，一日 2 次（早晚各一次）",
    source: "布洛芬缓释胶囊说明书【用法用量】（成人一次 1～2 粒（0.3g/粒），一日 2 次）",
  },
  {
    id: "paracetamol-plain",
    atc: ["N02BE01"],
    names: ["对乙酰氨基酚"],
    release: "plain",
    maxSingleDose: { value: 1, unit: "g" },
    label: "成人一次 0.3～0.6g（最大单次 1g），间隔 4～6 小时，24 小时内不超过 4 次",
    source:
      "对乙酰氨基酚片说明书【用法用量】（成人一次 0.3～0.6g）；单次上限 1g：国家处方集与国际说明书（FDA 对乙酰氨基酚成人单次不超过 1000mg）的共同上限，本环境未能复核中国说明书原文",
  },
];

/** The release type of a dose form, read from its name. */
export function releaseOf(form: string): Release {
  if (/控释/.test(form)) return "controlled";
  if (/缓释|长效/.test(form)) return "modified";
  return "plain";
}

function releaseMatches(fact: Release, form: Release): boolean {
  // a 控释 form without its own fact is a modified-release form
  return fact === form || (fact === "modified" && form === "controlled");
}

/** The label fact for an oral entry, the most specific release first (the list's order). */
export function labelFactOf(drug: Pick<RuleDrug, "atc" | "genericName" | "form" | "route">): LabelFact | undefined {
  if (drug.route !== "oral") return undefined;
  const atc = drug.atc ? drug.atc.trim().toUpperCase().slice(0, 7) : "";
  const name = drug.genericName.trim();
  const release = releaseOf(drug.form);
  return LABEL_FACTS.find((f) => (f.atc.includes(atc) || f.names.includes(name)) && releaseMatches(f.release, release));
}

type LabelDrug = Pick<RuleDrug, "atc" | "genericName" | "form" | "route" | "dosing">;

/** The single-dose maximum: the entry's, else the label fact's; with where it comes from. */
export function maxSingleDoseOf(drug: LabelDrug): { max: Quantity; source: string } | null {
  const own = drug.dosing?.maxSingleDose;
  if (own) return { max: own, source: "目录登记" };
  const fact = labelFactOf(drug);
  return fact?.maxSingleDose ? { max: fact.maxSingleDose, source: fact.source } : null;
}

/** The label's schedules: the entry's, else the label fact's. */
export function labelFrequenciesOf(drug: LabelDrug): { frequencies: readonly Frequency[]; label: string; source: string } | null {
  const own = drug.dosing?.labelFrequencies;
  if (own && own.length > 0) return { frequencies: own, label: "", source: "目录登记" };
  const fact = labelFactOf(drug);
  return fact?.frequencies ? { frequencies: fact.frequencies, label: fact.label, source: fact.source } : null;
}
