/**
 * Active ingredients of the 2026 NEML's combination products and of the Chinese patent
 * medicines that contain western (chemical) ingredients, keyed by NEML number (issue 10).
 * Single-ingredient western drugs need no row: convert.ts derives their one ingredient from
 * the generic name, INN and ATC. Combinations not listed here (parenteral nutrition,
 * electrolytes, probiotics, herbal preparations) keep `ingredients: []` and so count as
 * themselves, as before.
 *
 * Sources: the list's own 规格 text (seeds/neml-2026/varieties.csv, "每片含…", "含格列本脲
 * 2.5mg") for what each product contains and how much; ATC codes from the WHO ATC/DDD Index
 * (single-ingredient codes; null where the substance has no code of its own, e.g.
 * clavulanic acid, benserazide, velpatasvir). `amount` is given only where every product of
 * the number contains the same amount per dispensing unit.
 */
import type { z } from "zod";
import type { Ingredient } from "../../worker/formulary/formulary.schemas";

/** An ingredient as the entry schema takes it (the molecule is normalised on validation). */
export type IngredientFact = z.input<typeof Ingredient>;

const mg = (value: number) => ({ value, unit: "mg" as const });

export const INGREDIENT_FACTS: Readonly<Record<string, IngredientFact[]>> = {
  // 阿莫西林克拉维酸钾
  W007: [
    { name: "阿莫西林", molecule: "amoxicillin", atc: "J01CA04" },
    { name: "克拉维酸钾", molecule: "clavulanate potassium", atc: null },
  ],
  // 哌拉西林钠他唑巴坦钠
  W008: [
    { name: "哌拉西林", molecule: "piperacillin", atc: "J01CA12" },
    { name: "他唑巴坦", molecule: "tazobactam", atc: "J01CG02" },
  ],
  // 复方磺胺甲噁唑: 400 mg : 80 mg per tablet and per 5 ml ampoule
  W026: [
    { name: "磺胺甲噁唑", molecule: "sulfamethoxazole", atc: "J01EC01", amount: mg(400) },
    { name: "甲氧苄啶", molecule: "trimethoprim", atc: "J01EA01", amount: mg(80) },
  ],
  // 索磷布韦维帕他韦: 每片含 400mg 索磷布韦和 100mg 维帕他韦
  W047: [
    { name: "索磷布韦", molecule: "sofosbuvir", atc: "J05AP08", amount: mg(400) },
    { name: "维帕他韦", molecule: "velpatasvir", atc: null, amount: mg(100) },
  ],
  // 多巴丝肼 (左旋多巴 : 苄丝肼 = 4 : 1)
  W092: [
    { name: "左旋多巴", molecule: "levodopa", atc: "N04BA01" },
    { name: "苄丝肼", molecule: "benserazide", atc: null },
  ],
  // 依达拉奉右莰醇
  W110: [
    { name: "依达拉奉", molecule: "edaravone", atc: "N07XX14" },
    { name: "右莰醇", molecule: "dexborneol", atc: null },
  ],
  // 缬沙坦氨氯地平: 80 or 160 mg valsartan, 5 mg amlodipine
  W180: [
    { name: "缬沙坦", molecule: "valsartan", atc: "C09CA03" },
    { name: "氨氯地平", molecule: "amlodipine", atc: "C08CA01", amount: mg(5) },
  ],
  // 复方甲氧那明: 每粒含盐酸甲氧那明 12.5mg、那可丁 7mg、氨茶碱 25mg、马来酸氯苯那敏 2mg
  W214: [
    { name: "盐酸甲氧那明", molecule: "methoxyphenamine", atc: "R03CB02", amount: mg(12.5) },
    { name: "那可丁", molecule: "noscapine", atc: "R05DA07", amount: mg(7) },
    { name: "氨茶碱", molecule: "aminophylline", atc: "R03DA05", amount: mg(25) },
    { name: "马来酸氯苯那敏", molecule: "chlorphenamine", atc: "R06AB04", amount: mg(2) },
  ],
  // 布地奈德福莫特罗
  W223: [
    { name: "布地奈德", molecule: "budesonide", atc: "R03BA02" },
    { name: "福莫特罗", molecule: "formoterol", atc: "R03AC13" },
  ],
  // 茚达特罗格隆溴铵
  W224: [
    { name: "茚达特罗", molecule: "indacaterol", atc: "R03AC18" },
    { name: "格隆溴铵", molecule: "glycopyrronium", atc: "R03BB06" },
  ],
  // 布地格福: 布地奈德 160µg、格隆铵 7.2µg、富马酸福莫特罗 4.8µg per actuation
  W225: [
    { name: "布地奈德", molecule: "budesonide", atc: "R03BA02" },
    { name: "格隆铵", molecule: "glycopyrronium", atc: "R03BB06" },
    { name: "富马酸福莫特罗", molecule: "formoterol", atc: "R03AC13" },
  ],
  // 碳酸钙 D3
  W345: [
    { name: "碳酸钙", molecule: "calcium carbonate", atc: "A12AA04" },
    { name: "维生素D3", molecule: "colecalciferol", atc: "A11CC05" },
  ],
  // 曲安奈德益康唑 (cream)
  W441: [
    { name: "曲安奈德", molecule: "triamcinolone", atc: "D07AB09" },
    { name: "硝酸益康唑", molecule: "econazole", atc: "D01AC03" },
  ],
  // 复方托吡卡胺 (eye drops)
  W458: [
    { name: "托吡卡胺", molecule: "tropicamide", atc: "S01FA06" },
    { name: "盐酸去氧肾上腺素", molecule: "phenylephrine", atc: "S01FB01" },
  ],
  // 复方黄连素片: 每片含盐酸小檗碱 30mg
  T036: [{ name: "盐酸小檗碱", molecule: "berberine", atc: null, amount: mg(30) }],
  // 健脾生血颗粒（片）: 含硫酸亚铁
  T078: [{ name: "硫酸亚铁", molecule: "ferrous sulfate", atc: "B03AA07" }],
  // 消渴丸: 每 10 丸含格列本脲 2.5mg (0.25 mg per pill)
  T090: [{ name: "格列本脲", molecule: "glibenclamide", atc: "A10BB01" }],
  // 正清风痛宁: 盐酸青藤碱
  T179: [{ name: "盐酸青藤碱", molecule: "sinomenine", atc: null }],
  // 肛泰栓（软膏）: 盐酸小檗碱、盐酸罂粟碱
  T204: [
    { name: "盐酸小檗碱", molecule: "berberine", atc: null },
    { name: "盐酸罂粟碱", molecule: "papaverine", atc: "A03AD01" },
  ],
  // 鼻炎康片: 每片含马来酸氯苯那敏 1mg
  T263: [{ name: "马来酸氯苯那敏", molecule: "chlorphenamine", atc: "R06AB04", amount: mg(1) }],
};

/** A name that is a combination ("Amoxicillin and Clavulanate Potassium", "Compound …", "A, B"). */
function combinationName(inn: string): boolean {
  return /\band\b|compound|,/i.test(inn);
}

/**
 * The ingredients of NEML number `nemlNo`: the listed ones, else the one a single-ingredient
 * western drug is (its generic name, INN and 7-character ATC), else none (a combination or
 * Chinese patent medicine without western ingredients: it counts as itself).
 */
export function nemlIngredients(nemlNo: string, drug: { genericName: string; innName: string | null }, atc: string | undefined): IngredientFact[] {
  const listed = Object.hasOwn(INGREDIENT_FACTS, nemlNo) ? INGREDIENT_FACTS[nemlNo] : undefined;
  if (listed) return listed;
  if (!drug.innName || combinationName(drug.innName)) return [];
  return [{ name: drug.genericName, molecule: drug.innName, atc: atc && atc.length === 7 ? atc : null }];
}
