import { describe, expect, it } from "vitest";
import { drugFacts } from "../../../seeds/neml/facts";
import { CHRONIC_FACTS } from "../../../seeds/neml/facts-chronic";
import { nemlColumn, nemlName, nemlRowsByNo } from "./neml-csv";
import { longRxExclusion, Route, StrengthUnit } from "../../../worker/formulary/formulary.schemas";

const FORMS = nemlColumn("收录剂型与规格");
const byNo = nemlRowsByNo;
const nameOf = nemlName;
const formsOf = (no: string) => (byNo.get(no) ?? []).map((r) => r[FORMS] ?? "").join("；");

const facts = Object.entries(CHRONIC_FACTS);

/**
 * The generic name each key is meant to be, written independently of the data above and
 * checked against the list: a wrong NEML number puts a drug's facts on another drug.
 */
const EXPECTED_NAMES: Record<string, string> = {
  W086: "别嘌醇", W087: "非布司他", W088: "秋水仙碱", W089: "苯溴马隆", W090: "金刚烷胺", W091: "苯海索", W092: "多巴丝肼",
  W093: "普拉克索", W094: "恩他卡朋", W095: "溴隐亭", W097: "溴吡斯的明", W098: "卡马西平", W099: "奥卡西平", W100: "丙戊酸钠",
  W101: "苯妥英钠", W103: "拉莫三嗪", W104: "左乙拉西坦", W105: "尼莫地平", W107: "倍他司汀", W108: "氟桂利嗪", W114: "石杉碱甲",
  W115: "多奈哌齐", W151: "硝酸甘油", W152: "硝酸异山梨酯", W153: "单硝酸异山梨酯", W154: "硝苯地平", W155: "地尔硫䓬", W156: "尼可地尔",
  W157: "曲美他嗪", W158: "美西律", W159: "普罗帕酮", W160: "普萘洛尔", W161: "阿替洛尔", W162: "美托洛尔", W164: "索他洛尔",
  W165: "胺碘酮", W166: "维拉帕米", W168: "莫雷西嗪", W169: "地高辛", W171: "伊伐布雷定", W173: "卡托普利", W174: "依那普利",
  W175: "赖诺普利", W176: "培哚普利叔丁胺", W177: "缬沙坦", W178: "替米沙坦", W179: "厄贝沙坦", W180: "缬沙坦氨氯地平", W183: "尼群地平",
  W184: "非洛地平", W185: "氨氯地平", W186: "左氨氯地平", W187: "比索洛尔", W188: "拉贝洛尔", W189: "乌拉地尔", W190: "吲达帕胺",
  W192: "哌唑嗪", W193: "波生坦", W200: "辛伐他汀", W201: "阿托伐他汀", W202: "瑞舒伐他汀", W203: "非诺贝特", W204: "依折麦布",
  W208: "羧甲司坦", W209: "乙酰半胱氨酸", W215: "氨茶碱", W216: "茶碱", W217: "沙丁胺醇", W218: "异丙托溴铵", W219: "噻托溴铵",
  W220: "孟鲁司特", W221: "丙酸氟替卡松", W222: "布地奈德", W223: "布地奈德福莫特罗", W224: "茚达特罗格隆溴铵", W225: "布地格福", W227: "尼达尼布",
  W053: "羟氯喹", W083: "来氟米特", W084: "美沙拉秦", W260: "熊去氧胆酸", W261: "柳氮磺吡啶", W262: "呋塞米", W263: "托拉塞米",
  W264: "氢氯噻嗪", W265: "螺内酯", W266: "氨苯蝶啶", W267: "非奈利酮", W269: "坦洛新", W270: "特拉唑嗪", W271: "非那雄胺",
  W279: "甲钴胺", W280: "人促红素", W281: "罗沙司他", W077: "阿司匹林", W282: "氯吡格雷", W283: "吲哚布芬", W284: "替格瑞洛",
  W285: "西洛他唑", W295: "华法林", W297: "达比加群酯", W298: "利伐沙班", W311: "胰岛素", W312: "甘精胰岛素", W313: "门冬胰岛素",
  W314: "德谷胰岛素", W315: "二甲双胍", W316: "格列本脲", W317: "格列吡嗪", W318: "格列美脲", W319: "格列喹酮", W320: "格列齐特",
  W321: "阿卡波糖", W322: "达格列净", W323: "恩格列净", W324: "利拉鲁肽", W325: "司美格鲁肽", W326: "瑞格列奈", W327: "吡格列酮",
  W328: "西格列汀", W329: "利格列汀", W330: "甲状腺片", W331: "左甲状腺素钠", W332: "甲巯咪唑", W333: "丙硫氧嘧啶", W334: "西那卡塞",
  W343: "阿法骨化醇", W345: "碳酸钙", W346: "阿仑膦酸钠", W418: "司维拉姆",
  W453: "毛果芸香碱", W454: "他氟前列素", W455: "噻吗洛尔", W456: "乙酰唑胺", T039: "金芪降糖片", T046: "稳心颗粒", T071: "肾衰宁胶囊",
  T084: "百令胶囊", T085: "金水宝胶囊", T090: "消渴丸", T092: "参芪降糖颗粒", T093: "天芪降糖胶囊", T094: "津力达颗粒", T096: "玉泉胶囊",
  T097: "芪苈强心胶囊", T111: "银杏叶胶囊", T112: "银丹心脑通软胶囊", T114: "麝香保心丸", T115: "脑心通丸", T116: "诺迪康胶囊",
  T117: "血栓心脉宁胶囊", T118: "参松养心胶囊", T119: "益心舒颗粒", T123: "芪参益气滴丸", T124: "养心氏片", T128: "冠心苏合丸",
  T129: "地奥心血康胶囊", T130: "通心络胶囊", T131: "灯盏花素片", T132: "脑安颗粒", T136: "复方丹参片", T137: "速效救心丸", T138: "心可舒胶囊",
  T167: "松龄血脉康胶囊", T169: "强力定眩片", T182: "肾炎康复片", T183: "尿毒清颗粒", T184: "黄葵胶囊", T188: "癃闭舒胶囊", T193: "普乐安胶囊",
  T195: "血脂康胶囊", T196: "荷丹片", T300: "仙灵骨葆胶囊",
};

describe("chronic-disease facts: keys", () => {
  it("covers a substantial set", () => {
    expect(facts.length).toBeGreaterThanOrEqual(150);
  });

  it("keys are NEML numbers present in the list", () => {
    for (const [key] of facts) {
      expect(key, key).toMatch(/^[WT]\d{3}$/);
      expect(nemlRowsByNo.has(key), `${key} not in varieties.csv`).toBe(true);
    }
  });

  it("every key is the drug it is meant to be", () => {
    expect(Object.keys(EXPECTED_NAMES).sort()).toEqual(Object.keys(CHRONIC_FACTS).sort());
    for (const [key, name] of Object.entries(EXPECTED_NAMES)) {
      expect(nameOf(key), key).toContain(name);
    }
  });
});

describe("chronic-disease facts: values", () => {
  it("ATC codes are full 7-character WHO codes", () => {
    for (const [key, f] of facts) if (f.atc !== undefined) expect(f.atc, key).toMatch(/^[A-Z]\d{2}[A-Z]{2}\d{2}$/);
  });

  it("conditions are ICD-10 codes or prefixes, without repeats", () => {
    for (const [key, f] of facts) {
      for (const c of f.conditions ?? []) expect(c, key).toMatch(/^[A-Z]\d{2}(\.[0-9A-Z]{1,2})?$/);
      expect(new Set(f.conditions).size, key).toBe(f.conditions?.length ?? 0);
    }
  });

  it("max daily doses are positive, finite, in a strength unit and on a known route", () => {
    for (const [key] of facts) {
      for (const [route, dose] of Object.entries(drugFacts(key)?.maxDailyDose ?? {})) {
        expect(Route.safeParse(route).success, `${key} route ${route}`).toBe(true);
        expect(StrengthUnit.safeParse(dose?.unit).success, `${key} unit ${dose?.unit}`).toBe(true);
        expect(Number.isFinite(dose?.value) && (dose?.value ?? 0) > 0, `${key} ${route}`).toBe(true);
      }
    }
  });

  it("doses are in U for insulins and in mass units otherwise", () => {
    for (const [key] of facts) {
      for (const dose of Object.values(drugFacts(key)?.maxDailyDose ?? {})) {
        if (/胰岛素/.test(nameOf(key) ?? "")) expect(dose?.unit, key).toBe("U");
        else expect(["µg", "mg", "g"], key).toContain(dose?.unit);
      }
    }
  });

  it("packs are whole and positive, and restricted to forms where injections and oral forms mix", () => {
    for (const [key, f] of facts) {
      if (!f.pack) continue;
      expect(Number.isInteger(f.pack.size) && f.pack.size > 0, key).toBe(true);
      expect(f.pack.unit.length, key).toBeGreaterThan(0);
      const text = formsOf(key);
      const mixed = /注射/.test(text) && /片|胶囊|颗粒|丸|口服/.test(text);
      if (mixed) expect(f.pack.forms?.length, `${key} pack needs forms`).toBeGreaterThan(0);
    }
  });

  it("leaves class facts and long-prescription eligibility to the other files", () => {
    for (const [key, f] of facts) {
      expect(f.controlClass, key).toBeUndefined();
      expect(f.antimicrobial, key).toBeUndefined();
      expect(f.antiTb, key).toBeUndefined();
      expect(f.longRxEligible, key).toBeUndefined();
    }
  });

  it("cold-chain products are excluded from long prescriptions by the schema rule", () => {
    const cold = facts.filter(([, f]) => f.storage === "cold_chain").map(([k]) => k);
    expect(cold).toEqual(expect.arrayContaining(["W311", "W312", "W313", "W314", "W324", "W325", "W280"]));
    for (const key of cold) {
      expect(longRxExclusion({ controlClass: null, antimicrobial: null, antiTb: false, storage: "cold_chain" }), key).not.toBeNull();
    }
  });

  it("marks a small free-programme set of basic hypertension and diabetes drugs", () => {
    const free = facts.filter(([, f]) => f.freeProgramme).map(([k]) => nameOf(k));
    expect(free.sort()).toEqual(
      ["氨氯地平", "硝苯地平", "尼群地平", "卡托普利", "依那普利", "氢氯噻嗪", "二甲双胍", "格列本脲", "格列齐特"].sort(),
    );
  });
});

describe("chronic-disease facts: spot checks against the list", () => {
  /** name in the list → [ATC, a condition it must carry, oral max daily dose or undefined] */
  const cases: [string, string | undefined, string, { value: number; unit: string } | undefined][] = [
    ["氨氯地平", "C08CA01", "I10", { value: 10, unit: "mg" }],
    ["左氨氯地平", "C08CA17", "I10", { value: 5, unit: "mg" }],
    ["依那普利", "C09AA02", "I10", { value: 40, unit: "mg" }],
    ["缬沙坦氨氯地平", "C09DB01", "I10", undefined],
    ["氢氯噻嗪", "C03AA03", "I10", { value: 100, unit: "mg" }],
    ["二甲双胍", "A10BA02", "E11", { value: 2.55, unit: "g" }],
    ["格列美脲", "A10BB12", "E11", { value: 6, unit: "mg" }],
    ["阿卡波糖", "A10BF01", "E11", { value: 600, unit: "mg" }],
    ["达格列净", "A10BK01", "I50", { value: 10, unit: "mg" }],
    ["阿托伐他汀", "C10AA05", "E78", { value: 80, unit: "mg" }],
    ["瑞舒伐他汀", "C10AA07", "E78", { value: 20, unit: "mg" }],
    ["阿司匹林", "B01AC06", "I25", { value: 6, unit: "g" }],
    ["氯吡格雷", "B01AC04", "I63", { value: 300, unit: "mg" }],
    ["替格瑞洛", "B01AC24", "I20", { value: 180, unit: "mg" }],
    ["华法林", "B01AA03", "I48", undefined],
    ["利伐沙班", "B01AF01", "I48", { value: 30, unit: "mg" }],
    ["左甲状腺素钠", "H03AA01", "E03", undefined],
    ["甲巯咪唑", "H03BB02", "E05", { value: 60, unit: "mg" }],
    ["别嘌醇", "M04AA01", "M10", { value: 0.6, unit: "g" }],
    ["非布司他", "M04AA03", "M10", { value: 80, unit: "mg" }],
    ["噻托溴铵", "R03BB04", "J44", undefined],
    ["布地格福", "R03AL11", "J44", undefined],
    ["茶碱", "R03DA04", "J45", { value: 0.9, unit: "g" }],
    ["地高辛", "C01AA05", "I50", undefined],
    ["普拉克索", "N04BC05", "G20", { value: 4.5, unit: "mg" }],
    ["非那雄胺", "G04CB01", "N40", { value: 5, unit: "mg" }],
    ["阿仑膦酸钠", "M05BA04", "M81", { value: 70, unit: "mg" }],
    ["消渴丸", undefined, "E11", undefined],
  ];
  const keyOf = (name: string) => {
    const keys = Object.keys(CHRONIC_FACTS).filter((k) => nameOf(k) === name);
    expect(keys, name).toHaveLength(1);
    return keys[0] as string;
  };

  it.each(cases)("%s", (name, atc, condition, oralMax) => {
    const f = CHRONIC_FACTS[keyOf(name)];
    expect(f?.atc).toBe(atc);
    expect(f?.conditions).toContain(condition);
    expect(drugFacts(keyOf(name))?.maxDailyDose?.oral).toEqual(oralMax);
  });

  it("insulins are subcutaneous, cold-chain pens with no dose ceiling", () => {
    for (const name of ["胰岛素", "甘精胰岛素", "门冬胰岛素", "德谷胰岛素"]) {
      const f = CHRONIC_FACTS[keyOf(name)];
      expect(f?.route, name).toBe("sc");
      expect(f?.storage, name).toBe("cold_chain");
      expect(f?.pack, name).toEqual({ size: 1, unit: "支" });
      expect(f?.conditions, name).toEqual(["E10", "E11"]);
      expect(drugFacts(keyOf(name))?.maxDailyDose, name).toBeUndefined();
    }
  });

  it("µg strengths keep µg doses (石杉碱甲 0.45 mg = 450 µg)", () => {
    expect(drugFacts(keyOf("石杉碱甲"))?.maxDailyDose?.oral).toEqual({ value: 450, unit: "µg" });
    expect(drugFacts(keyOf("噻托溴铵"))?.maxDailyDose?.inhalation).toEqual({ value: 18, unit: "µg" });
  });
});
