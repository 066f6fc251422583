import { describe, expect, it } from "vitest";
import rulesDepthMd from "../../../docs/rules-depth.md?raw";
import factsMd from "../../../seeds/neml/FACTS.md?raw";
import { nemlSeed } from "../../../seeds/neml/convert";
import { drugFacts } from "../../../seeds/neml/facts";
import { DOSE_FACTS, doseTableRows } from "../../../seeds/neml/facts-doses";
import type { Dose, MaxDoseFact } from "../../../seeds/neml/facts.types";
import { Route, StrengthUnit } from "../../../worker/formulary/formulary.schemas";
import { nemlCsvText, nemlName, nemlRowsByNo } from "./neml-csv";

/**
 * Issue 10, facts: every seeded maximum daily dose and control class keeps its source, and the
 * re-check table of seeds/neml/FACTS.md is what the seed does. Table-driven from the facts file:
 * no figure is repeated here.
 */

const seed = nemlSeed(nemlCsvText);
const facts = Object.entries(DOSE_FACTS).flatMap(([no, list]) => list.map((fact) => ({ no, fact })));
const sameDose = (a: Dose, b: Dose) => a.value === b.value && a.unit === b.unit;

type Entry = (typeof seed.entries)[number];
const numberOf = (e: Entry) => e.code.slice(0, 4);
/** The NEML form of an entry without its salt or type, as the facts may name it ("缓释片"). */
const baseForm = (e: Entry) => e.form.replace(/\(.*\)$/, "");

function covers(fact: MaxDoseFact, e: Entry): boolean {
  if (fact.route !== e.route) return false;
  if (fact.forms && !fact.forms.includes(e.form) && !fact.forms.includes(baseForm(e))) return false;
  return !fact.strengths || fact.strengths.some((s) => sameDose(s, e.strength));
}
const rank = (f: MaxDoseFact) => (f.strengths ? 2 : 0) + (f.forms ? 1 : 0);

/** The seed's entries a fact decides: those it covers and no more specific fact of its drug covers. */
function decidedBy(no: string, fact: MaxDoseFact): Entry[] {
  const others = (DOSE_FACTS[no] ?? []).filter((f) => f !== fact && rank(f) > rank(fact));
  return seed.entries.filter((e) => numberOf(e) === no && covers(fact, e) && !others.some((f) => covers(f, e)));
}

/** "| W320 格列齐特 | 缓释片 | oral | 320 mg | 120 mg | **yes** | yes | … |" rows of a document's table. */
const doseRows = (md: string) => md.split("\n").filter((line) => /^\| [WT]\d{3} /.test(line));
const tableRows = doseRows(factsMd);
function parseDose(cell: string | undefined): Dose | null {
  if (cell === "—") return null;
  const [value, unit] = (cell ?? "").split(" ");
  return { value: Number(value), unit: StrengthUnit.parse(unit) };
}

describe("maximum daily doses: every fact has a source", () => {
  it("covers every number that had a figure before issue 10, and more", () => {
    expect(facts.length).toBeGreaterThanOrEqual(100);
  });

  it.each(facts)("$no $fact.route $fact.forms $fact.strengths", ({ no, fact }) => {
    expect(nemlRowsByNo.has(no), `${no} not in varieties.csv`).toBe(true);
    expect(fact.source.trim().length, `${no} source`).toBeGreaterThan(10);
    expect(Route.safeParse(fact.route).success).toBe(true);
    for (const dose of [fact.dose, fact.was ?? null]) {
      if (!dose) continue;
      expect(["µg", "mg", "g", "U"]).toContain(dose.unit);
      expect(Number.isFinite(dose.value) && dose.value > 0).toBe(true);
    }
    // a form or strength that matches nothing would silently leave the old figure in place
    expect(decidedBy(no, fact).length, `${no}: no product matches ${JSON.stringify(fact.forms)} ${JSON.stringify(fact.strengths)}`).toBeGreaterThan(0);
  });

  it("a fact that is not verified says so in its source", () => {
    for (const { no, fact } of facts) {
      if (!fact.verified) expect(fact.source, no).toMatch(/未能|未写|未设|沿用|未重新查阅|只见到转述/);
    }
  });
});

describe("maximum daily doses: the FACTS.md table is what the seed does", () => {
  it("FACTS.md and docs/rules-depth.md hold exactly one row per fact, in the facts file's order", () => {
    const expected = doseTableRows((no) => nemlName(no) ?? "?");
    expect(tableRows).toEqual(expected);
    expect(doseRows(rulesDepthMd)).toEqual(expected);
  });

  it.each(tableRows.map((row, i) => ({ row, i })))("row $i: the seed carries the figure the table says", ({ row, i }) => {
    const cells = row.split(" | ");
    const now = parseDose(cells[4]);
    const before = parseDose(cells[3]);
    const changed = cells[5] === "**yes**";
    const decided = facts[i];
    if (!decided) throw new Error(`row ${i} has no fact`);
    const { no, fact } = decided;
    expect(changed).toBe(before === null ? now !== null : now === null || !sameDose(before, now));
    for (const e of decidedBy(no, fact)) expect(e.maxDailyDose, `${e.code} ${e.form}`).toEqual(now);
  });

  it("changed figures (issue 10) by example: modified-release and domestic labels", () => {
    const dose = (code: string) => seed.entries.find((e) => e.code === code)?.maxDailyDose;
    const byForm = (no: string, form: string) => seed.entries.filter((e) => numberOf(e) === no && e.form === form).map((e) => e.maxDailyDose);
    // 格列齐特片 (domestic label 80–240 mg) vs 格列齐特缓释片 (≤120 mg)
    expect(new Set(byForm("W320", "片剂").map((d) => JSON.stringify(d)))).toEqual(new Set([JSON.stringify({ value: 240, unit: "mg" })]));
    expect(byForm("W320", "缓释片")).toEqual([
      { value: 120, unit: "mg" },
      { value: 120, unit: "mg" },
    ]);
    // 二甲双胍缓释片 2 g while 格华止 0.5 g plain tablets keep 2.55 g
    expect(byForm("W315", "缓释片").every((d) => d?.value === 2 && d.unit === "g")).toBe(true);
    expect(seed.entries.find((e) => numberOf(e) === "W315" && e.form === "片剂" && e.strength.value === 0.5)?.maxDailyDose).toEqual({ value: 2.55, unit: "g" });
    // the succinate ER metoprolol now has a ceiling, the tartrate tablets still none
    expect(byForm("W162", "缓释片(琥珀酸盐)")).toEqual([{ value: 190, unit: "mg" }]);
    expect(byForm("W162", "片剂(酒石酸盐)")).toEqual([null, null]);
    expect(dose("W346-01")).toEqual({ value: 10, unit: "mg" }); // 阿仑膦酸钠片 10 mg daily
  });
});

describe("control classes: every class has a source, 2024 adjustments applied", () => {
  const numbers = [...nemlRowsByNo.keys()];

  it("every number with a control class names the list or announcement it comes from", () => {
    const controlled = numbers.filter((no) => drugFacts(no)?.controlClass);
    expect(controlled.length).toBeGreaterThanOrEqual(20);
    for (const no of controlled) expect(drugFacts(no)?.controlSource?.trim(), no).toBeTruthy();
    for (const no of numbers) for (const c of drugFacts(no)?.controlClassForms ?? []) expect(c.source.trim(), no).toBeTruthy();
  });

  it("右美沙芬 is class II since 2024-07-01 (2024年第54号公告)", () => {
    const entries = seed.entries.filter((e) => e.genericName === "右美沙芬");
    expect(entries.length).toBeGreaterThan(0);
    for (const e of entries) expect(e.controlClass, e.code).toBe("psychotropic_2");
    expect(drugFacts("W213")?.controlSource).toContain("2024年第54号");
  });

  it("咪达唑仑: the injection is class I, the tablets and oral solution stay class II", () => {
    const entries = seed.entries.filter((e) => e.genericName === "咪达唑仑");
    expect(entries.length).toBeGreaterThan(0);
    for (const e of entries) expect(e.controlClass, `${e.code} ${e.form}`).toBe(e.form.includes("注射") ? "psychotropic_1" : "psychotropic_2");
    for (const e of entries) expect(e.longRxEligible, e.code).toBe(false);
  });
});
