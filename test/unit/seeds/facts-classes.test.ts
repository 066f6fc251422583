import { describe, expect, it } from "vitest";
import { CLASS_FACTS } from "../../../seeds/neml/facts-classes";
import { nemlColumn, nemlName, nemlRows, nemlRowsByNo } from "./neml-csv";
import {
  AntimicrobialGrade,
  ControlClass,
  InstitutionLevel,
  longRxExclusion,
  Storage,
} from "../../../worker/formulary/formulary.schemas";

const TOP = nemlColumn("一级分类");
const rows = nemlRows;
/** NEML number → the entry's own row (the first one; cross-listings repeat the code later). */
const byNo = new Map([...nemlRowsByNo].map(([no, rs]) => [no, rs[0] ?? []]));
const nameOf = nemlName;

const ATC = /^[A-Z][0-9]{2}([A-Z]([A-Z]([0-9]{2})?)?)?$/;
const entries = Object.entries(CLASS_FACTS);

describe("CLASS_FACTS keys", () => {
  it("reads the whole CSV", () => {
    expect(rows).toHaveLength(816);
    expect(byNo.size).toBe(794);
  });

  it("are NEML numbers present in the CSV", () => {
    expect(entries.length).toBeGreaterThan(100);
    for (const [key] of entries) {
      expect(key).toMatch(/^[WT]\d{3}$/);
      expect(nemlRowsByNo.has(key), key).toBe(true);
      expect(byNo.has(key), key).toBe(true);
    }
  });
});

describe("CLASS_FACTS values", () => {
  it("use the schema's enums and formats", () => {
    for (const [key, f] of entries) {
      if (f.atc !== undefined) expect(f.atc, key).toMatch(ATC);
      if (f.controlClass !== undefined) expect(ControlClass.options, key).toContain(f.controlClass);
      if (f.antimicrobial !== undefined) expect(AntimicrobialGrade.options, key).toContain(f.antimicrobial);
      if (f.storage !== undefined) expect(Storage.options, key).toContain(f.storage);
      if (f.minLevel !== undefined) expect(InstitutionLevel.options, key).toContain(f.minLevel);
      for (const c of f.conditions ?? []) expect(c, key).toMatch(/^[A-Z][0-9]{0,2}(\.[0-9A-Z]{1,4})?$/);
      expect(f.note === undefined || f.note.length > 0, key).toBe(true);
    }
  });

  it("are internally consistent (the schema's entry refinements)", () => {
    for (const [key, f] of entries) {
      const excluded = longRxExclusion({
        controlClass: f.controlClass ?? null,
        antimicrobial: f.antimicrobial ?? null,
        antiTb: f.antiTb ?? false,
        storage: f.storage ?? "normal",
      });
      if (f.longRxEligible) expect(excluded, key).toBeNull();
      if (f.antiTb) expect(f.antimicrobial, key).toBeDefined();
    }
  });

  it("give narcotics and class I psychotropics a full ATC code and minLevel secondary", () => {
    const strict = entries.filter(([, f]) => f.controlClass === "narcotic" || f.controlClass === "psychotropic_1");
    expect(strict.length).toBeGreaterThanOrEqual(9);
    for (const [key, f] of strict) {
      expect(f.atc, key).toMatch(/^[A-Z][0-9]{2}[A-Z]{2}[0-9]{2}$/);
      expect(f.minLevel, key).toBe("secondary");
    }
  });

  it("grade every antibacterial and antifungal of 一、抗微生物药", () => {
    // W001–W041 are the antibacterial, anti-TB, anti-leprosy and antifungal rows.
    for (let n = 1; n <= 41; n++) {
      const key = `W${String(n).padStart(3, "0")}`;
      expect(byNo.get(key)?.[TOP], key).toBe("一、抗微生物药");
      expect(CLASS_FACTS[key]?.antimicrobial, key).toBeDefined();
    }
  });

  it("mark only the TB class entry anti-TB", () => {
    const tb = entries.filter(([, f]) => f.antiTb).map(([k]) => k);
    expect(tb).toEqual(["W035"]);
  });
});

describe("spot checks against the CSV", () => {
  const cases: [string, string, (f: (typeof CLASS_FACTS)[string]) => void][] = [
    ["W073", "吗啡", (f) => {
      expect(f.controlClass).toBe("narcotic");
      expect(f.atc).toBe("N02AA01");
      expect(f.minLevel).toBe("secondary");
    }],
    ["W139", "地西泮", (f) => {
      expect(f.controlClass).toBe("psychotropic_2");
      expect(f.atc).toBe("N05BA01");
    }],
    ["W006", "阿莫西林", (f) => {
      expect(f.antimicrobial).toBe("unrestricted");
      expect(f.antiTb ?? false).toBe(false);
      expect(f.atc).toBe("J01CA04");
    }],
    // Isoniazid has no row of its own: the 2026 list has the class entry 结核病用药 (注释 1).
    ["W035", "结核病用药", (f) => {
      expect(f.antiTb).toBe(true);
      expect(f.antimicrobial).toBe("unrestricted");
      expect(f.longRxEligible).toBe(true);
    }],
    ["W311", "胰岛素", (f) => {
      expect(f.storage).toBe("cold_chain");
      expect(f.controlClass).toBeUndefined();
    }],
  ];
  for (const [key, name, check] of cases) {
    it(`${key} is ${name}`, () => {
      expect(nameOf(key)).toBe(name);
      const f = CLASS_FACTS[key];
      expect(f).toBeDefined();
      if (f) check(f);
    });
  }

  it("the controlled drugs are the drugs named", () => {
    const expected: Record<string, [string, string]> = {
      W064: ["氯胺酮", "psychotropic_1"],
      W066: ["瑞芬太尼", "narcotic"],
      W071: ["芬太尼", "narcotic"],
      W072: ["哌替啶", "narcotic"],
      W074: ["羟考酮", "narcotic"],
      W102: ["苯巴比妥", "psychotropic_2"],
      W140: ["氯硝西泮", "psychotropic_2"],
      W142: ["艾司唑仑", "psychotropic_2"],
      W143: ["阿普唑仑", "psychotropic_2"],
      W149: ["咪达唑仑", "psychotropic_1"],
      W212: ["可待因", "narcotic"],
      W213: ["右美沙芬", "psychotropic_2"],
      W384: ["三氧化二砷（亚砷酸）", "toxic"],
      W460: ["麻黄碱", "precursor"],
      W465: ["麦角新碱", "precursor"],
      W476: ["哌甲酯", "psychotropic_1"],
    };
    for (const [key, [name, cls]] of Object.entries(expected)) {
      expect(nameOf(key), key).toBe(name);
      expect(CLASS_FACTS[key]?.controlClass, key).toBe(cls);
    }
  });

  it("the special-use antimicrobials are the drugs named", () => {
    const special = entries.filter(([, f]) => f.antimicrobial === "special").map(([k]) => nameOf(k));
    expect(special.sort()).toEqual(["两性霉素", "卡泊芬净"].sort());
  });
});
