import { describe, expect, it } from "vitest";
import csvText from "../../../seeds/neml-2026/varieties.csv?raw";
import { convertNeml, type NemlConversion, nemlSeed, parseFormsText } from "../../../seeds/neml/convert";
import { mergeFacts } from "../../../seeds/neml/facts";
import type { DrugFacts } from "../../../seeds/neml/facts.types";
import { EntryContent } from "../../../worker/formulary/formulary.schemas";

const plain = convertNeml(csvText, () => undefined);

function withFacts(facts: Record<string, DrugFacts>): NemlConversion {
  return convertNeml(csvText, (nemlNo) => facts[nemlNo]);
}

function entriesOf(result: NemlConversion, nemlNo: string) {
  return result.entries.filter((e) => e.code.startsWith(`${nemlNo}-`));
}

/** "片剂 0.3g" per entry, for compact assertions. */
function products(result: NemlConversion, nemlNo: string): string[] {
  return entriesOf(result, nemlNo).map((e) => `${e.form} ${e.strength.value}${e.strength.unit}`);
}

function entry(result: NemlConversion, code: string) {
  const found = result.entries.find((e) => e.code === code);
  if (!found) throw new Error(`no entry ${code}`);
  return found;
}

function unparsedOf(result: NemlConversion, nemlNo: string) {
  return result.unparsed.filter((u) => u.nemlCode === nemlNo);
}

describe("convertNeml: the whole list", () => {
  it("converts 1887 entries and reports 301 items it cannot read (measured on this fixed file)", () => {
    // issue 10: the 沙丁胺醇 and 布地奈德 aerosols ("200揿：每揿100µg", "每瓶100揿，每揿含布地奈德200µg") are read as metered devices
    expect(plain.entries).toHaveLength(1887);
    expect(plain.unparsed).toHaveLength(301);
  });

  it("produces only entries that pass EntryContent, with unique serial codes", () => {
    for (const e of plain.entries) expect(EntryContent.parse(e)).toEqual(e);
    const codes = plain.entries.map((e) => e.code);
    expect(new Set(codes).size).toBe(codes.length);
    expect(codes.every((c) => /^[WT]\d{3}-\d{2}$/.test(c))).toBe(true);
  });

  it("is deterministic", () => {
    expect(convertNeml(csvText, () => undefined)).toEqual(plain);
  });

  it("sets the list-wide fields", () => {
    for (const e of plain.entries) {
      expect(e).toMatchObject({ essential: true, insuranceClass: null, vbp: false, price: null, nhsaCode: null });
      expect(e).toMatchObject({ status: "active", effectiveFrom: "2026-09-01", storage: "normal", atc: null });
    }
  });

  it("gives every unparsed item a code, a name and a reason", () => {
    for (const u of plain.unparsed) {
      expect(u.nemlCode).toMatch(/^[WT]\d{3}$/);
      expect(u.genericName.length).toBeGreaterThan(0);
      expect(u.reason.length).toBeGreaterThan(0);
    }
  });
});

describe("convertNeml: names and codes", () => {
  it("finds 阿司匹林 by its pinyin initials ASPL, merging the 抗血小板药 cross-listing", () => {
    const aspirin = plain.entries.filter((e) => e.pinyin === "ASPL");
    expect(aspirin.map((e) => e.code)).toEqual(["W077-01", "W077-02", "W077-03", "W077-04", "W077-05", "W077-06"]);
    expect(products(plain, "W077")).toEqual(["片剂 0.3g", "片剂 0.5g", "肠溶片 0.3g", "肠溶片 25mg", "肠溶片 50mg", "肠溶片 0.1g"]);
    expect(aspirin[0]).toMatchObject({ genericName: "阿司匹林", innName: "Aspirin", route: "oral", pack: { size: 1, unit: "片" } });
    // The cross-listed strengths keep the category of the row that listed them.
    expect(entry(plain, "W077-01").nemlCategory).toBe("四、镇痛、解热、抗炎、抗风湿、抗痛风药 / （二）解热镇痛、抗炎、抗风湿药");
    expect(entry(plain, "W077-04").nemlCategory).toBe("十一、血液系统用药 / （二）抗血小板药");
  });

  it("makes one entry per form and strength: 阿莫西林 has 8", () => {
    expect(products(plain, "W006")).toEqual([
      "片剂 0.125g",
      "胶囊 0.125g",
      "颗粒剂 0.125g",
      "干混悬剂 0.125g",
      "片剂 0.25g",
      "胶囊 0.25g",
      "颗粒剂 0.25g",
      "干混悬剂 0.25g",
    ]);
    expect(entriesOf(plain, "W006").map((e) => e.pack.unit)).toEqual(["片", "粒", "袋", "袋", "片", "粒", "袋", "袋"]);
  });

  it("moves the vitamin suffix back from the English column", () => {
    expect(entry(plain, "W276-01")).toMatchObject({ genericName: "维生素B12", innName: "Vitamin B12", pinyin: "WSS" });
    expect(entry(plain, "W287-01")).toMatchObject({ genericName: "维生素K1", innName: "Vitamin K1" });
    expect(entry(plain, "W039-01")).toMatchObject({ genericName: "两性霉素B", innName: "Amphotericin B" });
    expect(unparsedOf(plain, "W345")[0]?.genericName).toBe("碳酸钙D3");
  });

  it("collapses line breaks in names; 中成药 have no INN", () => {
    expect(entry(plain, "W253-01").innName).toBe("Diammonium Glycyrrhizinate");
    expect(unparsedOf(plain, "T205")[0]?.genericName).toBe("复方黄柏液涂剂（复方黄柏液）");
    expect(entry(plain, "T001-01")).toMatchObject({ genericName: "九味羌活丸（颗粒）", innName: null, pinyin: "JWQHWKL" });
  });

  it("keeps a salt qualifier in the form", () => {
    expect(products(plain, "W001")).toEqual([
      "注射用无菌粉末(钾盐) 0.25g",
      "注射用无菌粉末(钾盐) 0.5g",
      "注射用无菌粉末(钠盐) 0.24g",
      "注射用无菌粉末(钠盐) 0.48g",
      "注射用无菌粉末(钠盐) 0.96g",
      "注射用无菌粉末(钠盐) 2.4g",
    ]);
    expect(products(plain, "W185")).toEqual(["片剂(苯磺酸盐) 5mg", "片剂(马来酸盐) 5mg"]);
    expect(products(plain, "W020").slice(0, 4)).toEqual(["肠溶片 0.125g", "肠溶胶囊 0.125g", "片剂(琥珀酸乙酯) 0.125g", "胶囊(琥珀酸乙酯) 0.125g"]);
  });
});

describe("convertNeml: strengths", () => {
  it("removes the PDF's stray spaces: 头孢氨苄 0. 125g", () => {
    expect(products(plain, "W011")).toEqual(["片剂 0.125g", "胶囊 0.125g", "片剂 0.25g", "胶囊 0.25g", "颗粒剂 0.05g", "颗粒剂 0.125g"]);
  });

  it("reads 1ml∶0.1g as 0.1 g in a 1 ml ampoule", () => {
    expect(entry(plain, "W016-01")).toMatchObject({
      genericName: "阿米卡星",
      form: "注射液",
      strength: { value: 0.1, unit: "g" },
      pack: { size: 1, unit: "支" },
      route: "other",
      minLevel: "primary",
    });
    // An infusion of 50 ml or more is a bottle.
    expect(entry(plain, "W030-03")).toMatchObject({ form: "氯化钠注射液", strength: { value: 0.25, unit: "g" }, pack: { unit: "瓶" } });
    expect(entry(plain, "W106-03")).toMatchObject({ strength: { value: 50, unit: "g" }, pack: { unit: "瓶" } });
  });

  it("maps the list's units onto StrengthUnit", () => {
    expect(entry(plain, "W002-01").strength).toEqual({ value: 60, unit: "万U" }); // 60 万单位
    expect(entry(plain, "W464-01").strength).toEqual({ value: 5, unit: "U" }); // 1ml∶5 单位
    expect(entry(plain, "W427-01").strength).toEqual({ value: 1500, unit: "IU" });
    expect(entry(plain, "W114-01").strength).toEqual({ value: 50, unit: "µg" }); // 50μg
    expect(entry(plain, "W060-06")).toMatchObject({ form: "凝胶剂", strength: { value: 2, unit: "%" }, route: "topical" });
    expect(entry(plain, "W099-03").strength).toEqual({ value: 60, unit: "mg/ml" });
    expect(entry(plain, "W395-02").strength).toEqual({ value: 500, unit: "mg" }); // 500mg/50ml
    expect(entry(plain, "W409-01")).toMatchObject({ strength: { value: 320, unit: "g" }, pack: { unit: "听" } }); // 320g/听
  });

  it("drops annotations that restate the amount", () => {
    expect(entry(plain, "W021-01").strength).toEqual({ value: 0.25, unit: "g" }); // 0.25g（25 万单位）
    expect(entry(plain, "W430-01")).toMatchObject({ strength: { value: 250, unit: "IU" }, pack: { unit: "支" } }); // 250IU（2.5ml）
  });

  it("puts back a lost segment separator before a known dose form", () => {
    // "注射液：2ml ∶0. 1mg贴剂": the patch has no strength.
    expect(products(plain, "W071")).toEqual(["注射液 0.1mg"]);
    expect(unparsedOf(plain, "W071")).toEqual([
      { nemlCode: "W071", genericName: "芬太尼", text: "贴剂", reason: "dose form listed without a strength" },
    ]);
    // "…0.5g （乳酸盐）氯化钠注射液：100ml ∶0.2g"
    expect(products(plain, "W029")).toEqual(["片剂(盐酸盐) 0.25g", "片剂(盐酸盐) 0.5g", "氯化钠注射液(乳酸盐) 0.2g"]);
  });

  it("reports ratios and multi-ingredient strengths instead of guessing", () => {
    expect(entriesOf(plain, "W007")).toEqual([]);
    const reasons = unparsedOf(plain, "W007").map((u) => u.reason);
    expect(reasons).toHaveLength(10);
    expect(reasons[0]).toBe("multi-ingredient ratio");
    expect(reasons).toContain("ratio without amounts");
    expect(unparsedOf(plain, "W026").map((u) => u.text)).toContain("片剂:400mg:80mg");
    expect(unparsedOf(plain, "W008")[0]?.reason).toMatch(/lists several ingredients/);
    expect(unparsedOf(plain, "W411")[0]?.reason).toMatch(/lists container volumes/); // 0.9%（10ml、50ml…）
  });

  it("reports the same amount in a different volume rather than merging it", () => {
    // 氯胺酮 注射液：2ml∶0.1g、10ml∶0.1g
    expect(products(plain, "W064")).toEqual(["注射液 0.1g"]);
    expect(unparsedOf(plain, "W064")[0]?.text).toBe("注射液:10ml:0.1g");
  });

  it("reads 中成药 amounts per dispensing unit, and reports herbal equivalents", () => {
    // 丸剂：每丸重 9g，每 10 丸重 1.8g，每袋装 6g 、9g； 颗粒剂：每袋装 5g 、15g
    expect(entriesOf(plain, "T001").map((e) => `${e.form} ${e.strength.value}${e.strength.unit}/${e.pack.unit}`)).toEqual([
      "丸剂 9g/丸",
      "丸剂 6g/袋",
      "丸剂 9g/袋",
      "颗粒剂 5g/袋",
      "颗粒剂 15g/袋",
    ]);
    expect(unparsedOf(plain, "T001").map((u) => u.text)).toEqual(["丸剂:每10丸重1.8g"]);
    expect(entry(plain, "T004-02")).toMatchObject({ form: "合剂", strength: { value: 10, unit: "ml" }, pack: { unit: "瓶" } });
    expect(unparsedOf(plain, "T028")[0]?.reason).toBe("herbal-equivalent statement, not an amount per dispensing unit");
  });

  it("parses a free-text cell on its own", () => {
    const { products: ps, problems } = parseFormsText("片剂、胶囊：0. 1g 、0.2g； 注射液： 1ml ∶10mg", false);
    expect(ps.map((p) => `${p.form} ${p.strength.value}${p.strength.unit}`)).toEqual([
      "片剂 0.1g",
      "胶囊 0.1g",
      "片剂 0.2g",
      "胶囊 0.2g",
      "注射液 10mg",
    ]);
    expect(problems).toEqual([]);
    expect(parseFormsText("", false).problems[0]?.reason).toMatch(/no dose forms listed/);
  });
});

describe("convertNeml: dosing (issue 10)", () => {
  it("reads a metered aerosol as the amount per actuation in a device of N actuations", () => {
    expect(entry(plain, "W217-01")).toMatchObject({ form: "吸入气雾剂", strength: { value: 100, unit: "µg" }, pack: { size: 1, unit: "支" }, route: "inhalation", dosing: { actuations: 200 } });
    expect(entry(plain, "W217-02")).toMatchObject({ strength: { value: 140, unit: "µg" }, dosing: { actuations: 200 } });
    expect(entry(plain, "W217-03")).toMatchObject({ form: "吸入用溶液", strength: { value: 5, unit: "mg" }, dosing: { containerVolume: { value: 2.5, unit: "ml" } } });
    expect(entry(plain, "W222-01")).toMatchObject({ form: "吸入气雾剂", strength: { value: 200, unit: "µg" }, dosing: { actuations: 100 } });
    expect(entry(plain, "W222-02")).toMatchObject({ form: "吸入气雾剂", strength: { value: 100, unit: "µg" }, dosing: { actuations: 200 } });
    // a combination's ingredient list stays unread
    expect(entriesOf(plain, "W225")).toEqual([]);
  });

  it("keeps a liquid's bottle volume, so that ml doses count bottles: 布洛芬混悬液 100ml∶2g", () => {
    expect(entry(plain, "W078-09")).toMatchObject({ form: "混悬液", strength: { value: 2, unit: "g" }, pack: { size: 1, unit: "瓶" }, dosing: { containerVolume: { value: 100, unit: "ml" } } });
    expect(entry(plain, "W076-03").dosing).toEqual({ containerVolume: { value: 100, unit: "ml" } });
  });

  it("marks topical forms other than plasters 适量, and adds drops per ml from the facts", () => {
    expect(entry(plain, "W020-12").dosing).toEqual({ topical: true });
    expect(entry(nemlSeed(csvText), "W352-03").dosing).toEqual({ dropsPerMl: 20 });
    expect(entry(plain, "W001-01").dosing).toBeNull();
  });
});

describe("convertNeml: cross-listings", () => {
  it("merges a cross-listing's new forms into entry N", () => {
    expect(products(plain, "W032")).toEqual(["片剂 0.2g", "胶囊 0.2g", "氯化钠注射液 0.5g", "栓剂 0.5g", "阴道泡腾片 0.2g"]);
    expect(entry(plain, "W032-05")).toMatchObject({ route: "vaginal", nemlCategory: "二十四、妇产科用药 / （二）其他" });
  });

  it("does not repeat what the cross-listing repeats", () => {
    expect(products(plain, "W139")).toEqual(["片剂 2.5mg", "片剂 5mg", "注射液 10mg"]);
    expect(products(plain, "W085")).toEqual(["片剂 0.125g"]);
  });
});

describe("convertNeml: △, route, level", () => {
  it("applies △ to all forms, or only to the forms 备注 names", () => {
    expect(entriesOf(plain, "W013").every((e) => e.specialistOnly)).toBe(true);
    expect(entriesOf(plain, "W139").map((e) => e.specialistOnly)).toEqual([false, false, true]); // 注射液△
    expect(entriesOf(plain, "W343").filter((e) => e.specialistOnly).map((e) => e.form)).toEqual(["滴剂"]); // 滴剂△
    expect(entriesOf(plain, "T045").filter((e) => e.specialistOnly).map((e) => e.form)).toEqual(["注射液", "注射液"]);
    // △ belongs to the row that lists the form: 维A酸 cream is cross-listed without it.
    expect(entriesOf(plain, "W387").map((e) => `${e.form}${e.specialistOnly ? "△" : ""}`)).toEqual(["片剂△", "乳膏剂", "乳膏剂", "乳膏剂"]);
  });

  it("infers the route from unambiguous forms only", () => {
    const routeOf = (code: string) => entry(plain, code).route;
    expect(routeOf("W151-02")).toBe("sublingual"); // 舌下片
    expect(routeOf("W082-01")).toBe("rectal"); // 栓剂
    expect(routeOf("W032-04")).toBe("other"); // 栓剂 in the gynaecology section: vaginal or rectal
    expect(routeOf("W460-01")).toBe("nasal");
    expect(routeOf("W461-01")).toBe("otic");
    expect(routeOf("W450-01")).toBe("ophthalmic");
    expect(routeOf("W206-06")).toBe("inhalation"); // 吸入用溶液
    expect(routeOf("T207-01")).toBe("topical"); // 如意金黄散, 备注 外用
    expect(routeOf("T030-01")).toBe("other"); // 藿香正气水 酊剂: taken by mouth, unlike most tinctures
    expect(routeOf("W016-01")).toBe("other"); // an injection without facts
  });

  it("derives minLevel: injection or △ → primary, else village", () => {
    expect(entry(plain, "W077-01").minLevel).toBe("village");
    expect(entry(plain, "W083-01").minLevel).toBe("primary"); // △ tablet
    expect(entry(plain, "W014-01").minLevel).toBe("primary"); // injection
    expect(plain.entries.every((e) => e.longRxEligible === false)).toBe(true); // no conditions without facts
  });
});

describe("convertNeml: facts", () => {
  it("uses facts.route for injections; for tablets only when every form is an oral one", () => {
    const r = withFacts({ W139: { route: "iv" }, W077: { route: "sublingual" } });
    expect(entriesOf(r, "W139").map((e) => e.route)).toEqual(["oral", "oral", "iv"]);
    expect(entriesOf(r, "W077").every((e) => e.route === "sublingual")).toBe(true);
  });

  it("derives minLevel from the control class unless facts give it", () => {
    const r = withFacts({ W072: { controlClass: "narcotic" }, W139: { controlClass: "psychotropic_2", minLevel: "primary" } });
    expect(entriesOf(r, "W072").map((e) => e.minLevel)).toEqual(["secondary", "secondary"]);
    expect(entriesOf(r, "W139").map((e) => e.minLevel)).toEqual(["primary", "primary", "primary"]);
  });

  it("derives longRxEligible from conditions and the exclusions", () => {
    const r = withFacts({
      W154: { conditions: ["I10"] },
      W010: { conditions: ["N39"], antimicrobial: "unrestricted" },
      W177: { conditions: ["I10"], longRxEligible: false },
      W151: { conditions: ["I20"] },
      W313: { conditions: ["E11"], storage: "cold_chain" },
      W312: { conditions: ["E11"], longRxEligible: true },
    });
    expect(entriesOf(r, "W154").every((e) => e.longRxEligible && e.conditions[0] === "I10")).toBe(true);
    expect(entriesOf(r, "W010").some((e) => e.longRxEligible)).toBe(false); // antimicrobial
    expect(entriesOf(r, "W177").some((e) => e.longRxEligible)).toBe(false); // facts say no
    expect(entriesOf(r, "W313").some((e) => e.longRxEligible)).toBe(false); // cold chain
    // Injections are not derived eligible (a hospital IV product), but facts may say so.
    expect(entriesOf(r, "W151").map((e) => `${e.form} ${e.longRxEligible}`)).toEqual(["片剂 true", "舌下片 true", "注射液 false"]);
    expect(entry(r, "W312-01").longRxEligible).toBe(true);
  });

  it("takes the max daily dose for the entry's route, and the pack for the named forms", () => {
    const r = withFacts({
      W139: { maxDailyDose: { oral: { value: 40, unit: "mg" } }, pack: { size: 100, unit: "片", forms: ["片剂"] } },
    });
    const [tablet, , injection] = entriesOf(r, "W139");
    expect(tablet).toMatchObject({ maxDailyDose: { value: 40, unit: "mg" }, pack: { size: 100, unit: "片" } });
    expect(injection).toMatchObject({ maxDailyDose: null, pack: { size: 1, unit: "支" } });
  });

  it("reports an entry the facts make invalid, with the schema's message, without shifting codes", () => {
    const r = withFacts({ W077: { controlClass: "toxic", longRxEligible: true } });
    expect(entriesOf(r, "W077")).toEqual([]);
    const reported = unparsedOf(r, "W077");
    expect(reported).toHaveLength(6);
    expect(reported[0]?.reason).toMatch(/^schema: longRxEligible: cannot be long-prescription eligible/);
    const antiTbOnly = withFacts({ W010: { antiTb: true } });
    expect(unparsedOf(antiTbOnly, "W010")[0]?.reason).toMatch(/antiTb: an anti-TB drug must carry an antimicrobial grade/);
    expect(entriesOf(withFacts({ W010: { antiTb: true }, W011: {} }), "W011").map((e) => e.code)[0]).toBe("W011-01");
  });
});

describe("facts", () => {
  it("merges class facts and chronic facts field by field, doses route by route", () => {
    const merged = mergeFacts(
      { controlClass: "psychotropic_2", minLevel: "primary", maxDailyDose: { iv: { value: 40, unit: "mg" } } },
      { conditions: ["F41"], minLevel: "secondary", maxDailyDose: { oral: { value: 30, unit: "mg" } }, atc: undefined },
    );
    expect(merged).toEqual({
      controlClass: "psychotropic_2",
      minLevel: "secondary",
      conditions: ["F41"],
      maxDailyDose: { iv: { value: 40, unit: "mg" }, oral: { value: 30, unit: "mg" } },
    });
    expect(mergeFacts(undefined, { atc: "N05BA01" })).toEqual({ atc: "N05BA01" });
    expect(mergeFacts(undefined, undefined)).toBeUndefined();
  });

  it("nemlSeed converts the list with the project's facts into valid entries", () => {
    const seeded = nemlSeed(csvText);
    for (const e of seeded.entries) expect(EntryContent.safeParse(e).success).toBe(true);
    expect(seeded.entries.length + seeded.unparsed.length).toBeGreaterThanOrEqual(plain.entries.length);
  });
});
