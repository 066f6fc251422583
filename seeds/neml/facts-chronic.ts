import type { DrugFacts } from "./facts.types";

/**
 * Chronic-disease facts for the 2026 NEML (国家基本药物目录2026年版), keyed by NEML number.
 * They override the class facts of facts-classes.ts field by field (see facts.ts). Sources and
 * conventions are in seeds/neml/FACTS.md, "Chronic-disease drugs". In short:
 *
 * atc            WHO ATC/DDD Index (2025 edition), 7 characters; fixed combinations use the
 *                combination code. Left out where one NEML number spans several codes or
 *                none exists (Chinese patent medicines), with a note.
 * conditions     ICD-10 prefixes of the chronic conditions the drug is labelled for long term
 *                (Chinese insert; international label where the indication is established
 *                there, e.g. SGLT2 inhibitors for heart failure and CKD).
 * maxDailyDose   Not here: every maximum daily dose lives in facts-doses.ts with its source,
 *                per route and, where a number's forms or strengths differ, per form (issue 10).
 *                The notes below still explain the clinical context and why none is set.
 *                Unit: the unit the list writes that route's strengths in (g for metformin
 *                0.25 g/0.5 g, µg for huperzine, U for insulin); where they mix, the unit
 *                most of them use (aspirin: g). A consumer must still convert within
 *                µg/mg/g: prescriptions may use either.
 * pack           A typical Chinese retail pack, only where one presentation dominates; `forms`
 *                restricts it where the number also has other forms. Procurement data wins.
 * route          Only to give injections a route (the converter cannot infer one) or to pin a
 *                drug whose forms all share it.
 * storage        cold_chain for 2–8 °C products (insulins, GLP-1 agonists, epoetin,
 *                tafluprost); DOMAIN.md then excludes them from long prescriptions, as intended.
 *
 * freeProgramme: some consortia give basic hypertension and diabetes drugs free
 * (基本公共卫生服务 / 免费降压降糖药). Marked here is the small set such programmes usually
 * cover: 氨氯地平, 硝苯地平, 尼群地平, 卡托普利, 依那普利, 氢氯噻嗪 (hypertension) and
 * 二甲双胍, 格列本脲, 格列齐特 (diabetes). A consortium adjusts the flag to its own programme.
 *
 * Not set here: controlClass, antimicrobial, antiTb (facts-classes.ts); longRxEligible (derived
 * from conditions and the exclusion rule); minLevel (the converter's default).
 */


/** Statins: hyperlipidaemia and ASCVD risk reduction (CHD, ischaemic stroke, PAD). */
const STATIN_CONDITIONS = ["E78", "I20", "I25", "I63", "I69", "I70"];
const DIABETES = ["E11"];
const INSULIN_CONDITIONS = ["E10", "E11"];
const PEN = { size: 1, unit: "支" };

export const CHRONIC_FACTS: Record<string, DrugFacts> = {
  // ───────────── 四、(三) 抗痛风药 ─────────────
  W086: {
    // 别嘌醇
    atc: "M04AA01",
    conditions: ["M10", "E79"],
    pack: { size: 100, unit: "片" },
    note: "Chinese insert: 一日最大量不得大于600mg (FDA allows 800 mg). Reduce in renal impairment; HLA-B*5801 screening is advised before starting in Han Chinese patients.",
  },
  W087: {
    // 非布司他
    atc: "M04AA03",
    conditions: ["M10"],
    note: "Chinese insert: start 20–40 mg, max 80 mg/day (EMA labels 120 mg). Labelled for gout with hyperuricaemia, not asymptomatic hyperuricaemia.",
  },
  W088: {
    // 秋水仙碱
    atc: "M04AC01",
    conditions: ["M10"],
    pack: { size: 20, unit: "片" },
    note: "No max daily dose set: the current Chinese insert's low-dose flare regimen (1 mg, 0.5 mg an hour later, then 0.5 mg qd–tid from 12 h) and older high-dose regimens differ; prophylaxis is 0.5 mg qd–bid. Narrow therapeutic index; avoid strong CYP3A4/P-gp inhibitors.",
  },
  W089: {
    // 苯溴马隆
    atc: "M04AB03",
    conditions: ["M10", "E79"],
    note: "Chinese insert: 50–100 mg once daily. Not with uric-acid stones or severe renal impairment; hepatotoxicity reported.",
  },

  // ───────────── 五、神经系统用药 ─────────────
  W090: {
    // 金刚烷胺
    atc: "N04BB01",
    conditions: ["G20"],
    note: "Parkinson's disease: 100 mg qd–bid, max 400 mg/day (Chinese insert). Its influenza A use is acute and not a condition here.",
  },
  W091: {
    // 苯海索
    atc: "N04AA01",
    conditions: ["G20", "G21"],
    note: "Chinese insert: usually not more than 10 mg/day, 极量 20 mg/day; lower doses in the elderly. G21: drug-induced parkinsonism.",
  },
  W092: {
    // 多巴丝肼
    atc: "N04BA02",
    conditions: ["G20"],
    note: "Levodopa + benserazide 4:1. No max daily dose set: the list states the combined amount while the insert's limits are per levodopa. The converter does not parse these strengths yet.",
  },
  W093: {
    // 普拉克索
    atc: "N04BC05",
    conditions: ["G20"],
    note: "Amounts as the dihydrochloride salt, as the Chinese label states them; max 4.5 mg/day for IR and ER tablets.",
  },
  W094: {
    // 恩他卡朋
    atc: "N04BX02",
    conditions: ["G20"],
    note: "200 mg with each levodopa dose, at most 10 tablets (2 g) a day.",
  },
  W095: {
    // 溴隐亭
    atc: "N04BC01",
    conditions: ["G20", "E22"],
    note: "ATC N04BC01 (the list files it under Parkinson's drugs; the gynaecology cross-listing would be G02CB01). No max set: Parkinson's, hyperprolactinaemia and acromegaly regimens differ widely.",
  },
  W097: {
    // 溴吡斯的明
    atc: "N07AA02",
    conditions: ["G70"],
    note: "No max set: titrated to response (Chinese insert 60–120 mg every 3–4 hours).",
  },
  W098: {
    // 卡马西平
    atc: "N03AF01",
    conditions: ["G40", "G50"],
    note: "No max set: maintenance 800–1200 mg/day, some patients 1600 mg or more (insert). G50: trigeminal neuralgia. HLA-B*1502 screening is advised in Han Chinese patients.",
  },
  W099: {
    // 奥卡西平
    atc: "N03AF02",
    conditions: ["G40"],
  },
  W100: {
    // 丙戊酸钠
    atc: "N03AG01",
    conditions: ["G40"],
    route: "iv",
    note: "No max set: oral and intravenous doses are weight-based.",
  },
  W101: {
    // 苯妥英钠
    atc: "N03AB02",
    conditions: ["G40"],
    note: "Chinese insert 极量: 300 mg per dose, 500 mg/day. Narrow therapeutic index; monitor levels.",
  },
  W103: {
    // 拉莫三嗪
    atc: "N03AX09",
    conditions: ["G40"],
    note: "No max set: maintenance depends on co-medication (with valproate 100–200 mg/day; with enzyme inducers up to 400–700 mg/day). Slow titration (rash).",
  },
  W104: {
    // 左乙拉西坦
    atc: "N03AX14",
    conditions: ["G40"],
    route: "iv",
  },
  W105: {
    // 尼莫地平
    atc: "C08CA06",
    route: "iv",
    note: "No chronic condition set: its labelled uses (vasospasm after subarachnoid haemorrhage, for about 3 weeks; ischaemic cerebrovascular disease) are not clear long-term maintenance indications. Oral max 360 mg/day (60 mg every 4 h).",
  },
  W107: {
    // 倍他司汀
    atc: "N07CA01",
    conditions: ["H81"],
    note: "No max set: two salts with different doses (hydrochloride 4 mg, mesilate 6 mg tablets).",
  },
  W108: {
    // 氟桂利嗪
    atc: "N07CA03",
    conditions: ["G43", "H81"],
    note: "5–10 mg at night, 5 mg over 65 years. Review regularly (depression, extrapyramidal effects).",
  },
  W114: {
    // 石杉碱甲
    conditions: ["G30", "F00", "F01", "F03"],
    note: "No WHO ATC code. Chinese insert: 0.1–0.2 mg bid, not more than 0.45 mg/day.",
  },
  W115: {
    // 多奈哌齐
    atc: "N06DA02",
    conditions: ["G30", "F00"],
  },

  // ───────────── 七、(一) 抗心绞痛药 ─────────────
  W151: {
    // 硝酸甘油
    atc: "C01DA02",
    conditions: ["I20", "I25"],
    route: "iv",
    pack: { size: 100, unit: "片", forms: ["片剂", "舌下片"] },
    note: "No max daily dose: sublingual use is per attack (0.5 mg, repeated every 5 minutes, at most 3 doses in 15 minutes, then seek care). The 0.5 mg tablets are taken sublingually although the form name implies oral.",
  },
  W152: {
    // 硝酸异山梨酯
    atc: "C01DA08",
    conditions: ["I20", "I25", "I50"],
    route: "iv",
    pack: { size: 100, unit: "片", forms: ["片剂"] },
    note: "No max set: 5–10 mg bid–tid for prevention, titrated; intravenous use is acute.",
  },
  W153: {
    // 单硝酸异山梨酯
    atc: "C01DA14",
    conditions: ["I20", "I25", "I50"],
    route: "iv",
    note: "Oral max 120 mg/day (sustained release 60 mg once daily, up to 120 mg); IR 20 mg bid–tid. Keep a nitrate-free interval.",
  },
  W154: {
    // 硝苯地平
    atc: "C08CA05",
    conditions: ["I10", "I20"],
    pack: { size: 100, unit: "片", forms: ["片剂"] },
    freeProgramme: true,
    note: "Max 120 mg/day (Chinese insert, IR and sustained release). IR tablets are not for sublingual emergency BP lowering.",
  },
  W155: {
    // 地尔硫䓬
    atc: "C08DB01",
    conditions: ["I20", "I10"],
  },
  W156: {
    // 尼可地尔
    atc: "C01DX16",
    conditions: ["I20", "I25"],
    note: "No max set: insert 5 mg tid, adjusted to response.",
  },
  W157: {
    // 曲美他嗪
    atc: "C01EB15",
    conditions: ["I20", "I25"],
    note: "IR 20 mg tid (60 mg/day), modified release 35 mg bid (70 mg/day); each form carries its own ceiling (facts-doses.ts). Reduce in moderate renal impairment.",
  },

  // ───────────── 七、(二) 抗心律失常药 ─────────────
  W158: {
    // 美西律
    atc: "C01BB02",
    conditions: ["I47", "I49"],
    note: "Chinese insert: maintenance 400–800 mg/day, 极量 1200 mg/day.",
  },
  W159: {
    // 普罗帕酮
    atc: "C01BC03",
    conditions: ["I47", "I48", "I49"],
    route: "iv",
    note: "Oral: treatment 300–900 mg/day, maintenance 300–600 mg/day. No intravenous max set (acute use).",
  },
  W160: {
    // 普萘洛尔
    atc: "C07AA05",
    conditions: ["I10", "I20", "I25", "I47", "I48"],
    pack: { size: 100, unit: "片" },
    note: "Chinese insert: hypertension and angina up to 200 mg/day.",
  },
  W161: {
    // 阿替洛尔
    atc: "C07AB03",
    conditions: ["I10", "I20", "I25"],
    note: "Chinese insert: 6.25–12.5 mg bid, titrated to 50–200 mg/day. Reduce in renal impairment.",
  },
  W162: {
    // 美托洛尔
    atc: "C07AB02",
    conditions: ["I10", "I20", "I25", "I48", "I50"],
    route: "iv",
    pack: { size: 20, unit: "片", forms: ["片剂"] },
    note: "The number mixes tartrate IR tablets, succinate ER forms (47.5 mg ≈ 50 mg tartrate) and the injection, whose ceilings differ: only the succinate ER forms carry one (190 mg/day, facts-doses.ts); the tartrate tablets and the injection have none.",
  },
  W164: {
    // 索他洛尔
    atc: "C07AA07",
    conditions: ["I47", "I48"],
    note: "Usually 160–320 mg/day; 480–640 mg/day only for life-threatening ventricular arrhythmias. Start in hospital; QT and renal function monitoring.",
  },
  W165: {
    // 胺碘酮
    atc: "C01BD01",
    conditions: ["I47", "I48", "I49"],
    route: "iv",
    pack: { size: 10, unit: "片", forms: ["片剂"] },
    note: "No max set: oral loading (600 mg/day for 8–10 days in the Chinese insert, higher elsewhere) and maintenance (100–400 mg/day) differ. Thyroid, liver and lung monitoring.",
  },
  W166: {
    // 维拉帕米
    atc: "C08DA01",
    conditions: ["I10", "I20", "I47", "I48"],
    route: "iv",
  },
  W168: {
    // 莫雷西嗪
    atc: "C01BG01",
    conditions: ["I47", "I49"],
    note: "Chinese insert: 150–300 mg every 8 hours, 极量 900 mg/day.",
  },

  // ───────────── 七、(三) 抗心力衰竭药 ─────────────
  W169: {
    // 地高辛
    atc: "C01AA05",
    conditions: ["I50", "I48"],
    route: "iv",
    note: "Not a 医疗用毒性药品 (the toxic list names digitoxin and deslanoside raw materials), so no class is set. No max daily dose: maintenance 0.125–0.5 mg/day, but a rapid loading regimen gives 0.75–1.25 mg in 24 h; adjust to renal function and serum level.",
  },
  W171: {
    // 伊伐布雷定
    atc: "C01EB17",
    conditions: ["I50"],
  },

  // ───────────── 七、(四) 抗高血压药 ─────────────
  W173: {
    // 卡托普利
    atc: "C09AA01",
    conditions: ["I10", "I50"],
    pack: { size: 100, unit: "片" },
    freeProgramme: true,
    note: "The Chinese insert states no maximum (hypertension: up to 50 mg bid–tid, then add another drug; heart failure may go higher); 450 mg/day is the FDA label ceiling.",
  },
  W174: {
    // 依那普利
    atc: "C09AA02",
    conditions: ["I10", "I50"],
    freeProgramme: true,
  },
  W175: {
    // 赖诺普利
    atc: "C09AA03",
    conditions: ["I10", "I50"],
    note: "Hypertension: tablets up to 80 mg/day (originator label), the domestic capsules 40 mg/day (facts-doses.ts); heart failure up to 35–40 mg/day.",
  },
  W176: {
    // 培哚普利叔丁胺
    atc: "C09AA04",
    conditions: ["I10", "I50", "I25"],
    note: "Amounts as the tert-butylamine salt (8 mg ≈ 10 mg perindopril arginine).",
  },
  W177: {
    // 缬沙坦
    atc: "C09CA03",
    conditions: ["I10", "I50"],
  },
  W178: {
    // 替米沙坦
    atc: "C09CA07",
    conditions: ["I10"],
  },
  W179: {
    // 厄贝沙坦
    atc: "C09CA04",
    conditions: ["I10", "E11.2"],
    note: "Also labelled for nephropathy in hypertensive type 2 diabetes (E11.2).",
  },
  W180: {
    // 缬沙坦氨氯地平
    atc: "C09DB01",
    conditions: ["I10"],
    note: "One tablet daily (80/5 or 160/5 mg). No max set: the strength names two ingredients (ceilings: valsartan 320 mg, amlodipine 10 mg/day). The converter does not parse these strengths yet.",
  },
  W183: {
    // 尼群地平
    atc: "C08CA08",
    conditions: ["I10"],
    pack: { size: 100, unit: "片" },
    freeProgramme: true,
    note: "Chinese insert: 10 mg once daily, up to 20 mg bid.",
  },
  W184: {
    // 非洛地平
    atc: "C08CA02",
    conditions: ["I10", "I20"],
  },
  W185: {
    // 氨氯地平
    atc: "C08CA01",
    conditions: ["I10", "I20", "I25"],
    pack: { size: 28, unit: "片" },
    freeProgramme: true,
  },
  W186: {
    // 左氨氯地平
    atc: "C08CA17",
    conditions: ["I10", "I20"],
  },
  W187: {
    // 比索洛尔
    atc: "C07AB07",
    conditions: ["I10", "I20", "I25", "I50"],
    note: "Chinese label: hypertension and angina 5 mg, up to 10 mg once daily; heart failure titrated to at most 10 mg/day (the FDA allows 20 mg).",
  },
  W188: {
    // 拉贝洛尔
    atc: "C07AG01",
    conditions: ["I10"],
    note: "Maintenance 200–400 mg bid–tid; not more than 2.4 g/day.",
  },
  W189: {
    // 乌拉地尔
    atc: "C02CA06",
    conditions: ["I10"],
    route: "iv",
    note: "Sustained release 30 mg bid, maintenance 30–180 mg/day. No intravenous max set (acute use).",
  },
  W190: {
    // 吲达帕胺
    atc: "C03BA11",
    conditions: ["I10"],
    note: "The Chinese insert gives 2.5 mg once daily (sustained release 1.5 mg once daily) with no titration; higher doses add hypokalaemia, not BP effect (FDA allows 5 mg).",
  },
  W192: {
    // 哌唑嗪
    atc: "C02CA01",
    conditions: ["I10", "I50"],
    pack: { size: 100, unit: "片" },
    note: "Maintenance 6–15 mg/day; no further benefit above 20 mg/day (insert). First-dose hypotension.",
  },
  W193: {
    // 波生坦
    atc: "C02KX01",
    conditions: ["I27"],
    note: "Pulmonary arterial hypertension: 62.5 mg bid for 4 weeks, then 125 mg bid; monthly liver tests. The 32 mg dispersible tablets are paediatric.",
  },

  // ───────────── 七、(六) 调脂及抗动脉粥样硬化药 ─────────────
  W200: {
    // 辛伐他汀
    atc: "C10AA01",
    conditions: STATIN_CONDITIONS,
    note: "Domestic labels: maximum 40 mg/day (facts-doses.ts); the originator's 80 mg is restricted to patients already on 80 mg for 12 months without myopathy.",
  },
  W201: {
    // 阿托伐他汀
    atc: "C10AA05",
    conditions: STATIN_CONDITIONS,
  },
  W202: {
    // 瑞舒伐他汀
    atc: "C10AA07",
    conditions: STATIN_CONDITIONS,
    note: "Chinese (Asian) label maximum 20 mg/day; 40 mg elsewhere is not for Asian patients.",
  },
  W203: {
    // 非诺贝特
    atc: "C10AB05",
    conditions: ["E78"],
    note: "Plain 100 mg tid (0.3 g/day); micronised 200 mg capsules once daily (0.2 g/day), each strength with its own ceiling.",
  },
  W204: {
    // 依折麦布
    atc: "C10AX09",
    conditions: ["E78"],
  },

  // ───────────── 八、呼吸系统用药 ─────────────
  W208: {
    // 羧甲司坦
    atc: "R05CB03",
    conditions: ["J42", "J44"],
    note: "Adults 0.5 g tid.",
  },
  W209: {
    // 乙酰半胱氨酸
    atc: "R05CB01",
    conditions: ["J42", "J44"],
    note: "Effervescent tablets 600 mg once or twice daily, granules 200 mg tid (each form its own ceiling); inhalation solution 300 mg once or twice daily. The weight-based paracetamol-overdose antidote regimen is outside these ceilings.",
  },
  W215: {
    // 氨茶碱
    atc: "R03DA05",
    conditions: ["J44", "J45"],
    route: "iv",
    note: "Chinese 极量: oral 0.5 g per dose and 1 g/day; intravenous 0.5 g per dose and 1 g/day. Narrow therapeutic index; interactions with quinolones and macrolides.",
  },
  W216: {
    // 茶碱
    atc: "R03DA04",
    conditions: ["J44", "J45"],
    note: "Sustained release: 0.2–0.4 g once daily, not more than 0.9 g/day (insert).",
  },
  W217: {
    // 沙丁胺醇
    atc: "R03AC02",
    conditions: ["J45", "J44"],
    route: "inhalation",
    note: "No max set: the metered-dose aerosol and the nebuliser solution differ by an order of magnitude. The converter does not parse the per-actuation aerosol strengths.",
  },
  W218: {
    // 异丙托溴铵
    atc: "R03BB01",
    conditions: ["J44", "J45"],
    route: "inhalation",
    note: "No max set: aerosol and nebuliser solution ceilings differ.",
  },
  W219: {
    // 噻托溴铵
    atc: "R03BB04",
    conditions: ["J44"],
    route: "inhalation",
    pack: { size: 30, unit: "粒", forms: ["吸入粉雾剂"] },
    note: "One 18 µg capsule inhaled once daily with its inhaler device; capsules are not swallowed.",
  },
  W220: {
    // 孟鲁司特
    atc: "R03DC03",
    conditions: ["J45", "J30"],
    note: "Adults 10 mg once daily in the evening; the 4/5 mg chewables, granules and films are paediatric.",
  },
  W221: {
    // 丙酸氟替卡松
    atc: "R03BA05",
    conditions: ["J45"],
    note: "ATC R03BA05 (inhaled); the nasal spray cross-listed in the ENT section is R01AD08. No max set: inhaler and nebuliser ceilings differ.",
  },
  W222: {
    // 布地奈德
    atc: "R03BA02",
    conditions: ["J45"],
    route: "inhalation",
    note: "No max set: aerosol, dry powder and nebuliser suspension ceilings differ.",
  },
  W223: {
    // 布地奈德福莫特罗
    atc: "R03AK07",
    conditions: ["J45", "J44"],
    route: "inhalation",
    note: "No max set: depends on the regimen (maintenance 1–2 inhalations bid; maintenance-and-reliever up to 8–12 inhalations a day).",
  },
  W224: {
    // 茚达特罗格隆溴铵
    atc: "R03AL04",
    conditions: ["J44"],
    route: "inhalation",
    note: "One capsule (110/50 µg) inhaled once daily. No max set: two-ingredient strength.",
  },
  W225: {
    // 布地格福
    atc: "R03AL11",
    conditions: ["J44"],
    route: "inhalation",
    note: "Two actuations bid. No max set: three-ingredient strength.",
  },
  W227: {
    // 尼达尼布
    atc: "L01EX09",
    conditions: ["J84"],
    note: "Idiopathic pulmonary fibrosis and progressive fibrosing ILD: 150 mg bid (100 mg bid if not tolerated); liver tests.",
  },

  // ───────────── 四 / 九、消化与风湿 ─────────────
  W053: {
    // 羟氯喹
    atc: "P01BA02",
    conditions: ["M05", "M06", "M32", "L93"],
    note: "Max 400 mg/day or 6.5 mg/kg ideal body weight, whichever is lower; yearly eye examination.",
  },
  W083: {
    // 来氟米特
    atc: "L04AK01",
    conditions: ["M05", "M06", "M32"],
    note: "ATC L04AK01 since 2024 (formerly L04AA13). No max set: the Chinese insert loads 50 mg/day for 3 days (FDA 100 mg) then 10–20 mg/day; lupus nephritis 20–40 mg/day.",
  },
  W084: {
    // 美沙拉秦
    atc: "A07EC02",
    conditions: ["K50", "K51"],
    note: "No max set: oral ceilings differ between products (4 g/day, some 4.8 g/day); rectal forms separate.",
  },
  W260: {
    // 熊去氧胆酸
    atc: "A05AA02",
    conditions: ["K74", "K80"],
    note: "No max set: weight-based (10–15 mg/kg/day). K74: primary biliary cholangitis; K80: cholesterol gallstones.",
  },
  W261: {
    // 柳氮磺吡啶
    atc: "A07EC01",
    conditions: ["K51", "K50", "M05", "M06"],
    note: "No max set: ulcerative colitis maintenance about 2 g/day, flares 4–6 g/day.",
  },

  // ───────────── 十、泌尿系统用药 ─────────────
  W262: {
    // 呋塞米
    atc: "C03CA01",
    conditions: ["I50", "I10", "N18", "K74"],
    route: "iv",
    pack: { size: 100, unit: "片", forms: ["片剂"] },
    note: "Oral: the Chinese insert allows up to 600 mg/day but normally ≤100 mg/day. No intravenous max set (acute use).",
  },
  W263: {
    // 托拉塞米
    atc: "C03CA04",
    conditions: ["I50", "I10", "N18", "K74"],
    route: "iv",
    note: "No max set: ceilings differ by indication (oedema up to 200 mg/day in some labels, hypertension 5–10 mg/day).",
  },
  W264: {
    // 氢氯噻嗪
    atc: "C03AA03",
    conditions: ["I10", "I50"],
    pack: { size: 100, unit: "片" },
    freeProgramme: true,
    note: "Hypertension 25–100 mg/day; oedema 25–50 mg qd–bid.",
  },
  W265: {
    // 螺内酯
    atc: "C03DA01",
    conditions: ["I50", "I10", "E26", "K74", "N04"],
    pack: { size: 100, unit: "片" },
    note: "Up to 400 mg/day only in primary aldosteronism; heart failure 20–50 mg/day. Hyperkalaemia with ACE inhibitors/ARBs.",
  },
  W266: {
    // 氨苯蝶啶
    atc: "C03DB02",
    conditions: ["I50", "K74", "N04"],
    pack: { size: 100, unit: "片" },
  },
  W267: {
    // 非奈利酮
    atc: "C03DA05",
    conditions: ["N18", "E11"],
    note: "CKD with type 2 diabetes and albuminuria: 10 mg, then 20 mg once daily by potassium and eGFR.",
  },
  W269: {
    // 坦洛新
    atc: "G04CA02",
    conditions: ["N40"],
  },
  W270: {
    // 特拉唑嗪
    atc: "G04CA03",
    conditions: ["N40", "I10"],
    note: "BPH 2–10 mg/day; hypertension 1–5 mg, up to 20 mg/day. First-dose hypotension.",
  },
  W271: {
    // 非那雄胺
    atc: "G04CB01",
    conditions: ["N40"],
  },

  // ───────────── 十一、血液系统用药 ─────────────
  W279: {
    // 甲钴胺
    atc: "B03BA05",
    conditions: ["G62", "G63", "E11.4", "D51"],
    note: "No max set (insert 0.5 mg tid orally). Peripheral neuropathy incl. diabetic (E11.4/G63); the injection also for B12-deficiency anaemia.",
  },
  W280: {
    // 人促红素
    atc: "B03XA01",
    conditions: ["N18", "D63"],
    route: "sc",
    storage: "cold_chain",
    pack: PEN,
    note: "Renal anaemia: subcutaneous (intravenous in haemodialysis). Dosed by weight and haemoglobin, so no max set. 2–8 °C storage excludes it from long prescriptions.",
  },
  W281: {
    // 罗沙司他
    atc: "B03XA05",
    conditions: ["N18", "D63"],
    note: "Three times weekly by weight (max 2.5 mg/kg per dose); no daily max set.",
  },
  W077: {
    // 阿司匹林
    atc: "B01AC06",
    conditions: ["I20", "I21", "I25", "I63", "I69", "G45"],
    pack: { size: 30, unit: "片", forms: ["肠溶片"] },
    note: "One NEML number covers the antiplatelet enteric tablets (B01AC06) and the analgesic/antirheumatic 0.3/0.5 g tablets (N02BA01); the antiplatelet code is used. The oral ceiling is the label maximum for antirheumatic use (一日3～6g, 分4次); the low-dose enteric tablets (25 mg–0.1 g) carry their antiplatelet label ceiling of 300 mg/day instead (facts-doses.ts).",
  },
  W282: {
    // 氯吡格雷
    atc: "B01AC04",
    conditions: ["I20", "I21", "I25", "I63", "I69", "I70"],
    pack: { size: 7, unit: "片" },
    note: "75 mg/day; a 300 mg loading dose on the first day (label). A 600 mg loading dose before PCI (guideline, in hospital) exceeds this ceiling.",
  },
  W283: {
    // 吲哚布芬
    atc: "B01AC10",
    conditions: ["I20", "I25", "I63", "I69", "I70", "I80"],
  },
  W284: {
    // 替格瑞洛
    atc: "B01AC24",
    conditions: ["I20", "I21", "I25"],
    pack: { size: 14, unit: "片" },
    note: "180 mg loading dose, then 90 mg bid; 60 mg bid beyond 12 months after myocardial infarction.",
  },
  W285: {
    // 西洛他唑
    atc: "B01AC23",
    conditions: ["I70", "I63", "I69"],
    note: "100 mg bid. Contraindicated in heart failure.",
  },
  W295: {
    // 华法林
    atc: "B01AA03",
    conditions: ["I48", "I26", "I80", "I82", "Z95.2"],
    note: "No max set: dose by INR. Z95.2: prosthetic heart valve.",
  },
  W297: {
    // 达比加群酯
    atc: "B01AE07",
    conditions: ["I48", "I26", "I80"],
    pack: { size: 10, unit: "粒" },
    note: "150 mg bid (110 mg bid in the elderly or at bleeding risk); check creatinine clearance.",
  },
  W298: {
    // 利伐沙班
    atc: "B01AF01",
    conditions: ["I48", "I26", "I80"],
    note: "30 mg/day only in the first 21 days of DVT/PE treatment (15 mg bid); AF 20 mg once daily with food.",
  },

  // ───────────── 十二、(三) 胰岛素及降血糖药 ─────────────
  W311: {
    // 胰岛素 (人胰岛素: 短效、中效、预混30R)
    conditions: INSULIN_CONDITIONS,
    route: "sc",
    storage: "cold_chain",
    pack: PEN,
    note: "Human insulin (short, intermediate, premixed 30R): unopened at 2–8 °C; in use at room temperature for up to 4 weeks. ATC per product (A10AB01 short-acting, A10AC01 NPH, A10AD01 premixed), so none is set for the number. 300 U is a 3 ml pen or cartridge, 400 U a 10 ml vial. No max daily dose: titrated to glucose.",
  },
  W312: {
    // 甘精胰岛素
    atc: "A10AE04",
    conditions: INSULIN_CONDITIONS,
    route: "sc",
    storage: "cold_chain",
    pack: PEN,
  },
  W313: {
    // 门冬胰岛素
    atc: "A10AB05",
    conditions: INSULIN_CONDITIONS,
    route: "sc",
    storage: "cold_chain",
    pack: PEN,
  },
  W314: {
    // 德谷胰岛素
    atc: "A10AE06",
    conditions: INSULIN_CONDITIONS,
    route: "sc",
    storage: "cold_chain",
    pack: PEN,
  },
  W315: {
    // 二甲双胍
    atc: "A10BA02",
    conditions: DIABETES,
    freeProgramme: true,
    note: "Ceilings per form (facts-doses.ts): 0.5 g plain tablets 2550 mg/day (originator label); 0.25 g tablets/capsules, enteric and extended-release forms 2000 mg/day (their Chinese labels). Stop at eGFR <30.",
  },
  W316: {
    // 格列本脲
    atc: "A10BB01",
    conditions: DIABETES,
    freeProgramme: true,
    note: "Max 15 mg/day. Also contained in 消渴丸 (T090, 2.5 mg per 10 pills): do not combine. Avoid in the elderly and in renal impairment (hypoglycaemia).",
  },
  W317: {
    // 格列吡嗪
    atc: "A10BB07",
    conditions: DIABETES,
    note: "IR tablets/capsules up to 30 mg/day; the sustained-release tablets up to 20 mg/day.",
  },
  W318: {
    // 格列美脲
    atc: "A10BB12",
    conditions: DIABETES,
    note: "Chinese insert: maximum recommended 6 mg/day (FDA 8 mg).",
  },
  W319: {
    // 格列喹酮
    atc: "A10BB08",
    conditions: DIABETES,
  },
  W320: {
    // 格列齐特
    atc: "A10BB09",
    conditions: DIABETES,
    freeProgramme: true,
    note: "Ceilings per form (facts-doses.ts): 80 mg IR tablets 240 mg/day (Chinese insert; 320 mg is the foreign IR ceiling); modified-release 30/60 mg tablets 120 mg/day.",
  },
  W321: {
    // 阿卡波糖
    atc: "A10BF01",
    conditions: ["E11", "R73"],
    pack: { size: 30, unit: "片", forms: ["片剂"] },
    note: "50–100 mg tid with meals, up to 200 mg tid. R73: impaired glucose tolerance.",
  },
  W322: {
    // 达格列净
    atc: "A10BK01",
    conditions: ["E11", "I50", "N18"],
  },
  W323: {
    // 恩格列净
    atc: "A10BK03",
    conditions: ["E11", "I50", "N18"],
    note: "Heart failure and CKD: 10 mg once daily.",
  },
  W324: {
    // 利拉鲁肽
    atc: "A10BJ02",
    conditions: DIABETES,
    route: "sc",
    storage: "cold_chain",
    pack: PEN,
    note: "Pen unopened at 2–8 °C; in use at room temperature for up to 1 month. Type 2 diabetes: 0.6 → 1.2 → 1.8 mg/day; the 3 mg weight-management dose exceeds this ceiling.",
  },
  W325: {
    // 司美格鲁肽
    atc: "A10BJ06",
    conditions: DIABETES,
    route: "sc",
    storage: "cold_chain",
    pack: PEN,
    note: "Pen unopened at 2–8 °C; in use at room temperature for up to 6 weeks. Once weekly (0.25 → 0.5 → 1 mg), so no daily max is set.",
  },
  W326: {
    // 瑞格列奈
    atc: "A10BX02",
    conditions: DIABETES,
    note: "Up to 4 mg with each main meal, 16 mg/day.",
  },
  W327: {
    // 吡格列酮
    atc: "A10BG03",
    conditions: DIABETES,
    note: "Not in heart failure (NYHA III–IV).",
  },
  W328: {
    // 西格列汀
    atc: "A10BH01",
    conditions: DIABETES,
  },
  W329: {
    // 利格列汀
    atc: "A10BH05",
    conditions: DIABETES,
  },

  // ───────────── 十二、(四) 甲状腺 / (五)–(八) ─────────────
  W330: {
    // 甲状腺片
    atc: "H03AA05",
    conditions: ["E03", "E89"],
    pack: { size: 100, unit: "片" },
    note: "No max set: maintenance 40–120 mg/day, some patients 160 mg; T3/T4 content varies.",
  },
  W331: {
    // 左甲状腺素钠
    atc: "H03AA01",
    conditions: ["E03", "E04", "E89", "C73"],
    pack: { size: 100, unit: "片" },
    note: "No max set: individualised to TSH (replacement about 1.6 µg/kg/day; TSH suppression after thyroid cancer higher).",
  },
  W332: {
    // 甲巯咪唑
    atc: "H03BB02",
    conditions: ["E05"],
    note: "Chinese insert: start 30 mg/day, 一日最大量60mg; maintenance 5–15 mg.",
  },
  W333: {
    // 丙硫氧嘧啶
    atc: "H03BA02",
    conditions: ["E05"],
    pack: { size: 100, unit: "片" },
    note: "Chinese insert: start 300 mg/day, 一日最大量600mg. Hepatotoxicity; preferred in the first trimester.",
  },
  W334: {
    // 西那卡塞
    atc: "H05BX01",
    conditions: ["N25", "E21"],
    note: "No max set: the Chinese 25/75 mg product follows the Japanese label (max 100 mg/day) while the FDA allows 180 mg. N25: secondary hyperparathyroidism of renal origin.",
  },
  W343: {
    // 阿法骨化醇
    atc: "A11CC03",
    conditions: ["M81", "N25", "E20", "E21"],
    note: "No max set: titrated to serum calcium (usually 0.5–1 µg/day).",
  },
  W345: {
    // 碳酸钙D3
    conditions: ["M81"],
    note: "ATC is A12AX (calcium combined with vitamin D), a group without a 7-character code, so none is set. The converter does not parse these strengths yet.",
  },
  W346: {
    // 阿仑膦酸钠
    atc: "M05BA04",
    conditions: ["M81", "M80"],
    note: "10 mg daily (10 mg tablets: 10 mg/day) or 70 mg once weekly (the 70 mg tablet's ceiling is the dose on its day).",
  },

  // ───────────── 十七、(三) 其他 ─────────────
  W418: {
    // 司维拉姆
    atc: "V03AE02",
    conditions: ["N18", "E83"],
    note: "No max set: titrated to serum phosphate. E83: hyperphosphataemia.",
  },

  // 一、(十五) 慢性乙肝 W045/W048/W049: class, conditions and eligibility in facts-classes.ts,
  // maximum daily doses in facts-doses.ts.

  // ───────────── 二十二、(二) 青光眼用药 ─────────────
  W453: {
    // 毛果芸香碱
    atc: "S01EB01",
    conditions: ["H40"],
  },
  W454: {
    // 他氟前列素
    atc: "S01EE05",
    conditions: ["H40"],
    storage: "cold_chain",
  },
  W455: {
    // 噻吗洛尔
    atc: "S01ED01",
    conditions: ["H40"],
  },
  W456: {
    // 乙酰唑胺
    atc: "S01EC01",
    conditions: ["H40"],
    note: "No max set. Glaucoma: 0.25 g qd–tid; long-term use needs electrolyte monitoring.",
  },

  // ───────────── 中成药 (no WHO ATC code; conditions from the insert's Western-disease clause) ─────────────
  T039: { conditions: DIABETES }, // 金芪降糖片
  T046: { conditions: ["I49"] }, // 稳心颗粒: 室性早搏、房性早搏
  T071: { conditions: ["N18"] }, // 肾衰宁胶囊
  T084: { conditions: ["J42", "N18"] }, // 百令胶囊: 慢性支气管炎, 慢性肾功能不全辅助治疗
  T085: { conditions: ["J42", "N18"] }, // 金水宝胶囊
  T090: {
    // 消渴丸
    conditions: DIABETES,
    note: "Contains glibenclamide (2.5 mg per 10 pills, 0.25 mg per pill): do not combine with 格列本脲 (W316) or other sulfonylureas; hypoglycaemia risk. No max set here.",
  },
  T092: { conditions: DIABETES }, // 参芪降糖颗粒
  T093: { conditions: DIABETES }, // 天芪降糖胶囊
  T094: { conditions: DIABETES }, // 津力达颗粒
  T096: { conditions: DIABETES }, // 玉泉胶囊
  T097: { conditions: ["I50"] }, // 芪苈强心胶囊
  T111: { conditions: ["I20", "I25", "I63", "I69"] }, // 银杏叶胶囊
  T112: { conditions: ["I20", "I25", "E78", "I63", "I69"] }, // 银丹心脑通软胶囊
  T114: { conditions: ["I20", "I25"] }, // 麝香保心丸
  T115: { conditions: ["I63", "I69", "I20", "I25"] }, // 脑心通丸
  T116: { conditions: ["I20", "I25"] }, // 诺迪康胶囊
  T117: { conditions: ["I63", "I69", "I20", "I25"] }, // 血栓心脉宁胶囊
  T118: { conditions: ["I49", "I25"] }, // 参松养心胶囊: 冠心病室性早搏
  T119: { conditions: ["I20", "I25"] }, // 益心舒颗粒
  T123: { conditions: ["I20", "I25"] }, // 芪参益气滴丸
  T124: { conditions: ["I20", "I25"] }, // 养心氏片
  T128: { conditions: ["I20", "I25"] }, // 冠心苏合丸
  T129: { conditions: ["I20", "I25"] }, // 地奥心血康胶囊
  T130: { conditions: ["I20", "I25", "I63", "I69"] }, // 通心络胶囊
  T131: { conditions: ["I63", "I69"] }, // 灯盏花素片
  T132: { conditions: ["I63", "I69"] }, // 脑安颗粒
  T136: { conditions: ["I20", "I25"] }, // 复方丹参片(颗粒、胶囊、滴丸)
  T137: { conditions: ["I20", "I25"] }, // 速效救心丸
  T138: { conditions: ["I20", "I25", "E78", "I10", "I49"] }, // 心可舒胶囊
  T167: { conditions: ["I10", "E78"] }, // 松龄血脉康胶囊
  T169: { conditions: ["I10", "E78"] }, // 强力定眩片
  T182: { conditions: ["N03"] }, // 肾炎康复片: 慢性肾小球肾炎
  T183: { conditions: ["N18"] }, // 尿毒清颗粒
  T184: { conditions: ["N03"] }, // 黄葵胶囊: 慢性肾炎
  T188: { conditions: ["N40"] }, // 癃闭舒胶囊
  T193: { conditions: ["N40"] }, // 普乐安胶囊
  T195: {
    // 血脂康胶囊
    conditions: ["E78"],
    note: "Red yeast rice extract containing lovastatin (about 2.5 mg per capsule): do not combine with a statin.",
  },
  T196: { conditions: ["E78"] }, // 荷丹片
  T300: {
    // 仙灵骨葆胶囊
    conditions: ["M81"],
    note: "Liver injury reported: monitor liver function in long-term use.",
  },
};
