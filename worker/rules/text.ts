/** How findings name things for a Chinese doctor: drugs, numbers, levels, frequencies. */
import type { Frequency, InstitutionLevel, Quantity, RuleDrug, Title } from "./types";

/** Numbers as a doctor writes them: no float noise (2.5500000000000003 → 2.55). */
export function num(n: number): string {
  return String(Math.round(n * 10_000) / 10_000);
}

export function qty(q: Quantity): string {
  return `${num(q.value)}${q.unit}`;
}

/**
 * "氨氯地平片 5mg": the generic name with its dose form and strength, the way the product is
 * named on a box. "片剂" shortens to "片"; a name that already ends with its form keeps it once.
 */
export function drugLabel(drug: Pick<RuleDrug, "genericName" | "form" | "strength">): string {
  const form = drug.form.replace(/剂$/, "");
  const name = drug.genericName.endsWith(form) ? drug.genericName : `${drug.genericName}${form}`;
  return `${name} ${qty(drug.strength)}`;
}

/** "第 2 项" for items.1: doctors count from one. */
export function itemNo(index: number): string {
  return `第 ${index + 1} 项`;
}

export const LEVEL_ZH: Record<InstitutionLevel, string> = {
  village: "村卫生室",
  primary: "基层医疗机构（乡镇卫生院、社区卫生服务中心）",
  secondary: "二级医疗机构",
  tertiary: "三级医疗机构",
};

export const TITLE_ZH: Record<Title, string> = {
  junior: "初级职称",
  intermediate: "中级职称",
  associate_senior: "副高级职称",
  senior: "正高级职称",
};

export const FREQUENCY_ZH: Record<Frequency, string> = {
  qd: "每日 1 次",
  bid: "每日 2 次",
  tid: "每日 3 次",
  qid: "每日 4 次",
  qn: "每晚 1 次",
  qw: "每周 1 次",
  prn: "必要时",
};

const CONTROL_CLASS_ZH: Record<string, string> = {
  narcotic: "麻醉药品",
  psychotropic_1: "第一类精神药品",
  psychotropic_2: "第二类精神药品",
  toxic: "医疗用毒性药品",
  radioactive: "放射性药品",
  precursor: "易制毒药品",
};

const ANTIMICROBIAL_ZH: Record<string, string> = {
  unrestricted: "非限制使用级",
  restricted: "限制使用级",
  special: "特殊使用级",
};

const STORAGE_ZH: Record<string, string> = {
  cold_chain: "冷链储存（2–8°C）",
  special: "特殊储存",
};

/** Own keys only: a data value such as "constructor" must not read Object.prototype. */
function lookup(map: Record<string, string>, key: string): string | undefined {
  return Object.hasOwn(map, key) ? map[key] : undefined;
}

export function controlClassZh(controlClass: string): string {
  return lookup(CONTROL_CLASS_ZH, controlClass) ?? `特殊管理药品（${controlClass}）`;
}

export function antimicrobialZh(grade: string): string {
  return `抗菌药物（${lookup(ANTIMICROBIAL_ZH, grade) ?? grade}）`;
}

export function storageZh(storage: string): string {
  return lookup(STORAGE_ZH, storage) ?? `特殊储存（${storage}）`;
}

export const EVENT_ZH: Record<"admission" | "new_condition" | "goal_not_met", string> = {
  admission: "住院",
  new_condition: "新发需用药的疾病",
  goal_not_met: "治疗未达标",
};
