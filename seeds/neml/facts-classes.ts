import type { DrugFacts } from "./facts.types";

/**
 * Class facts for the 2026 NEML (国家基本药物目录2026年版): special-management class,
 * antimicrobial grade, anti-TB flag and special storage, keyed by NEML number ("W073").
 * The chronic-disease facts in facts-chronic.ts override these field by field.
 *
 * Conventions (see seeds/neml/FACTS.md, "Special classes, antimicrobials, storage"):
 *
 * controlClass
 *   - narcotic / psychotropic_1 / psychotropic_2: the medicinal narcotic and psychotropic
 *     catalogues (麻醉药品品种目录 / 精神药品品种目录 2013, with the later additions, notably
 *     国家药监局 公安部 国家卫生健康委 2024年第54号公告 in force 2024-07-01: 右美沙芬 → class II;
 *     咪达唑仑 原料药和注射剂 → class I, its other single-ingredient forms stay class II).
 *     Salts, isomers and single-ingredient preparations are covered (so 右佐匹克隆 with 佐匹克隆).
 *   - toxic: 医疗用毒性药品管理办法 (1988). For western drugs the list means the raw material
 *     (原料药) except 亚砷酸注射液 (三氧化二砷) and A型肉毒毒素制剂, so atropine, pilocarpine and
 *     deslanoside preparations are NOT classed (see their notes). Chinese patent medicines
 *     that contain toxic herbs are not themselves toxic drugs and are not marked.
 *   - precursor: 药品类易制毒化学品 (麦角酸, 麦角胺, 麦角新碱, 麻黄素类), raw material and its
 *     single-ingredient preparations (药品类易制毒化学品管理办法, 2010).
 *   - radioactive: the 2026 NEML has no radiopharmaceutical, so none is marked.
 *   - narcotics and class I psychotropics carry minLevel "secondary" and an ATC code. Class II
 *     psychotropics in routine primary-care use and the two precursor preparations carry
 *     minLevel "primary" (township and community health centres prescribe them; village
 *     clinics do not); without it the converter would default every controlled drug to
 *     "secondary". 咖啡因 (neonatal) and 三氧化二砷 keep that default.
 *   - When one NEML number covers forms in different classes, `controlClass` is the strictest
 *     and `controlClassForms` gives the other forms theirs (only 咪达唑仑, W149).
 *   - Every class carries `controlSource`: the catalogue or announcement it comes from.
 *
 * antimicrobial (抗菌药物临床应用管理办法 2012 / 抗菌药物临床应用指导原则 2015)
 *   - Grades follow the most common assignment in provincial 抗菌药物分级管理目录; provinces
 *     differ, so the local catalogue wins where it is stricter.
 *   - Special-use (特殊使用级) follows the national example list: 4th-gen cephalosporins,
 *     carbapenems, glycopeptides/linezolid and the deep antifungals (echinocandins,
 *     voriconazole, lipid amphotericin B).
 *   - DrugFacts has one grade per NEML number. It is the grade of the principal dose form
 *     (the oral forms where the number has oral and injectable forms); where another listed
 *     form is commonly graded higher, the note says so ("per form: ...").
 *   - Topical, ophthalmic, otic and vaginal antibacterials/antifungals are graded
 *     unrestricted: they are still antimicrobials and stay out of long prescriptions.
 *   - Antivirals, anti-TB drugs, antiparasitics and Chinese patent medicines are outside
 *     the 管理办法's definition of 抗菌药物. Here:
 *       * anti-TB drugs: antimicrobial "unrestricted" (the schema requires a grade on an
 *         anti-TB entry) with antiTb: true and long-prescription eligible (chronic infection);
 *       * acute-use antivirals: "unrestricted" with a note, so they stay out of long
 *         prescriptions like other anti-infectives;
 *       * antivirals for chronic hepatitis B and HIV: no grade, longRxEligible true with the
 *         ICD-10 codes of the chronic infection (DOMAIN.md: antimicrobials are excluded
 *         "except those for chronic infections such as tuberculosis"); the note explains;
 *       * antiparasitics/antimalarials: not marked.
 *
 * storage
 *   - "cold_chain": stored at 2–8 °C before use (insulins and GLP-1 agonists unopened,
 *     biologics, sera, immunoglobulins, vaccines, some small molecules whose label says
 *     2–8 °C / 冷处). Products that only need "阴凉处" (≤20 °C) are normal.
 *   - "special": frozen storage (only 卡前列甲酯栓).
 *   - Note that DOMAIN.md excludes every special-storage drug from long prescriptions, and
 *     that includes the insulins and GLP-1 agonists; see FACTS.md.
 */

const ANTIVIRAL =
  "Antiviral: not graded by the 抗菌药物 three-tier system (the 管理办法 excludes antivirals); marked unrestricted so that, like other anti-infectives, it stays out of long prescriptions.";

const CHRONIC_VIRAL =
  "Antiviral for a chronic infection: not an 抗菌药物 under the 管理办法, so no grade; marked long-prescription eligible because DOMAIN.md exempts drugs for chronic infections. Caution: the 长期处方管理规范 wording of the exemption may be read as covering chronic bacterial/fungal infections only; set longRxEligible false if the consortium reads it so.";

const TOPICAL = "Topical/local anti-infective: graded unrestricted where provincial catalogues list it; excluded from long prescriptions as an antimicrobial.";

/**
 * Sources of the control classes (each controlled entry's `controlSource`). The 2013 catalogues
 * cover salts, isomers and single-ingredient preparations unless they say otherwise. Later
 * adjustments checked for the 2026 list: 2019年第63号 (含羟考酮复方制剂, 瑞马唑仑 …), 2023年第43号
 * (奥赛利定 → 麻醉药品; 苏沃雷生, 吡仑帕奈, 依他佐辛, 曲马多复方制剂 → 第二类) and 2024年第54号
 * (右美沙芬, 含地芬诺酯复方制剂, 纳呋拉啡, 氯卡色林 → 第二类; 咪达唑仑 原料药和注射剂 → 第一类):
 * of their substances only 右美沙芬 and 咪达唑仑 are on the 2026 NEML.
 */
const NARCOTIC_LIST = "麻醉药品品种目录（2013年版，国家食品药品监督管理总局 公安部 国家卫生和计划生育委员会 食药监药化监〔2013〕230号）";
const PSYCHOTROPIC_LIST_1 = "精神药品品种目录（2013年版）第一类（食药监药化监〔2013〕230号）";
const PSYCHOTROPIC_LIST_2 = "精神药品品种目录（2013年版）第二类（食药监药化监〔2013〕230号）";
const PSYCHOTROPIC_2024 = "国家药监局 公安部 国家卫生健康委关于调整精神药品目录的公告（2024年第54号，2024年4月30日发布，2024年7月1日起施行）";
const TOXIC_LIST = "医疗用毒性药品管理办法（1988年，国务院令第23号）及其毒性西药品种（亚砷酸注射液为后增品种）";
const PRECURSOR_LIST = "药品类易制毒化学品管理办法（2010年，卫生部令第72号）；易制毒化学品管理条例（2005年，国务院令第445号）第一类：原料药及其单方制剂";

const NARC_LEVEL = "Prescribed only by doctors with 麻醉药品和第一类精神药品处方权 at institutions holding a 印鉴卡; never via internet services; prescriptions kept 3 years.";

export const CLASS_FACTS: Record<string, DrugFacts> = {
  // ───────────── 一、抗微生物药 ─────────────
  // (一) 青霉素类
  W001: { atc: "J01CE01", antimicrobial: "unrestricted" }, // 青霉素
  W002: { atc: "J01CE08", antimicrobial: "unrestricted" }, // 苄星青霉素
  W003: { atc: "J01CF04", antimicrobial: "unrestricted" }, // 苯唑西林
  W004: { atc: "J01CA01", antimicrobial: "unrestricted" }, // 氨苄西林
  W005: { atc: "J01CA12", antimicrobial: "unrestricted", note: "哌拉西林 (without inhibitor) is unrestricted in most provincial catalogues; a few grade it restricted." },
  W006: { atc: "J01CA04", antimicrobial: "unrestricted" }, // 阿莫西林
  W007: {
    atc: "J01CR02",
    antimicrobial: "unrestricted",
    note: "Per form: the oral forms (tablets, granules, dry suspension) are unrestricted; the injection (注射用阿莫西林克拉维酸钾) is restricted in most provincial catalogues.",
  },
  W008: { atc: "J01CR05", antimicrobial: "restricted" }, // 哌拉西林他唑巴坦
  // (二) 头孢菌素类
  W009: { atc: "J01DB04", antimicrobial: "unrestricted" }, // 头孢唑林
  W010: { atc: "J01DB09", antimicrobial: "unrestricted" }, // 头孢拉定
  W011: { atc: "J01DB01", antimicrobial: "unrestricted" }, // 头孢氨苄
  W012: { atc: "J01DC02", antimicrobial: "unrestricted", note: "2nd-generation; both the oral axetil and the sodium injection are unrestricted in most provincial catalogues." },
  W013: { atc: "J01DD08", antimicrobial: "restricted", note: "Oral 3rd-generation cephalosporin: restricted in most provincial catalogues." },
  W014: {
    atc: "J01DD04",
    antimicrobial: "restricted",
    note: "3rd-generation injection: restricted in most provincial catalogues; some provinces grade ceftriaxone unrestricted, check the local catalogue.",
  },
  W015: { atc: "J01DD02", antimicrobial: "restricted" }, // 头孢他啶
  // (三) 氨基糖苷类
  W016: { atc: "J01GB06", antimicrobial: "restricted" }, // 阿米卡星
  W017: { atc: "J01GB03", antimicrobial: "unrestricted" }, // 庆大霉素
  // (四) 四环素类
  W018: { atc: "J01AA02", antimicrobial: "unrestricted" }, // 多西环素
  W019: { atc: "J01AA08", antimicrobial: "restricted", note: "Restricted in most provincial catalogues (a few grade oral minocycline unrestricted)." },
  // (五) 大环内酯类
  W020: {
    atc: "J01FA01",
    antimicrobial: "unrestricted",
    note: "Also listed as 1% ointment (dermatology) and 0.5% eye ointment; all forms unrestricted.",
  },
  W021: {
    atc: "J01FA10",
    antimicrobial: "unrestricted",
    note: "Per form: oral forms unrestricted; the injection (注射用阿奇霉素) is restricted in most provincial catalogues.",
  },
  W022: { atc: "J01FA09", antimicrobial: "unrestricted" }, // 克拉霉素
  // (六) 其他抗生素
  W023: {
    atc: "J01FF01",
    antimicrobial: "unrestricted",
    note: "Per form: oral forms unrestricted; the phosphate injection is unrestricted in many provinces and restricted in others.",
  },
  W024: { atc: "J01XX01", antimicrobial: "unrestricted", note: "Per form: the sodium injection is restricted in some provincial catalogues." },
  W025: { atc: "J01XC01", antimicrobial: "restricted", note: "Injection only in this list; restricted in most provincial catalogues, special in a few." },
  // (七) 磺胺类
  W026: { atc: "J01EE01", antimicrobial: "unrestricted" }, // 复方磺胺甲噁唑
  W027: { atc: "J01EC02", antimicrobial: "unrestricted" }, // 磺胺嘧啶
  // (八) 喹诺酮类
  W028: { atc: "J01MA06", antimicrobial: "unrestricted" }, // 诺氟沙星
  W029: {
    atc: "J01MA02",
    antimicrobial: "unrestricted",
    note: "Per form: tablets unrestricted; the lactate sodium-chloride injection is restricted in many provincial catalogues.",
  },
  W030: {
    atc: "J01MA12",
    antimicrobial: "restricted",
    note: "Systemic forms restricted in most provincial catalogues (oral unrestricted in a few). Also listed as eye drops (S01AE05), which are usually ungraded/unrestricted.",
  },
  W031: { atc: "J01MA14", antimicrobial: "restricted" }, // 莫西沙星
  // (九) 硝基咪唑类
  W032: {
    atc: "P01AB01",
    antimicrobial: "unrestricted",
    note: "ATC of the oral form (P01AB01); the infusion is J01XD01, the vaginal forms G01AF01. Also listed under 抗阿米巴病药 and 妇产科用药.",
  },
  W033: { atc: "P01AB02", antimicrobial: "unrestricted" }, // 替硝唑 (tablets only)
  // (十) 硝基呋喃类
  W034: { atc: "J01XE01", antimicrobial: "unrestricted" }, // 呋喃妥因
  // (十一) 抗结核病药
  W035: {
    antimicrobial: "unrestricted",
    antiTb: true,
    longRxEligible: true,
    conditions: ["A15", "A16", "A17", "A18", "A19"],
    note: "Class entry 结核病用药 (NEML 注释 1, not in the CSV): isoniazid, rifampicin, pyrazinamide, ethambutol, rifapentine, streptomycin, PAS and the fixed-dose combinations. Anti-TB drugs are outside the 抗菌药物 grading; 'unrestricted' is set only because the schema requires a grade with antiTb. Tuberculosis is the chronic infection the long-prescription rules exempt. No ATC: the entry spans J04AB/J04AC/J04AK/J04AM/A04 codes. Usually dispensed by designated TB institutions (结核病定点医疗机构) under the free national TB programme.",
  },
  // (十二) 抗麻风病药
  W036: {
    atc: "J04BA02",
    antimicrobial: "unrestricted",
    conditions: ["A30"],
    note: "Anti-leprosy. Leprosy (A30) is a chronic bacterial infection, which 长期处方管理规范（试行）exempts from the antimicrobial exclusion (治疗结核等慢性细菌真菌感染性疾病的除外; worker/rules/chronic-infections.ts), so dapsone is long-prescription eligible for leprosy (MDT 6–12 months, WHO); leprosy MDT is supplied free by designated institutions.",
  },
  // (十三) 抗真菌药
  W037: { atc: "J02AC01", antimicrobial: "restricted", note: "Per form: oral fluconazole is unrestricted in some provinces; the infusion is restricted." },
  W038: {
    atc: "J02AC02",
    antimicrobial: "restricted",
    note: "Per form: capsules, dispersible tablets and granules restricted; the oral solution (口服溶液剂) is special-use in the national example list (伊曲康唑口服液、注射剂).",
  },
  W039: {
    atc: "J02AA01",
    antimicrobial: "special",
    note: "Conventional and liposomal amphotericin B; the lipid formulation is special-use in the national example list, the conventional powder is special or restricted by province.",
  },
  W040: { atc: "J02AX04", antimicrobial: "special" }, // 卡泊芬净
  // (十四) 其他抗菌药
  W041: {
    antimicrobial: "unrestricted",
    note: "小檗碱 (berberine) is listed under 其他抗菌药 and graded unrestricted where provincial catalogues include it. No WHO ATC code.",
  },
  // (十五) 抗病毒药
  W042: { atc: "J05AB01", antimicrobial: "unrestricted", note: `${ANTIVIRAL} Also listed as 3% cream and eye drops.` },
  W043: { atc: "J05AB06", antimicrobial: "unrestricted", note: ANTIVIRAL },
  W044: { atc: "J05AH02", antimicrobial: "unrestricted", note: ANTIVIRAL },
  W045: { atc: "J05AF10", longRxEligible: true, conditions: ["B18.0", "B18.1"], note: `Chronic hepatitis B. ${CHRONIC_VIRAL}` },
  W046: { atc: "J05AP01", antimicrobial: "unrestricted", note: ANTIVIRAL },
  W047: {
    atc: "J05AP55",
    conditions: ["B18.2"],
    longRxEligible: false,
    note: "Chronic hepatitis C direct-acting antiviral: not an 抗菌药物, so no grade. A fixed 12-week curative course rather than maintenance therapy, so not marked long-prescription eligible here (normal prescriptions of up to 28 days with a recorded reason); a consortium may enable it.",
  },
  W048: {
    atc: "J05AF07",
    longRxEligible: true,
    conditions: ["B18.0", "B18.1", "B20", "B21", "B22", "B23", "B24", "Z21"],
    note: `Chronic hepatitis B and HIV. ${CHRONIC_VIRAL}`,
  },
  W049: { atc: "J05AF13", longRxEligible: true, conditions: ["B18.0", "B18.1"], note: `Chronic hepatitis B (25 mg tablet). ${CHRONIC_VIRAL}` },
  W050: {
    atc: "L03AB",
    storage: "cold_chain",
    note: "Interferon α1b/α2a/α2b (ATC level 4: several substances). Immunomodulator, not graded. Stored at 2–8 °C, so excluded from long prescriptions as special storage.",
  },
  W051: {
    longRxEligible: true,
    conditions: ["B20", "B21", "B22", "B23", "B24", "Z21"],
    note: `Class entry 艾滋病用药 (NEML 注释 2, not in the CSV); antiretrovirals are mostly supplied free under the national programme (国家免费艾滋病抗病毒药物治疗) by designated institutions. No ATC (several J05A codes). ${CHRONIC_VIRAL}`,
  },

  // ───────────── 三、麻醉药 ─────────────
  W064: { atc: "N01AX03", controlClass: "psychotropic_1", controlSource: PSYCHOTROPIC_LIST_1, minLevel: "secondary", note: `氯胺酮: 第一类精神药品. ${NARC_LEVEL}` },
  W066: { atc: "N01AH06", controlClass: "narcotic", controlSource: NARCOTIC_LIST, minLevel: "secondary", note: `瑞芬太尼: 麻醉药品. ${NARC_LEVEL}` },
  W065: { note: "丙泊酚 is not on the narcotic/psychotropic catalogues (hospitals usually manage it like a controlled drug internally); no class set." },
  W068: { atc: "M03AC09", storage: "cold_chain", note: "Store at 2–8 °C (may be kept below 30 °C for a limited time once out of the refrigerator, per label)." },
  W069: { atc: "M03AB01", storage: "cold_chain", note: "Suxamethonium injection: store refrigerated (冷处 / 2–8 °C) per label." },

  // ───────────── 四、镇痛药 ─────────────
  W071: {
    atc: "N02AB03",
    controlClass: "narcotic",
    controlSource: NARCOTIC_LIST,
    minLevel: "secondary",
    note: `芬太尼 (injection and transdermal patch): 麻醉药品. ATC of the analgesic use; the injection used in anaesthesia is N01AH01. ${NARC_LEVEL}`,
  },
  W072: { atc: "N02AB02", controlClass: "narcotic", controlSource: NARCOTIC_LIST, minLevel: "secondary", note: `哌替啶: 麻醉药品. ${NARC_LEVEL}` },
  W073: { atc: "N02AA01", controlClass: "narcotic", controlSource: NARCOTIC_LIST, minLevel: "secondary", note: `吗啡: 麻醉药品. ${NARC_LEVEL}` },
  W074: { atc: "N02AA05", controlClass: "narcotic", controlSource: NARCOTIC_LIST, minLevel: "secondary", note: `羟考酮 (single-ingredient): 麻醉药品. ${NARC_LEVEL}` },
  W075: { note: "普瑞巴林 (pregabalin) is not on China's narcotic/psychotropic catalogues (it is controlled in some other countries); no class set." },

  // ───────────── 五、神经系统用药 ─────────────
  W102: { atc: "N03AA02", controlClass: "psychotropic_2", controlSource: PSYCHOTROPIC_LIST_2, minLevel: "primary", note: "苯巴比妥: 第二类精神药品." },

  // ───────────── 六、治疗精神障碍药 ─────────────
  W139: { atc: "N05BA01", controlClass: "psychotropic_2", controlSource: PSYCHOTROPIC_LIST_2, minLevel: "primary", note: "地西泮: 第二类精神药品." },
  W140: { atc: "N03AE01", controlClass: "psychotropic_2", controlSource: PSYCHOTROPIC_LIST_2, minLevel: "primary", note: "氯硝西泮: 第二类精神药品." },
  W141: { atc: "N05BA06", controlClass: "psychotropic_2", controlSource: PSYCHOTROPIC_LIST_2, minLevel: "primary", note: "劳拉西泮: 第二类精神药品." },
  W142: { atc: "N05CD04", controlClass: "psychotropic_2", controlSource: PSYCHOTROPIC_LIST_2, minLevel: "primary", note: "艾司唑仑: 第二类精神药品." },
  W143: { atc: "N05BA12", controlClass: "psychotropic_2", controlSource: PSYCHOTROPIC_LIST_2, minLevel: "primary", note: "阿普唑仑: 第二类精神药品." },
  W147: { atc: "N05CF01", controlClass: "psychotropic_2", controlSource: PSYCHOTROPIC_LIST_2, minLevel: "primary", note: "佐匹克隆: 第二类精神药品." },
  W148: { atc: "N05CF04", controlClass: "psychotropic_2", controlSource: PSYCHOTROPIC_LIST_2, minLevel: "primary", note: "右佐匹克隆: managed as 第二类精神药品 (the S-isomer of 佐匹克隆; the catalogue covers isomers)." },
  W149: {
    atc: "N05CD08",
    controlClass: "psychotropic_1",
    controlSource: `${PSYCHOTROPIC_2024}：咪达唑仑原料药和注射剂调整为第一类，其他单方制剂仍为第二类`,
    controlClassForms: [{ forms: ["片剂", "口服溶液剂"], controlClass: "psychotropic_2", source: `${PSYCHOTROPIC_2024}：其他咪达唑仑单方制剂仍为第二类精神药品` }],
    minLevel: "secondary",
    note: `咪达唑仑: since 2024-07-01 (2024年第54号公告) the injection is 第一类精神药品 while the tablets and oral solution remain 第二类: the injection carries psychotropic_1, the tablets and oral solution psychotropic_2 (controlClassForms). ${NARC_LEVEL}`,
  },
  W150: { atc: "N05CF02", controlClass: "psychotropic_2", controlSource: PSYCHOTROPIC_LIST_2, minLevel: "primary", note: "唑吡坦: 第二类精神药品." },

  // ───────────── 七、心血管系统用药 ─────────────
  W169: { note: "地高辛 is not on the medical toxic drug list (the list names 洋地黄毒苷 digitoxin and 去乙酰毛花苷丙 as raw materials); no class set." },
  W170: { note: "去乙酰毛花苷 (deslanoside) is on the western toxic list as raw material (原料药) only; the injection is not a 医疗用毒性药品, so no class is set (it is a high-alert drug)." },

  // ───────────── 八、呼吸系统用药 ─────────────
  W210: { note: "复方甘草 tablets/oral solution contain opium powder/camphorated opium tincture; subject to special purchase and sales rules but not themselves a narcotic or psychotropic; no class set." },
  W212: { atc: "R05DA04", controlClass: "narcotic", controlSource: NARCOTIC_LIST, minLevel: "secondary", note: `可待因 (single-ingredient tablets): 麻醉药品. ${NARC_LEVEL}` },
  W213: { atc: "R05DA09", controlClass: "psychotropic_2", controlSource: `${PSYCHOTROPIC_2024}：右美沙芬列入第二类`, minLevel: "primary", note: "右美沙芬: 第二类精神药品 since 2024-07-01 (2024年第54号公告)." },
  W214: { note: "复方甲氧那明 contains noscapine (那可丁) and methoxyphenamine, neither of which is on the narcotic, psychotropic or precursor catalogues; no class set." },

  // ───────────── 九、消化系统用药 ─────────────
  W240: {
    note: "阿托品: on the western 医疗用毒性药品 list as raw material (原料药) only; tablets, injections and eye ointment are not toxic-drug preparations, so no class is set. The 5 mg injection is a high-alert drug.",
  },
  W258: { storage: "cold_chain", note: "Live bifidobacterium capsules (培菲康/贝飞达 and similar): label storage 2–8 °C, protected from light." },

  // ───────────── 十一、血液系统用药 ─────────────
  W280: { atc: "B03XA01", storage: "cold_chain" }, // 人促红素
  W292: { storage: "cold_chain", note: "Class entry 血友病用药 (NEML 注释 5): coagulation factor VIII/IX and prothrombin complex concentrates, stored at 2–8 °C." },
  W302: { atc: "L03AA02", storage: "cold_chain" }, // 人粒细胞刺激因子

  // ───────────── 十二、激素及影响内分泌药 ─────────────
  W305: { atc: "H01AC01", storage: "cold_chain" }, // 人生长激素
  W311: { storage: "cold_chain", note: "Human insulin (short, intermediate, premixed 30R): unopened at 2–8 °C; in use at room temperature for up to 4 weeks." },
  W312: { atc: "A10AE04", storage: "cold_chain", note: "Unopened at 2–8 °C; in use at room temperature for up to 4 weeks." },
  W313: { atc: "A10AB05", storage: "cold_chain", note: "Unopened at 2–8 °C; in use at room temperature for up to 4 weeks." },
  W314: { atc: "A10AE06", storage: "cold_chain", note: "Unopened at 2–8 °C; in use at room temperature for up to 8 weeks." },
  W324: { atc: "A10BJ02", storage: "cold_chain", note: "Pen unopened at 2–8 °C; in use at room temperature for up to 1 month." },
  W325: { atc: "A10BJ06", storage: "cold_chain", note: "Pen unopened at 2–8 °C; in use at room temperature for up to 6 weeks." },

  // ───────────── 十四、免疫系统用药 ─────────────
  W357: { storage: "cold_chain", note: "泰它西普 (telitacicept), lyophilised fusion protein: 2–8 °C. No WHO ATC code." },
  W358: { atc: "L04AB04", storage: "cold_chain" }, // 阿达木单抗

  // ───────────── 十五、抗肿瘤药 ─────────────
  W376: { atc: "L01CA02", storage: "cold_chain", note: "Vincristine injection and powder: refrigerated (冷处 / 2–8 °C) per label." },
  W384: {
    atc: "L01XX27",
    controlClass: "toxic",
    controlSource: TOXIC_LIST,
    note: "三氧化二砷（亚砷酸）: 亚砷酸注射液 is explicitly a 医疗用毒性药品 (the western toxic list otherwise covers raw materials only); the freeze-dried powder of the same substance is treated alike. Prescriptions kept 2 years.",
  },
  W385: { atc: "L01XX02", storage: "cold_chain" }, // 门冬酰胺酶
  W395: { atc: "L01FA01", storage: "cold_chain" }, // 利妥昔单抗
  W396: { atc: "L01FD01", storage: "cold_chain" }, // 曲妥珠单抗
  W397: { atc: "L01FG01", storage: "cold_chain" }, // 贝伐珠单抗

  // ───────────── 十九、生物制品 ─────────────
  W427: { atc: "J06AA02", storage: "cold_chain" }, // 破伤风抗毒素
  W428: { atc: "J06AA06", storage: "cold_chain" }, // 抗狂犬病血清
  W429: { atc: "J06AA03", storage: "cold_chain", note: "Class entry 抗蛇毒血清 (NEML 注释 6): the liquid antivenoms are stored at 2–8 °C." },
  W430: { atc: "J06BB02", storage: "cold_chain" }, // 破伤风人免疫球蛋白
  W431: { storage: "cold_chain", note: "Class entry 国家免疫规划用疫苗 (NEML 注释 7): vaccines, 2–8 °C cold chain (疫苗储存和运输管理规范)." },

  // ───────────── 二十、诊断用药 ─────────────
  W437: { atc: "V04CF01", storage: "cold_chain" }, // 结核菌素纯蛋白衍生物

  // ───────────── 二十一、皮肤科用药 ─────────────
  W438: { atc: "D06BA01", antimicrobial: "unrestricted", note: TOPICAL },
  W439: { atc: "D01AC02", antimicrobial: "unrestricted", note: `${TOPICAL} Cream (D01AC02) and vaginal forms (G01AF04).` },
  W440: { atc: "D01BA02", antimicrobial: "unrestricted", note: "Oral terbinafine (D01BA02) graded unrestricted in most provincial catalogues, restricted in some; the 1% cream is topical (D01AE15)." },
  W441: { atc: "D01AC20", antimicrobial: "unrestricted", note: TOPICAL },
  W442: { atc: "D06AX09", antimicrobial: "unrestricted", note: TOPICAL },
  W449: { storage: "cold_chain", note: "司普奇拜单抗 (stapokibart), monoclonal antibody: 2–8 °C. No WHO ATC code." },

  // ───────────── 二十二、眼科用药 ─────────────
  W450: { atc: "S01AA01", antimicrobial: "unrestricted", note: TOPICAL },
  W451: { atc: "S01AE06", antimicrobial: "unrestricted", note: TOPICAL },
  W452: { antimicrobial: "unrestricted", note: `Rifampicin eye drops (trachoma, conjunctivitis): not an anti-TB use, so antiTb is not set. ${TOPICAL}` },
  W453: { note: "毛果芸香碱: on the western toxic list as raw material (原料药) only; the eye drops and injection are not toxic-drug preparations, so no class is set." },
  W454: { atc: "S01EE05", storage: "cold_chain", note: "Unopened bottles at 2–8 °C; after opening at room temperature for up to 4 weeks. As special storage this excludes it from long prescriptions." },
  W459: { storage: "cold_chain", note: "康柏西普 (conbercept) intravitreal injection: 2–8 °C. No WHO ATC code." },

  // ───────────── 二十三、耳鼻喉科用药 ─────────────
  W460: {
    atc: "R01AA03",
    controlClass: "precursor",
    controlSource: PRECURSOR_LIST,
    minLevel: "primary",
    note: "麻黄碱 1% nasal drops: a single-ingredient preparation of 麻黄素, a 药品类易制毒化学品 (category 1); excluded from long prescriptions.",
  },
  W461: { atc: "S02AA16", antimicrobial: "unrestricted", note: TOPICAL },

  // ───────────── 二十四、妇产科用药 ─────────────
  W464: { note: "缩宫素: Chinese labels say 阴凉处 (≤20 °C) or 2–8 °C by manufacturer; not marked cold chain here. Check the product label." },
  W465: {
    atc: "G02AB03",
    controlClass: "precursor",
    controlSource: PRECURSOR_LIST,
    minLevel: "primary",
    note: "麦角新碱: a 药品类易制毒化学品 (麦角新碱 and its single-ingredient preparations). Labels ask for cold storage (冷处); storage not set here, check the product label.",
  },
  W469: { storage: "special", note: "卡前列甲酯栓: kept frozen (−5 °C or below) per label; special storage. No WHO ATC code (carboprost methylate)." },
  W470: { atc: "G01AF02", antimicrobial: "unrestricted", note: TOPICAL },

  // ───────────── 二十五、儿科用药 ─────────────
  W472: { atc: "N06BC01", controlClass: "psychotropic_2", controlSource: PSYCHOTROPIC_LIST_2, note: "咖啡因 (citrate injection for neonatal apnoea): 咖啡因 is a 第二类精神药品." },
  W474: { atc: "L01XX24", storage: "cold_chain" }, // 培门冬酶
  W475: { note: "水合氯醛 is not on China's narcotic/psychotropic catalogues (it is controlled in some other countries); no class set." },
  W476: { atc: "N06BA04", controlClass: "psychotropic_1", controlSource: PSYCHOTROPIC_LIST_1, minLevel: "secondary", note: `哌甲酯: 第一类精神药品. ${NARC_LEVEL}` },

  // ───────────── ATC only: NSAIDs, SSRIs, PPIs (so class-level interactions such as
  // warfarin + NSAID or SSRI + antiplatelet, and clopidogrel + omeprazole, can match) ─────────────
  W076: { atc: "N02BE01", note: "对乙酰氨基酚 (paracetamol): an analgesic, not an NSAID." },
  W078: { atc: "M01AE01" },
  W079: { atc: "M01AB05" },
  W080: { atc: "M01AE", note: "洛索洛芬 (loxoprofen) has no WHO ATC code; M01AE is its class (propionic acid derivatives)." },
  W081: { atc: "M01AE09", note: "氟比洛芬酯 (flurbiprofen axetil) carries flurbiprofen's code." },
  W082: { atc: "M01AB01" },
  W130: { atc: "N06AB05" },
  W131: { atc: "N06AB03" },
  W136: { atc: "N06AB10" },
  W138: { atc: "N06AB06" },
  W231: { atc: "A02BC01" },
  W232: { atc: "A02BC05" },

  // ───────────── 中成药 ─────────────
  T056: {
    note: "强力枇杷膏/强力枇杷露 contain 罂粟壳 (poppy capsule). The product itself is not on the narcotic or psychotropic catalogues, so no class is set; some institutions restrict quantities.",
  },
};
