import { describe, expect, it } from "vitest";
import { SEED_INTERACTIONS } from "../../../seeds/interactions";
import { nemlSeed } from "../../../seeds/neml/convert";
import { drugFacts } from "../../../seeds/neml/facts";
import type { Interaction } from "../../../worker/rules/types";
import { nemlColumn, nemlCsvText, nemlRows } from "./neml-csv";

const NAME = nemlColumn("药品通用名");
const INN = nemlColumn("英文名称(INN)");
const rows = nemlRows;

/**
 * A row's generic name as the list writes it, with the PDF split repaired the way the converter
 * does it: 碳酸钙 + "D3\nCalcium Carbonate and\nVitamin D3" is 碳酸钙D3.
 */
function csvName(r: string[]): string {
  const name = (r[NAME] ?? "").replace(/\s+/g, "");
  const english = (r[INN] ?? "").replace(/\s+/g, " ").trim();
  const m = /^([A-Z][A-Z0-9]{0,3}) (.+)$/.exec(english);
  return m?.[1] && m[2]?.endsWith(` ${m[1]}`) ? name + m[1] : name;
}

/**
 * WHO ATC codes (ATC/DDD Index 2025) of NEML drugs the seed facts leave without one. Used here
 * only, so that the class sides (NSAIDs, SSRIs) can be checked against real drugs.
 */
const WHO_ATC: Record<string, string> = {
  布洛芬: "M01AE01",
  双氯芬酸钠: "M01AB05",
  吲哚美辛: "M01AB01",
  氟比洛芬酯: "M01AE09",
  氟西汀: "N06AB03",
  帕罗西汀: "N06AB05",
  舍曲林: "N06AB06",
  艾司西酞普兰: "N06AB10",
};

interface Drug {
  nemlNo: string;
  genericName: string;
  atc: string | null;
}

/** Every western drug of the list, by generic name, with the seed's ATC code (seeds/neml/facts.ts), else WHO_ATC. */
const DRUGS = new Map<string, Drug>();
for (const r of rows) {
  const nemlNo = (r[nemlColumn("药品编码")] ?? "").replace(/^MED-2026-/, "");
  if (!/^W\d{3}$/.test(nemlNo)) continue;
  const genericName = csvName(r);
  if (!DRUGS.has(genericName)) DRUGS.set(genericName, { nemlNo, genericName, atc: drugFacts(nemlNo)?.atc ?? WHO_ATC[genericName] ?? null });
}

/** Generic names the converter gives each NEML number it can read. */
const SEEDED_NAMES = new Map<string, Set<string>>();
for (const e of nemlSeed(nemlCsvText).entries) {
  const nemlNo = e.code.slice(0, 4);
  SEEDED_NAMES.set(nemlNo, (SEEDED_NAMES.get(nemlNo) ?? new Set()).add(e.genericName));
}

function drug(name: string): Drug {
  const d = DRUGS.get(name);
  if (!d) throw new Error(`${name} is not in the NEML`);
  return d;
}

/** The matching the rules engine applies: ATC prefix, or exact generic name. */
function sideMatches(side: Interaction["a"], d: Drug): boolean {
  if (side.atcPrefix !== undefined) return d.atc?.startsWith(side.atcPrefix) ?? false;
  return side.name === d.genericName;
}

function pairMatches(i: Interaction, x: Drug, y: Drug): boolean {
  return (sideMatches(i.a, x) && sideMatches(i.b, y)) || (sideMatches(i.a, y) && sideMatches(i.b, x));
}

const byId = new Map(SEED_INTERACTIONS.map((i) => [i.id, i]));
const sides = SEED_INTERACTIONS.flatMap((i) => [i.a, i.b]);

describe("SEED_INTERACTIONS: shape", () => {
  it("has a focused set of entries", () => {
    expect(SEED_INTERACTIONS.length).toBeGreaterThanOrEqual(30);
    expect(SEED_INTERACTIONS.length).toBeLessThanOrEqual(60);
  });

  it("has unique kebab-case ids", () => {
    for (const i of SEED_INTERACTIONS) expect(i.id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
    expect(byId.size).toBe(SEED_INTERACTIONS.length);
  });

  it("gives every side exactly one of a well-formed ATC prefix or a generic name", () => {
    for (const s of sides) {
      expect((s.atcPrefix === undefined) !== (s.name === undefined), JSON.stringify(s)).toBe(true);
      if (s.atcPrefix !== undefined) expect(s.atcPrefix).toMatch(/^[A-Z]([0-9]{2}([A-Z]([A-Z]([0-9]{2})?)?)?)?$/);
      if (s.name !== undefined) expect(s.name).toMatch(/^\S+$/);
    }
  });

  it("uses only the two severities, with a Chinese note and a source", () => {
    for (const i of SEED_INTERACTIONS) {
      expect(["major", "moderate"]).toContain(i.severity);
      expect(i.note.trim().length, i.id).toBeGreaterThan(10);
      expect(i.note, i.id).toMatch(/[\u4e00-\u9fff]/);
      expect(i.source.trim(), i.id).not.toBe("");
    }
  });

  it("lists each pair of sides once", () => {
    const sideKey = (s: Interaction["a"]) => s.atcPrefix ?? `name:${s.name}`;
    const pairs = SEED_INTERACTIONS.map((i) => [sideKey(i.a), sideKey(i.b)].sort().join(" + "));
    expect(new Set(pairs).size).toBe(pairs.length);
  });
});

describe("SEED_INTERACTIONS: against the NEML", () => {
  it("names only drugs of the list, spelt as the converter writes their generic name", () => {
    for (const s of sides) {
      if (s.name === undefined) continue;
      const d = DRUGS.get(s.name);
      expect(d, s.name).toBeDefined();
      const seeded = d && SEEDED_NAMES.get(d.nemlNo);
      if (seeded) expect([...seeded], s.name).toEqual([s.name]);
    }
  });

  it("uses ATC prefixes that match at least one NEML drug", () => {
    const drugs = [...DRUGS.values()];
    for (const s of sides) {
      if (s.atcPrefix !== undefined) expect(drugs.some((d) => sideMatches(s, d)), s.atcPrefix).toBe(true);
    }
  });

  it("never matches one drug on both sides", () => {
    for (const i of SEED_INTERACTIONS) {
      for (const d of DRUGS.values()) expect(sideMatches(i.a, d) && sideMatches(i.b, d), `${i.id}: ${d.genericName}`).toBe(false);
    }
  });

  it("gives any two NEML drugs at most one interaction (no double findings)", () => {
    const involved = [...DRUGS.values()].filter((d) => sides.some((s) => sideMatches(s, d)));
    for (const [n, x] of involved.entries()) {
      for (const y of involved.slice(n + 1)) {
        const hits = SEED_INTERACTIONS.filter((i) => pairMatches(i, x, y)).map((i) => i.id);
        expect(hits.length, `${x.genericName} + ${y.genericName}: ${hits.join(", ")}`).toBeLessThanOrEqual(1);
      }
    }
  });
});

/** [id, severity, drugs it must cover as [one side, the other side]]. */
const REQUIRED: [string, Interaction["severity"], [string, string][]][] = [
  // ACEI/ARB + potassium-sparing diuretics: triamterene avoided, MRAs are guideline combinations
  ["ras-triamterene", "major", [["卡托普利", "氨苯蝶啶"], ["依那普利", "氨苯蝶啶"], ["缬沙坦", "氨苯蝶啶"], ["缬沙坦氨氯地平", "氨苯蝶啶"]]],
  ["ras-aldosterone-antagonist", "moderate", [["依那普利", "螺内酯"], ["厄贝沙坦", "螺内酯"], ["替米沙坦", "非奈利酮"]]],
  ["acei-arb", "major", [["依那普利", "缬沙坦"], ["培哚普利叔丁胺", "厄贝沙坦"]]],
  ["acei-arb-combination", "major", [["卡托普利", "缬沙坦氨氯地平"]]],
  ["triamterene-potassium-chloride", "major", [["氨苯蝶啶", "氯化钾"]]],
  ["warfarin-nsaid", "major", [["华法林", "布洛芬"], ["华法林", "双氯芬酸钠"]]],
  ["warfarin-antiplatelet", "moderate", [["华法林", "阿司匹林"], ["华法林", "氯吡格雷"], ["华法林", "替格瑞洛"]]],
  ["warfarin-amiodarone", "moderate", [["华法林", "胺碘酮"]]],
  ["clopidogrel-omeprazole", "major", [["氯吡格雷", "奥美拉唑"]]],
  ["clopidogrel-esomeprazole", "major", [["氯吡格雷", "艾司奥美拉唑"]]],
  ["simvastatin-clarithromycin", "major", [["辛伐他汀", "克拉霉素"]]],
  ["simvastatin-erythromycin", "major", [["辛伐他汀", "红霉素"]]],
  ["simvastatin-itraconazole", "major", [["辛伐他汀", "伊曲康唑"]]],
  ["simvastatin-amlodipine", "moderate", [["辛伐他汀", "氨氯地平"]]],
  ["simvastatin-levamlodipine", "moderate", [["辛伐他汀", "左氨氯地平"]]],
  ["simvastatin-valsartan-amlodipine", "moderate", [["辛伐他汀", "缬沙坦氨氯地平"]]],
  ["statin-fenofibrate", "moderate", [["辛伐他汀", "非诺贝特"], ["阿托伐他汀", "非诺贝特"], ["瑞舒伐他汀", "非诺贝特"]]],
  ["digoxin-amiodarone", "moderate", [["地高辛", "胺碘酮"]]],
  ["digoxin-verapamil", "moderate", [["地高辛", "维拉帕米"]]],
  ["metformin-iohexol", "moderate", [["二甲双胍", "碘海醇"]]],
  ["metformin-ioversol", "moderate", [["二甲双胍", "碘佛醇"]]],
  ["beta-blocker-non-dhp-ccb", "moderate", [["美托洛尔", "维拉帕米"], ["比索洛尔", "地尔硫䓬"], ["普萘洛尔", "维拉帕米"]]],
  ["methotrexate-co-trimoxazole", "major", [["甲氨蝶呤", "复方磺胺甲噁（恶）唑"]]],
  ["xanthine-oxidase-inhibitor-azathioprine", "major", [["别嘌醇", "硫唑嘌呤"], ["非布司他", "硫唑嘌呤"]]],
  ["xanthine-oxidase-inhibitor-mercaptopurine", "major", [["别嘌醇", "巯嘌呤"], ["非布司他", "巯嘌呤"]]],
  ["theophylline-ciprofloxacin", "major", [["茶碱", "环丙沙星"], ["氨茶碱", "环丙沙星"]]],
  ["theophylline-erythromycin", "moderate", [["茶碱", "红霉素"]]],
  ["theophylline-clarithromycin", "moderate", [["氨茶碱", "克拉霉素"]]],
  ["nsaid-ras", "moderate", [["布洛芬", "依那普利"], ["双氯芬酸钠", "缬沙坦"]]],
  ["nsaid-diuretic", "moderate", [["布洛芬", "氢氯噻嗪"], ["吲哚美辛", "呋塞米"]]],
  ["levothyroxine-calcium-carbonate", "moderate", [["左甲状腺素钠", "碳酸钙D3"]]],
  ["levothyroxine-ferrous-sulfate", "moderate", [["左甲状腺素钠", "硫酸亚铁"]]],
  ["levothyroxine-ferrous-succinate", "moderate", [["左甲状腺素钠", "琥珀酸亚铁"]]],
  ["ssri-nsaid", "moderate", [["舍曲林", "布洛芬"]]],
  ["ssri-antithrombotic", "moderate", [["帕罗西汀", "阿司匹林"], ["艾司西酞普兰", "氯吡格雷"], ["氟西汀", "华法林"]]],
  ["lithium-diuretic", "moderate", [["碳酸锂", "氢氯噻嗪"], ["碳酸锂", "吲达帕胺"]]],
  ["lithium-ras", "moderate", [["碳酸锂", "依那普利"], ["碳酸锂", "缬沙坦"]]],
];

describe("SEED_INTERACTIONS: the required pairs", () => {
  it.each(REQUIRED)("%s is %s and covers its drugs", (id, severity, pairs) => {
    const i = byId.get(id);
    expect(i, id).toBeDefined();
    if (!i) return;
    expect(i.severity).toBe(severity);
    for (const [x, y] of pairs) expect(pairMatches(i, drug(x), drug(y)), `${x} + ${y}`).toBe(true);
  });

  it("does not fire on drugs outside the pair", () => {
    // amlodipine-type CCBs do not slow AV conduction; rosuvastatin is not a CYP3A4 substrate;
    // azithromycin does not inhibit CYP3A4; rabeprazole is the listed alternative to omeprazole.
    const clean: [string, string][] = [
      ["美托洛尔", "氨氯地平"],
      ["瑞舒伐他汀", "克拉霉素"],
      ["辛伐他汀", "阿奇霉素"],
      ["氯吡格雷", "雷贝拉唑"],
      ["茶碱", "左氧氟沙星"],
      ["阿司匹林", "氯吡格雷"],
      ["依那普利", "氢氯噻嗪"],
      ["左甲状腺素钠", "二甲双胍"],
    ];
    for (const [x, y] of clean) {
      const hits = SEED_INTERACTIONS.filter((i) => pairMatches(i, drug(x), drug(y))).map((i) => i.id);
      expect(hits, `${x} + ${y}`).toEqual([]);
    }
  });
});
