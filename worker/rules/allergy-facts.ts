/**
 * Allergy classes (issue 10): what a free-text recorded allergy ("青霉素", "磺胺", "头孢")
 * means in ingredients, and which other classes it is a cross-reactivity warning for. Pure
 * data with sources; safety.rules.ts applies it.
 *
 * A class is matched two ways with the same matchers:
 * - the recorded substance: its text contains one of `terms`, or reads as a member drug
 *   ("阿莫西林" is a penicillin, so an amoxicillin allergy is a penicillin-class allergy: every
 *   penicillin label contraindicates it for patients allergic to any penicillin);
 * - an ingredient: its ATC starts with one of `atcPrefixes`, its Chinese name matches `zh`,
 *   or its molecule key matches `en` (INN stems: -cillin, cef-, sulfa-, -floxacin).
 */
import { ANTIMICROBIAL_GUIDE } from "./sources";

export interface AllergyClass {
  id: string;
  /** the class in Chinese, for messages */
  label: string;
  /** words of a recorded allergy that name the class itself (lower case) */
  terms: readonly string[];
  atcPrefixes: readonly string[];
  zh: readonly RegExp[];
  en: readonly RegExp[];
  source: string;
}

/** A recorded allergy to class `from` makes a member of class `to` a warning (not an error). */
export interface CrossReactivity {
  from: string;
  to: string;
  note: string;
  source: string;
}

export const BETA_LACTAM_SKIN_TEST = "β内酰胺类抗菌药物皮肤试验指导原则（2021年版）（国家卫生健康委办公厅）";
const INN_STEMS = "WHO INN Programme, The use of stems in the selection of INN (-cillin, cef-, sulfa-, -floxacin, -cycline)";

export const ALLERGY_CLASSES: readonly AllergyClass[] = [
  {
    id: "penicillins",
    label: "青霉素类",
    terms: ["青霉素", "盘尼西林", "penicillin", "pcn"],
    atcPrefixes: ["J01C"],
    zh: [/西林/, /青霉素/],
    en: [/cillin/],
    source: `${ANTIMICROBIAL_GUIDE}（青霉素类：有青霉素类药物过敏史者禁用）；青霉素类药品说明书【禁忌】；${INN_STEMS}`,
  },
  {
    id: "cephalosporins",
    label: "头孢菌素类",
    terms: ["头孢", "先锋霉素", "cephalosporin"],
    // J01DB–J01DE first to fourth generation (incl. cephamycins, oxacephems), J01DI others
    atcPrefixes: ["J01DB", "J01DC", "J01DD", "J01DE", "J01DI"],
    zh: [/头孢/],
    en: [/^cef/, /^ceph/],
    source: `${ANTIMICROBIAL_GUIDE}（头孢菌素类：对头孢菌素类过敏者禁用）；头孢菌素类药品说明书【禁忌】；${INN_STEMS}`,
  },
  {
    id: "sulfonamide-antibiotics",
    label: "磺胺类（抗菌药）",
    terms: ["磺胺", "新诺明", "sulfonamide", "sulfa drug", "smz", "smx"],
    // J01EB–J01EE systemic sulfonamides and SMZ-TMP (J01EA trimethoprim alone is not one);
    // A07EC01 sulfasalazine (a sulfapyridine prodrug); D06BA and S01AB local sulfonamides
    atcPrefixes: ["J01EB", "J01EC", "J01ED", "J01EE", "A07EC01", "D06BA", "S01AB"],
    zh: [/磺胺/, /柳氮磺吡啶/],
    en: [/^sulfa/, /^sulpha/],
    source: `${ANTIMICROBIAL_GUIDE}（磺胺类）；磺胺类药品说明书【禁忌】（对磺胺类药物过敏者禁用）；${INN_STEMS}`,
  },
  {
    id: "quinolones",
    label: "喹诺酮类",
    terms: ["喹诺酮", "沙星", "quinolone"],
    atcPrefixes: ["J01MA", "J01MB"],
    zh: [/沙星$/],
    en: [/floxacin$/],
    source: `喹诺酮类药品说明书【禁忌】（对本品及氟喹诺酮类药物过敏者禁用）；${INN_STEMS}`,
  },
  {
    id: "tetracyclines",
    label: "四环素类",
    terms: ["四环素", "tetracycline"],
    atcPrefixes: ["J01AA"],
    zh: [/环素$/],
    en: [/cycline$/],
    source: `四环素类药品说明书【禁忌】（对四环素类药物过敏者禁用）；${INN_STEMS}`,
  },
  {
    id: "macrolides",
    label: "大环内酯类",
    terms: ["大环内酯", "macrolide"],
    atcPrefixes: ["J01FA"],
    zh: [/^(红|琥乙红|阿奇|克拉|罗红|地红|乙酰螺旋|交沙|麦迪)霉素/],
    en: [/thromycin$/, /^(spiramycin|josamycin|midecamycin)$/],
    source: "大环内酯类药品说明书【禁忌】（对红霉素类/大环内酯类药物过敏者禁用）",
  },
  {
    id: "nsaids",
    label: "阿司匹林及非甾体抗炎药",
    terms: ["非甾体", "nsaid", "解热镇痛药", "水杨酸"],
    // N02BA salicylates, B01AC06 antiplatelet aspirin, M01A NSAIDs without M01AX (glucosamine,
    // diacerein …), N02BB pyrazolones (metamizole)
    atcPrefixes: ["N02BA", "B01AC06", "M01AA", "M01AB", "M01AC", "M01AE", "M01AG", "M01AH", "N02BB"],
    zh: [/阿司匹林/, /水杨酸/, /布洛芬/, /双氯芬酸/, /吲哚美辛/, /萘普生/, /(美|氯诺|吡罗)昔康/, /塞来昔布/, /依托考昔/, /洛索洛芬/, /酮洛芬/, /尼美舒利/, /氟比洛芬/, /安乃近/, /酮咯酸/, /舒林酸/, /萘丁美酮/, /醋氯芬酸/],
    en: [/acetylsalicylate/, /salicyl/, /profen$/, /(diclofenac|aceclofenac|indometacin|indomethacin|naproxen|nabumetone|sulindac|ketorolac|nimesulide|metamizole)/, /icam$/, /coxib$/],
    source:
      "阿司匹林片说明书【禁忌】（对阿司匹林或其他水杨酸盐过敏；水杨酸盐或非甾体抗炎药导致哮喘的历史）；非甾体抗炎药处方药说明书【禁忌】（服用阿司匹林或其他非甾体抗炎药后诱发哮喘、荨麻疹或过敏反应的患者禁用）",
  },
  {
    id: "non-antibiotic-sulfonamides",
    label: "非抗菌类磺胺结构药物（噻嗪类/袢利尿剂、磺酰脲类、塞来昔布、碳酸酐酶抑制剂）",
    terms: [],
    // C03AA/C03BA thiazides and thiazide-like, C03CA loop diuretics (furosemide, bumetanide,
    // torasemide), A10BB sulfonylureas, M01AH01 celecoxib, S01EC carbonic anhydrase inhibitors
    atcPrefixes: ["C03AA", "C03BA", "C03CA", "A10BB", "M01AH01", "S01EC"],
    zh: [/噻嗪/, /呋塞米/, /布美他尼/, /托拉塞米/, /吲达帕胺/, /氯噻酮/, /^格列(本脲|齐特|吡嗪|美脲|喹酮)/, /塞来昔布/, /乙酰唑胺/, /醋甲唑胺/],
    en: [/thiazide$/, /^(furosemide|bumetanide|torasemide|indapamide|chlortalidone|celecoxib|acetazolamide|methazolamide)$/, /^gli(benclamide|clazide|pizide|mepiride|quidone)$/],
    source: "呋塞米片、氢氯噻嗪片说明书【注意事项】（与磺胺类药物可能有交叉过敏）；Strom BL et al., N Engl J Med 2003;349:1628-35",
  },
];

export const CROSS_REACTIVITIES: readonly CrossReactivity[] = [
  {
    from: "penicillins",
    to: "cephalosporins",
    note: "青霉素类与头孢菌素类可能存在交叉过敏（主要与侧链结构相似有关），应详细询问过敏史，确需使用时选择侧链结构不同的品种并做好过敏反应的观察和抢救准备",
    source: `${BETA_LACTAM_SKIN_TEST}；${ANTIMICROBIAL_GUIDE}；头孢菌素类药品说明书【注意事项】（对青霉素类药物过敏者慎用）`,
  },
  {
    from: "cephalosporins",
    to: "penicillins",
    note: "头孢菌素类与青霉素类可能存在交叉过敏（主要与侧链结构相似有关），应详细询问过敏史并做好过敏反应的观察和抢救准备",
    source: `${BETA_LACTAM_SKIN_TEST}；${ANTIMICROBIAL_GUIDE}；青霉素类药品说明书【注意事项】`,
  },
  {
    from: "sulfonamide-antibiotics",
    to: "non-antibiotic-sulfonamides",
    note: "说明书提示与磺胺类药物可能交叉过敏；研究显示磺胺类抗菌药过敏者对非抗菌类磺胺结构药物并无结构性交叉过敏（风险升高源于过敏体质），故仅作提示，请确认既往反应类型",
    source: "呋塞米片、氢氯噻嗪片、磺酰脲类说明书【注意事项】；Strom BL et al. Absence of cross-reactivity between sulfonamide antibiotics and sulfonamide nonantibiotics. N Engl J Med 2003;349:1628-35",
  },
];
