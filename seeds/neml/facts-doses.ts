import type { Dose, MaxDoseFact } from "./facts.types";

/**
 * Every seeded adult maximum daily dose, keyed by NEML number, each with its source: the single
 * place these figures live (facts.ts hands them to the converter as `maxDailyDoses`).
 *
 * Issue 10 re-checked each figure against the Chinese label (说明书) of the form it is attached
 * to, because modified-release and domestic products often differ from the originator's or the
 * FDA's figure (二甲双胍缓释片 2 g vs 格华止 2.55 g; 格列齐特缓释片 120 mg vs 格列齐特片 240 mg).
 * Where one NEML number's forms or strengths carry different ceilings, each gets its own fact.
 *
 * `verified: true` means the label text was read during the re-check (a reproduction of the insert
 * found with the search tool; the holder is named where the reproduction named it). `false` means
 * the figure is the Chinese insert's as the 2026 seed recorded it (中国国家处方集 / 新编药物学 style
 * references) and was not re-read: FACTS.md lists these. `was` is the figure before the re-check.
 * The dose is in the unit the list writes the route's strengths in (see facts-chronic.ts).
 */

const mg = (value: number): Dose => ({ value, unit: "mg" });
const g = (value: number): Dose => ({ value, unit: "g" });
const ug = (value: number): Dose => ({ value, unit: "µg" });

type Scope = Pick<MaxDoseFact, "forms" | "strengths" | "was">;

function oral(dose: Dose | null, source: string, verified: boolean, scope: Scope = {}): MaxDoseFact {
  return { route: "oral", dose, source, verified, ...scope };
}

/** Figures the 2026 seed took from the Chinese insert and the re-check did not re-read. */
const NOT_REREAD = "；本次（issue 10）未能重新查阅说明书原文";

export const DOSE_FACTS: Record<string, MaxDoseFact[]> = {
  // ───────────── 抗病毒（慢性乙型肝炎） ─────────────
  W045: [oral(mg(1), `恩替卡韦片说明书【用法用量】：0.5mg 一日一次，拉米夫定治疗失败者 1mg 一日一次${NOT_REREAD}`, false)],
  W048: [oral(g(0.3), `富马酸替诺福韦二吡呋酯片说明书【用法用量】：300mg 一日一次${NOT_REREAD}`, false)],
  W049: [oral(mg(25), `富马酸丙酚替诺福韦片说明书【用法用量】：25mg 一日一次${NOT_REREAD}`, false)],
  W053: [oral(g(0.4), `硫酸羟氯喹片说明书【用法用量】：每日不超过 6.5mg/kg（理想体重）或 400mg，取较小者${NOT_REREAD}`, false)],

  // ───────────── 解热镇痛、抗血小板 ─────────────
  W077: [
    oral(g(6), `阿司匹林片说明书【用法用量】：抗风湿一日 3～6g，分 4 次${NOT_REREAD}`, false),
    oral(
      mg(300),
      "阿司匹林肠溶片（25mg、50mg、0.1g）说明书【用法用量】：抑制血小板聚集用小剂量，每日 80～300mg（国内仿制药，如沈阳奥吉娜药业 H20065051）；拜阿司匹灵（拜耳）预防心肌梗死复发每天 3 片（300mg）。低剂量肠溶片不用于解热镇痛、抗风湿",
      true,
      { forms: ["肠溶片"], strengths: [mg(25), mg(50), g(0.1)], was: g(6) },
    ),
  ],
  W282: [oral(mg(300), `硫酸氢氯吡格雷片说明书【用法用量】：75mg 一日一次，急性冠脉综合征首日负荷量 300mg${NOT_REREAD}`, false)],
  W283: [oral(g(0.4), `吲哚布芬片说明书【用法用量】：一次 100～200mg，一日 2 次${NOT_REREAD}`, false)],
  W284: [oral(mg(180), `替格瑞洛片说明书【用法用量】：负荷量 180mg，此后 90mg 一日 2 次${NOT_REREAD}`, false)],
  W285: [oral(mg(200), `西洛他唑片说明书【用法用量】：一次 100mg，一日 2 次${NOT_REREAD}`, false)],
  W297: [oral(mg(300), `达比加群酯胶囊说明书【用法用量】：150mg 一日 2 次${NOT_REREAD}`, false)],
  W298: [oral(mg(30), `利伐沙班片说明书【用法用量】：深静脉血栓治疗前 21 天 15mg 一日 2 次${NOT_REREAD}`, false)],

  // ───────────── 抗痛风 ─────────────
  W086: [oral(g(0.6), "别嘌醇片说明书（国内仿制药）【用法用量】：每 2 周测血和尿尿酸水平……但一日最大量不得大于 600mg", true)],
  W087: [oral(mg(80), "非布司他片说明书【用法用量】：推荐剂量 40mg 或 80mg 每日一次；起始 40mg，2 周后血尿酸仍 ≥6mg/dl 增至 80mg", true)],
  W089: [oral(mg(100), `苯溴马隆片说明书【用法用量】：50～100mg 一日一次${NOT_REREAD}`, false)],

  // ───────────── 神经系统 ─────────────
  W090: [oral(g(0.4), `盐酸金刚烷胺片说明书【用法用量】：帕金森病一次 100mg，一日 1～2 次，一日最大量 400mg${NOT_REREAD}`, false)],
  W091: [oral(mg(20), `盐酸苯海索片说明书【用法用量】：一般一日不超过 10mg，极量一日 20mg${NOT_REREAD}`, false)],
  W093: [oral(mg(4.5), `盐酸普拉克索片/缓释片说明书【用法用量】：最大 4.5mg/日（以盐计）${NOT_REREAD}`, false)],
  W094: [oral(g(2), `恩他卡朋片说明书【用法用量】：每次服左旋多巴时 200mg，最大 2000mg/日${NOT_REREAD}`, false)],
  W099: [oral(g(2.4), `奥卡西平片/口服混悬液说明书【用法用量】：600～2400mg/日${NOT_REREAD}`, false)],
  W101: [oral(mg(500), `苯妥英钠片说明书【用法用量】：极量一次 300mg，一日 500mg${NOT_REREAD}`, false)],
  W104: [
    oral(g(3), `左乙拉西坦片/缓释片/口服溶液说明书【用法用量】：最大 1500mg 一日 2 次（缓释片 3000mg 一日一次）${NOT_REREAD}`, false),
    { route: "iv", dose: g(3), source: `左乙拉西坦注射用浓溶液说明书【用法用量】：与口服剂量相同，最大 3000mg/日${NOT_REREAD}`, verified: false },
  ],
  W105: [oral(mg(360), `尼莫地平片说明书【用法用量】：蛛网膜下腔出血后 60mg 每 4 小时一次${NOT_REREAD}`, false)],
  W108: [oral(mg(10), `盐酸氟桂利嗪胶囊说明书【用法用量】：5～10mg 每晚一次，65 岁以上 5mg${NOT_REREAD}`, false)],
  W114: [oral(ug(450), `石杉碱甲片说明书【用法用量】：一次 0.1～0.2mg，一日 2 次，一日量不超过 0.45mg${NOT_REREAD}`, false)],
  W115: [oral(mg(10), `盐酸多奈哌齐片说明书【用法用量】：5mg 起，最大 10mg 一日一次${NOT_REREAD}`, false)],

  // ───────────── 抗心绞痛 ─────────────
  W153: [
    oral(mg(120), `单硝酸异山梨酯片说明书【用法用量】：一次 10～20mg，一日 2～3 次，严重者 40mg 一日 2～3 次${NOT_REREAD}`, false),
    oral(
      mg(120),
      "单硝酸异山梨酯缓释片说明书（依姆多，阿斯利康 H20030417）【用法用量】：正常剂量 60mg 一日一次，必要时可增至 120mg 一日一次；40mg/50mg 缓释片及缓释胶囊未重新查阅",
      true,
      { forms: ["缓释片", "缓释胶囊"] },
    ),
  ],
  W154: [
    oral(mg(120), "硝苯地平片说明书【用法用量】：起始 10mg 一日 3 次，维持 10～20mg 一日 3 次，冠脉痉挛者可用至 20～30mg 一日 3～4 次，最大剂量不宜超过 120mg/日", true),
    oral(mg(120), "硝苯地平缓释片说明书（国内仿制药）【用法用量】：初始 20mg，最大 60mg 一次，一日一次；日服最大剂量不超过 120mg", true, {
      forms: ["缓释片"],
    }),
  ],
  W155: [
    oral(mg(360), `盐酸地尔硫䓬片说明书【用法用量】：起始 30mg 一日 4 次，平均 90～360mg/日${NOT_REREAD}`, false),
    oral(mg(360), `盐酸地尔硫䓬缓释胶囊（90mg）：沿用普通片的日最大量；缓释胶囊说明书的上限未能查到${NOT_REREAD}`, false, { forms: ["缓释胶囊"] }),
  ],
  W157: [
    oral(mg(60), `盐酸曲美他嗪片（20mg）说明书【用法用量】：一次 20mg，一日 3 次${NOT_REREAD}`, false, { was: mg(70) }),
    oral(mg(70), `盐酸曲美他嗪缓释片（35mg）说明书【用法用量】：一次 35mg，一日 2 次${NOT_REREAD}`, false, { forms: ["缓释片"] }),
  ],

  // ───────────── 抗心律失常 ─────────────
  W158: [oral(mg(1200), `盐酸美西律片说明书【用法用量】：维持 400～800mg/日，极量 1200mg/日${NOT_REREAD}`, false)],
  W159: [oral(mg(900), `盐酸普罗帕酮片说明书【用法用量】：治疗量 300～900mg/日${NOT_REREAD}`, false)],
  W160: [oral(mg(200), "盐酸普萘洛尔片说明书【用法用量】：高血压初始剂量 10mg 每日 3～4 次，剂量应逐渐增加，日最大剂量 200mg；心绞痛可渐增至每日 200mg", true)],
  W161: [oral(mg(200), `阿替洛尔片说明书【用法用量】：开始 6.25～12.5mg 一日 2 次，渐增至 50～200mg/日${NOT_REREAD}`, false)],
  W162: [
    oral(null, "酒石酸美托洛尔片：未设上限。国内说明书各厂家不一（高血压 100～200mg/日；部分写一日不超过 300～400mg），本次未能查到可引用的说明书原文", false, {
      forms: ["片剂(酒石酸盐)"],
    }),
    oral(
      mg(190),
      "琥珀酸美托洛尔缓释片说明书（倍他乐克 ZOK 及国内仿制药）【用法用量】：高血压 47.5～95mg 一日一次；心力衰竭目标量 190mg 一日一次，最大可至 190mg",
      true,
      { forms: ["缓释片(琥珀酸盐)", "缓释胶囊(琥珀酸盐)"], was: null },
    ),
  ],
  W164: [oral(mg(640), `盐酸索他洛尔片说明书【用法用量】：通常 160～320mg/日，危及生命的室性心律失常 480～640mg/日${NOT_REREAD}`, false)],
  W166: [oral(mg(480), "盐酸维拉帕米片说明书（如天方药业 H41020438）【用法用量】：安全有效的剂量为不超过 480mg/日；高血压可达每日 260～480mg", true)],
  W168: [oral(mg(900), `盐酸莫雷西嗪片说明书【用法用量】：150～300mg 每 8 小时一次，极量 900mg/日${NOT_REREAD}`, false)],

  // ───────────── 心力衰竭、抗高血压 ─────────────
  W171: [oral(mg(15), `盐酸伊伐布雷定片说明书【用法用量】：最大 7.5mg 一日 2 次${NOT_REREAD}`, false)],
  W173: [
    oral(
      mg(450),
      "卡托普利片说明书【用法用量】（国内）：高血压一次 12.5mg 每日 2～3 次，按需要 1～2 周内增至 50mg 每日 2～3 次，疗效仍不满意时加用其他降压药；心力衰竭必要时增至 50mg 每日 2～3 次，若需进一步加量宜观察疗效 2 周后再考虑。未写最大量：450mg/日为 FDA 说明书上限，国内说明书未能确认",
      false,
    ),
  ],
  W174: [oral(mg(40), "马来酸依那普利片说明书【用法用量】：常用维持量每日 20mg，可调整至最大剂量每日 40mg", true)],
  W175: [
    oral(mg(80), "赖诺普利片说明书（原研）【用法用量】：维持 20mg 一日一次，长期临床对照试验中使用的最大剂量为一日 80mg", true),
    oral(mg(40), "赖诺普利胶囊说明书（易集康，H20064280）【用法用量】：有效维持剂量每日 10～20mg，每日最高剂量为 40mg", true, {
      forms: ["胶囊"],
      was: mg(80),
    }),
  ],
  W176: [oral(mg(8), `培哚普利叔丁胺片说明书【用法用量】：最大 8mg 一日一次${NOT_REREAD}`, false)],
  W177: [
    oral(
      mg(320),
      "缬沙坦胶囊说明书（代文，北京诺华 H20040217；缬克）【用法用量】：高血压 80mg 一日一次，不满意时可增至 160mg 或加利尿剂（缬克：国外资料最大 320mg）。320mg 是心力衰竭 160mg 一日 2 次（国外说明书）及国外高血压的上限，国内说明书未能确认",
      false,
    ),
  ],
  W178: [oral(mg(80), "替米沙坦片说明书（如山西邦仕得药业 H20050837）【用法用量】：40mg 一日一次，20～80mg 间调整，最大剂量 80mg 一日一次", true)],
  W179: [oral(g(0.3), "厄贝沙坦片说明书【用法用量】：推荐起始剂量 0.15g 一日一次，根据病情可增至 0.3g 一日一次", true)],
  W183: [oral(mg(40), `尼群地平片说明书【用法用量】：一次 10mg 一日一次，可调整为 20mg 一日 2 次${NOT_REREAD}`, false)],
  W184: [
    oral(
      mg(10),
      "非洛地平缓释片说明书（波依定）【用法用量】：5mg 一日一次起，维持 5 或 10mg，剂量超过 10mg 一日一次通常不需要；非洛地平片（如常州四药 H20103138）【注意事项】：超过一日 10mg 增加降压作用但增加外周水肿",
      true,
    ),
  ],
  W185: [oral(mg(10), "苯磺酸氨氯地平片说明书（如北京福元医药 H20066824）【用法用量】：起始 5mg，最大剂量 10mg 一日一次", true)],
  W186: [oral(mg(5), `苯磺酸左氨氯地平片说明书【用法用量】：2.5mg 起，最大 5mg 一日一次${NOT_REREAD}`, false)],
  W187: [
    oral(
      mg(10),
      "富马酸比索洛尔片说明书（康忻/博苏，如 J20171043）【用法用量】：高血压和心绞痛通常 5mg 每日一次，效果不明显可增至 10mg 每日一次；慢性心力衰竭自 1.25mg 逐步增至最大 10mg 每日一次（20mg 为 FDA 上限）",
      true,
      { was: mg(20) },
    ),
  ],
  W188: [oral(mg(2400), "盐酸拉贝洛尔片说明书【用法用量】：成人 100mg 一日 2 次，维持 200～400mg 一日 2～3 次，不宜超过 2.4g/日", true)],
  W189: [oral(mg(180), `盐酸乌拉地尔缓释胶囊说明书【用法用量】：30～60mg 一日 2 次，维持 30～180mg/日${NOT_REREAD}`, false)],
  W190: [
    oral(mg(2.5), `吲达帕胺片（2.5mg）说明书【用法用量】：2.5mg 一日一次${NOT_REREAD}`, false),
    oral(mg(1.5), "吲达帕胺缓释片（1.5mg）说明书【用法用量】：每 24 小时 1 片，加大剂量不能提高降压疗效，只增加利尿作用（如黄山中皇制药 H20070262）", true, {
      forms: ["缓释片"],
      was: mg(2.5),
    }),
  ],
  W192: [oral(mg(20), `盐酸哌唑嗪片说明书【用法用量】：一日总量不超过 20mg${NOT_REREAD}`, false)],
  W193: [oral(mg(250), `波生坦片说明书【用法用量】：62.5mg 一日 2 次 4 周后 125mg 一日 2 次（32mg 分散片为儿童用）${NOT_REREAD}`, false)],

  // ───────────── 调脂 ─────────────
  W200: [
    oral(
      mg(40),
      "辛伐他汀片说明书（国内仿制药，如浙江天瑞药业 H20123103）【用法用量】：高胆固醇血症及冠心病最大剂量每天 40mg，晚间顿服。原研（舒降之）的 80mg 只限已服 80mg 满 12 个月且无肌病者，国内仿制药说明书不写",
      true,
      { was: mg(80) },
    ),
  ],
  W201: [oral(mg(80), "阿托伐他汀钙片说明书（阿乐，北京嘉林药业）【用法用量】：起始 10mg，最大剂量为每天一次 80mg", true)],
  W202: [oral(mg(20), "瑞舒伐他汀钙片说明书（如鲁南贝特制药 H20080242）【用法用量】：本品每日最大剂量为 20mg（亚洲人暴露量增加）", true)],
  W203: [
    oral(g(0.3), "非诺贝特片（0.1g）说明书【用法用量】：一次 0.1g，一日 3 次，维持一次 0.1g 一日 1～2 次", true),
    oral(g(0.2), "非诺贝特胶囊(Ⅱ)（0.2g，微粒化）说明书【用法用量】：每日服用一粒，与餐同服", true, {
      forms: ["胶囊"],
      strengths: [g(0.2)],
      was: g(0.3),
    }),
  ],
  W204: [oral(mg(10), `依折麦布片说明书【用法用量】：10mg 一日一次${NOT_REREAD}`, false)],

  // ───────────── 呼吸系统 ─────────────
  W208: [oral(g(1.5), `羧甲司坦片/口服溶液说明书【用法用量】：成人一次 0.5g，一日 3 次${NOT_REREAD}`, false)],
  W209: [
    oral(g(1.2), "乙酰半胱氨酸泡腾片/片（0.6g）说明书【用法用量】：一次 600mg，一日 1～2 次", true),
    oral(g(0.6), "乙酰半胱氨酸颗粒说明书【用法用量】：成人一次 0.2g，一日 3 次；小儿一次 0.1g，一日 2～4 次", true, {
      forms: ["颗粒剂"],
      was: g(1.2),
    }),
    { route: "inhalation", dose: g(0.6), source: `吸入用乙酰半胱氨酸溶液说明书【用法用量】：一次 300mg，一日 1～2 次${NOT_REREAD}`, verified: false },
  ],
  W215: [
    oral(g(1), `氨茶碱片/缓释片说明书【用法用量】：极量一次 0.5g，一日 1g${NOT_REREAD}`, false),
    { route: "iv", dose: g(1), source: `氨茶碱注射液说明书【用法用量】：极量一次 0.5g，一日 1g${NOT_REREAD}`, verified: false },
  ],
  W216: [oral(g(0.9), `茶碱缓释片说明书【用法用量】：0.1～0.2g 一日 2 次，日量不超过 0.9g${NOT_REREAD}`, false)],
  W219: [{ route: "inhalation", dose: ug(18), source: `噻托溴铵粉吸入剂说明书【用法用量】：18µg（1 粒胶囊）一日一次，经吸入装置吸入${NOT_REREAD}`, verified: false }],
  W220: [oral(mg(10), `孟鲁司特钠片说明书【用法用量】：15 岁及以上 10mg 每晚一次（咀嚼片、颗粒为儿童按年龄 4mg/5mg）${NOT_REREAD}`, false)],
  W227: [oral(mg(300), `乙磺酸尼达尼布软胶囊说明书【用法用量】：150mg 一日 2 次${NOT_REREAD}`, false)],

  // ───────────── 利尿、泌尿 ─────────────
  W262: [oral(mg(600), `呋塞米片说明书【用法用量】：最大剂量虽可达一日 600mg，但一般应控制在 100mg 以内${NOT_REREAD}`, false)],
  W264: [oral(mg(100), "氢氯噻嗪片说明书【用法用量】：水肿每次 25～50mg，每日 1～2 次；高血压每日 25～100mg，分 1～2 次", true)],
  W265: [oral(mg(400), `螺内酯片说明书【用法用量】：原发性醛固酮增多症术前一日 100～400mg${NOT_REREAD}`, false)],
  W266: [oral(mg(300), `氨苯蝶啶片说明书【用法用量】：最大剂量不超过每日 300mg${NOT_REREAD}`, false)],
  W267: [oral(mg(20), `非奈利酮片说明书【用法用量】：10mg 或 20mg 一日一次${NOT_REREAD}`, false)],
  W269: [
    oral(
      mg(0.4),
      "盐酸坦洛新缓释胶囊（哈乐）说明书：0.2mg 一日一次，可根据年龄、症状适当增减，未写最大量；0.4mg 为本种子沿用的上限（FDA 说明书可至 0.8mg），本次未能确认",
      false,
    ),
  ],
  W270: [oral(mg(20), `盐酸特拉唑嗪片说明书【用法用量】：高血压可至 20mg/日${NOT_REREAD}`, false)],
  W271: [oral(mg(5), `非那雄胺片说明书【用法用量】：5mg 一日一次${NOT_REREAD}`, false)],

  // ───────────── 降糖 ─────────────
  W315: [
    oral(g(2.55), "盐酸二甲双胍片（0.5g，格华止及一致性评价仿制药）说明书【用法用量】：可逐渐加至每日 2g；成人最大推荐剂量每日 2550mg；本次只见到转述，原文未能重新查阅", false),
    oral(g(2), "盐酸二甲双胍片（0.25g，国内说明书）【用法用量】：一般每日量 1～1.5g，最多每日不超过 2g；盐酸二甲双胍胶囊（0.25g）按同一国内说明书", true, {
      forms: ["片剂", "胶囊"],
      strengths: [g(0.25)],
      was: g(2.55),
    }),
    oral(g(2), "盐酸二甲双胍肠溶片说明书：成人最大推荐剂量为每天 2.0g；盐酸二甲双胍肠溶胶囊说明书：每日最大剂量不超过 2g", true, {
      forms: ["肠溶片", "肠溶胶囊"],
      was: g(2.55),
    }),
    oral(g(2), "盐酸二甲双胍缓释片说明书：每日最大剂量不超过 4 片（2000mg）；盐酸二甲双胍缓释胶囊说明书：每日最大剂量不超过 2000mg", true, {
      forms: ["缓释片", "缓释胶囊"],
      was: g(2.55),
    }),
  ],
  W316: [oral(mg(15), "格列本脲片（2.5mg）说明书（如天津药物研究院药业 H12020270）【用法用量】：一般每日 5～10mg，最大用量每日不超过 15mg", true)],
  W317: [
    oral(mg(30), `格列吡嗪片/胶囊说明书【用法用量】：一日最大剂量不超过 30mg${NOT_REREAD}`, false),
    oral(
      mg(20),
      "格列吡嗪控释片说明书（辉瑞 J20100129）【用法用量】：每日最大剂量 20mg；国内格列吡嗪缓释片说明书（如扬子江药业 H10970356）未写最大量，按同类控释制剂取 20mg",
      true,
      { forms: ["缓释片"], was: mg(30) },
    ),
  ],
  W318: [oral(mg(6), "格列美脲片说明书（亚莫利等）【用法用量】：一般每日 1～4mg，最大推荐剂量为每日 6mg", true)],
  W319: [oral(mg(180), `格列喹酮片说明书【用法用量】：一日最大剂量不超过 180mg${NOT_REREAD}`, false)],
  W320: [
    oral(mg(240), "格列齐特片（80mg，国内说明书）【用法用量】：开始 40～80mg 一日 1～2 次，以后调整至一日 80～240mg，分 2～3 次（320mg 为国外普通片上限）", true, { was: mg(320) }),
    oral(mg(120), "格列齐特缓释片说明书【用法用量】：每日 1 次 30～120mg；最大建议剂量不得超过每日 120mg", true, {
      forms: ["缓释片"],
      was: mg(320),
    }),
  ],
  W321: [oral(mg(600), "阿卡波糖片/胶囊说明书【用法用量】：起始一次 50mg 一日 3 次，渐增至一次 0.1g 一日 3 次；个别情况下可增至一次 0.2g 一日 3 次", true)],
  W322: [oral(mg(10), `达格列净片说明书【用法用量】：5mg 可增至 10mg 一日一次${NOT_REREAD}`, false)],
  W323: [oral(mg(25), `恩格列净片说明书【用法用量】：10mg 可增至 25mg 一日一次${NOT_REREAD}`, false)],
  W324: [{ route: "sc", dose: mg(1.8), source: `利拉鲁肽注射液说明书【用法用量】：0.6mg 起，最大 1.8mg 一日一次${NOT_REREAD}`, verified: false }],
  W326: [oral(mg(16), "瑞格列奈片说明书（诺和龙）【用法用量】：最大的推荐单次剂量为 4mg，进餐时服用，但最大日剂量不应超过 16mg", true)],
  W327: [oral(mg(45), "盐酸吡格列酮片/胶囊说明书【用法用量】：起始 15mg 或 30mg 每日一次，最大剂量 45mg/日", true)],
  W328: [oral(mg(100), `磷酸西格列汀片说明书【用法用量】：100mg 一日一次${NOT_REREAD}`, false)],
  W329: [oral(mg(5), `利格列汀片说明书【用法用量】：5mg 一日一次${NOT_REREAD}`, false)],

  // ───────────── 甲状腺、骨代谢 ─────────────
  W332: [oral(mg(60), "甲巯咪唑片说明书【用法用量】：开始剂量一般为一日 30mg，可按病情调节为 15～40mg，一日最大量 60mg，分次口服", true)],
  W333: [oral(mg(600), `丙硫氧嘧啶片说明书【用法用量】：开始一日 300mg，一日最大量 600mg${NOT_REREAD}`, false)],
  W346: [
    oral(mg(70), "阿仑膦酸钠片（70mg）说明书【用法用量】：绝经后骨质疏松每周 1 次，1 次 70mg，或每天 1 次，1 次 10mg；上限是服药当日的量", true),
    oral(mg(10), "阿仑膦酸钠片（10mg）说明书【用法用量】：每天 1 次，1 次 10mg（男性及糖皮质激素引起的骨质疏松同）", true, { strengths: [mg(10)], was: mg(70) }),
  ],
};

/** "120 mg"; "—" for no ceiling. */
export function formatDose(dose: Dose | null): string {
  return dose ? `${dose.value} ${dose.unit}` : "—";
}

/**
 * The rows of the re-check table in seeds/neml/FACTS.md and docs/rules-depth.md, one per fact:
 * | drug | forms | route | before | now | changed | label read | source |. The seed test checks
 * that FACTS.md holds exactly these rows and that the seed carries each row's figure.
 */
export function doseTableRows(nameOf: (nemlNo: string) => string): string[] {
  return Object.entries(DOSE_FACTS).flatMap(([no, facts]) =>
    facts.map((f) => {
      const scope = [f.forms?.join("、"), f.strengths?.map(formatDose).join("、")].filter(Boolean).join(" ") || "all";
      const before = f.was === undefined ? f.dose : f.was;
      const changed = f.was === undefined ? "no" : "**yes**";
      return `| ${no} ${nameOf(no)} | ${scope} | ${f.route} | ${formatDose(before)} | ${formatDose(f.dose)} | ${changed} | ${f.verified ? "yes" : "no"} | ${f.source} |`;
    }),
  );
}
