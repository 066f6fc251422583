/**
 * Converts the 2026 National Essential Medicines List (国家基本药物目录 2026年版, the CSV in
 * seeds/neml-2026/varieties.csv, see its SOURCE.md) into formulary entries.
 *
 * One entry is one dose form in one strength. The list states forms and strengths as free
 * text; this converter parses only what it can read with confidence and reports everything
 * else as an UnparsedItem with a reason. It never guesses a strength, a pack size or a route
 * the text does not support. The conventions are summarised in seeds/neml/NOTES.md.
 */
import type { z } from "zod";
import { EntryContent, longRxExclusion, type StrengthUnit } from "../../worker/formulary/formulary.schemas";
import { parseCsv } from "../../worker/lib/csv";
import { drugFacts } from "./facts";
import { nemlIngredients } from "./facts-ingredients";
import { formDosingFacts } from "./facts-dosing";
import type { Dose, DrugFacts } from "./facts.types";

export interface UnparsedItem {
  nemlCode: string;
  genericName: string;
  text: string;
  reason: string;
}

export interface NemlConversion {
  entries: EntryContent[];
  unparsed: UnparsedItem[];
}

type Route = EntryContent["route"];
interface Strength {
  value: number;
  unit: StrengthUnit;
}

/** The list is in force from this date (国卫药政发〔2026〕17号). */
const EFFECTIVE_FROM = "2026-09-01";

const COLUMNS = [
  "序号",
  "药品编码",
  "药品类型",
  "一级分类",
  "二级分类",
  "功能主治/亚类",
  "药品通用名",
  "英文名称(INN)",
  "拼音简码",
  "收录剂型与规格",
  "专科医师指导(△)",
  "跨分类重复(*)",
  "备注说明",
] as const;

// ---------------------------------------------------------------------------------------------
// Rows
// ---------------------------------------------------------------------------------------------

interface NemlRow {
  nemlNo: string; // "W006" / "T045": the parser's code without the MED-2026- prefix
  chinesePatent: boolean; // 中成药
  category: string | null; // "一级分类 / 二级分类"
  genericName: string;
  innName: string | null;
  pinyin: string;
  formsText: string;
  specialist: boolean; // △
  remarks: string;
}

function readRows(csvText: string): NemlRow[] {
  const [header, ...records] = parseCsv(csvText);
  if (!header || header.join("|") !== COLUMNS.join("|")) {
    throw new Error(`NEML CSV: unexpected header ${JSON.stringify(header)}`);
  }
  return records.map((fields, i) => {
    if (fields.length !== COLUMNS.length) {
      throw new Error(`NEML CSV: data row ${i + 1} has ${fields.length} fields, expected ${COLUMNS.length}`);
    }
    return toRow(fields, i + 1);
  });
}

function toRow(f: string[], rowNo: number): NemlRow {
  const field = (name: (typeof COLUMNS)[number]) => f[COLUMNS.indexOf(name)] ?? "";
  const code = /^MED-2026-([WT]\d{3})$/.exec(field("药品编码"));
  if (!code?.[1]) throw new Error(`NEML CSV: data row ${rowNo} has no MED-2026-W### / T### code`);
  const chinesePatent = field("药品类型") === "中成药";
  const [genericName, innName] = fixSplitName(collapseCjk(field("药品通用名")), collapseLatin(field("英文名称(INN)")));
  const level1 = field("一级分类").trim();
  const level2 = field("二级分类").trim();
  return {
    nemlNo: code[1],
    chinesePatent,
    category: level1 ? (level2 ? `${level1} / ${level2}` : level1) : null,
    genericName,
    innName: chinesePatent || !innName ? null : innName,
    pinyin: field("拼音简码").trim(),
    formsText: field("收录剂型与规格"),
    specialist: field("专科医师指导(△)") === "是",
    remarks: field("备注说明"),
  };
}

/** Line breaks in Chinese names are PDF cell wraps between two characters: drop them. */
function collapseCjk(s: string): string {
  return s.replace(/\s*[\r\n]+\s*/g, "").trim();
}

/** Line breaks in English names stand for a space. */
function collapseLatin(s: string): string {
  return s.replace(/\s+/g, " ").trim();
}

/**
 * The PDF parse moved the end of some names into the English column: 维生素 + "B12 Vitamin B12",
 * 两性霉素 + "B Amphotericin B", 碳酸钙 + "D3 Calcium Carbonate and Vitamin D3". The English
 * column then starts with a short code that it also ends with; move that code back.
 */
function fixSplitName(chinese: string, english: string): [string, string] {
  const m = /^([A-Z][A-Z0-9]{0,3}) (.+)$/.exec(english);
  if (m?.[1] && m[2]?.endsWith(` ${m[1]}`)) return [chinese + m[1], m[2]];
  return [chinese, english];
}

// ---------------------------------------------------------------------------------------------
// Dose forms
// ---------------------------------------------------------------------------------------------

/**
 * Every dose form the list uses that this converter understands. A segment whose form is not
 * here is reported, not guessed (e.g. "人干扰素α1b注射液", where the name is inside the form).
 */
const KNOWN_FORMS = [
  "片剂", "片", "分散片", "肠溶片", "缓释片", "缓释片剂", "肠溶缓释片", "口崩片", "咀嚼片", "泡腾片",
  "舌下片", "阴道片", "阴道泡腾片", "胶囊", "软胶囊", "肠溶胶囊", "缓释胶囊", "阴道软胶囊", "胶丸",
  "颗粒剂", "缓释颗粒", "干混悬剂", "肠溶干混悬剂", "散剂", "粉剂", "丸剂", "滴丸剂", "口溶膜",
  "口服溶液剂", "混悬液", "糖浆剂", "滴剂", "合剂", "酒剂", "煎膏剂", "酊剂",
  "注射液", "乳状注射液", "注射用浓溶液", "注射用无菌粉末", "注射用脂质体", "氯化钠注射液",
  "葡萄糖注射液", "眼用注射液",
  "吸入气雾剂", "气雾剂", "吸入粉雾剂", "吸入用溶液", "吸入溶液剂", "雾化吸入用混悬液", "喷雾剂",
  "鼻喷雾剂", "滴眼剂", "眼膏剂", "眼用凝胶", "滴鼻剂", "滴耳剂",
  "软膏剂", "乳膏剂", "凝胶剂", "胶浆剂", "外用溶液剂", "溶液剂", "洗剂", "涂剂", "贴剂", "贴膏剂",
  "膏药", "栓剂", "灌肠剂",
];
const KNOWN_FORM_SET = new Set(KNOWN_FORMS);
/** Longest first, so that a regex alternation prefers 氯化钠注射液 to 注射液. */
const FORM_ALTERNATION = [...KNOWN_FORMS].sort((a, b) => b.length - a.length).join("|");

interface FormSpec {
  baseForm: string; // 片剂
  form: string; // 片剂(琥珀酸乙酯): the base form with the list's salt or type qualifier
}

const isInjection = (baseForm: string) => baseForm.includes("注射");

/**
 * Reads a list of forms such as "片剂、胶囊", "(头孢呋辛酯)片剂、分散片", "肠溶(片剂、胶囊)",
 * "(苯磺酸盐、马来酸盐)片剂" or "片剂(含消旋)". Returns undefined if any item is not a known form.
 */
function parseFormList(text: string): FormSpec[] | undefined {
  const specs: ParsedFormItem[] = [];
  for (const item of splitTopLevel(text, "、")) {
    const spec = parseFormItem(item);
    if (!spec) return undefined;
    specs.push(spec);
  }
  // A salt named before the first form applies to the whole list: "(头孢呋辛酯)片剂、分散片".
  const shared = specs[0]?.leading;
  return specs.flatMap((p) => {
    const leading = p.leading ?? shared;
    const salts = leading ? splitTopLevel(leading, "、") : [undefined];
    return p.bases.flatMap((baseForm) =>
      salts.map((salt) => {
        const qualifiers = [salt, p.trailing].filter((q): q is string => !!q);
        return { baseForm, form: baseForm + qualifiers.map((q) => `(${q})`).join("") };
      }),
    );
  });
}

interface ParsedFormItem {
  leading?: string;
  bases: string[];
  trailing?: string;
}

function parseFormItem(item: string): ParsedFormItem | undefined {
  const m = /^(?:\(([^()]+)\))?(.+?)(?:\(([^()]+)\))?$/.exec(item);
  if (!m?.[2]) return undefined;
  const [, leading, core, trailing] = m;
  if (KNOWN_FORM_SET.has(core)) return { leading, bases: [core], trailing };
  // "肠溶(片剂、胶囊)" / "缓释(片、胶囊)": a release type shared by several forms.
  const grouped = /^(肠溶|缓释)$/.exec(core);
  if (grouped?.[1] && trailing) {
    const bases = trailing.split("、").map((f) => grouped[1] + f.replace(/^片剂$/, "片"));
    return bases.every((b) => KNOWN_FORM_SET.has(b)) ? { leading, bases } : undefined;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Text normalisation and segmentation
// ---------------------------------------------------------------------------------------------

const PUNCTUATION: Record<string, string> = {
  "：": ":",
  "∶": ":", // RATIO, used in "1ml∶10mg"
  "；": ";",
  "（": "(",
  "）": ")",
  "［": "[",
  "］": "]",
  "，": ",",
  "／": "/",
  "％": "%",
  μ: "µ", // Greek mu → micro sign, the character StrengthUnit uses
};
const PUNCTUATION_RE = new RegExp(`[${Object.keys(PUNCTUATION).join("")}]`, "g");

/**
 * Full-width punctuation to ASCII, and all whitespace removed: every space in this column is a
 * PDF artefact ("0. 125g", "1ml ∶10mg", "5000 单 位"), and Chinese text needs none.
 * `、` stays: it is the list separator and has no ASCII equivalent.
 */
function normaliseFormsText(text: string): string {
  return text
    .replace(PUNCTUATION_RE, (c) => PUNCTUATION[c] ?? c)
    .replace(/\s+/g, "")
    .replace(/(\d)ug/g, "$1µg")
    .replace(METERED_PROSE, "$1揿:每揿$2$3");
}

/**
 * "每瓶100揿，每揿含布地奈德200µg" is the metered-device statement "100揿:每揿200µg" in prose
 * (issue 10). Only a single-ingredient one: a list of ingredients (布地格福 "…160µg、格隆铵…")
 * stays unread.
 */
const METERED_PROSE = /每瓶(\d+)揿,每揿含[\u4e00-\u9fff]*?(\d+(?:\.\d+)?)(µg|mg)(?![、和\d.])/g;

/**
 * Some rows lost the `；` between two segments in the PDF ("注射液：2ml∶0.1mg贴剂",
 * "…0.5g（乳酸盐）氯化钠注射液：…"). Where a strength is directly followed by a known dose form
 * (with an optional salt qualifier) that starts a new segment, put the separator back.
 */
const MISSING_SEPARATOR = new RegExp(
  `(?<=\\d(?:[a-zA-Zµ%]+|单位)(?:\\([^()]*\\))*)((?:\\([^()]*[盐酯]\\))?(?:(?:肠溶|缓释)\\(|(?:${FORM_ALTERNATION})(?=[:;、(]|$)))`,
  "g",
);

function restoreSeparators(text: string): string {
  return text.replace(MISSING_SEPARATOR, ";$1");
}

/** Splits on `sep` outside () and []. */
function splitTopLevel(text: string, sep: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "(" || c === "[") depth++;
    else if ((c === ")" || c === "]") && depth > 0) depth--;
    else if (depth === 0 && c === sep) {
      out.push(text.slice(start, i));
      start = i + 1;
    }
  }
  out.push(text.slice(start));
  return out;
}

/** The text outside () and [] (one level of nesting is enough for this list). */
function withoutBrackets(text: string): string {
  return text.replace(/\((?:[^()]|\([^()]*\))*\)|\[[^[\]]*\]/g, "");
}

/** "5ml:175mg…": a volume-and-amount strength, which cannot be anything but a strength. */
const VOLUME_RATIO = /^\d+(\.\d+)?ml:\d/;

/** Index of the first `:` outside brackets, or -1. */
function topLevelColon(text: string): number {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "(" || c === "[") depth++;
    else if ((c === ")" || c === "]") && depth > 0) depth--;
    else if (depth === 0 && c === ":") return i;
  }
  return -1;
}

// ---------------------------------------------------------------------------------------------
// Strengths
// ---------------------------------------------------------------------------------------------

const NUMBER = String.raw`\d+(?:\.\d+)?`;

/** The list's unit spellings → StrengthUnit. */
const UNITS: Record<string, StrengthUnit> = {
  g: "g",
  mg: "mg",
  µg: "µg",
  ml: "ml",
  IU: "IU",
  万IU: "万IU",
  国际单位: "IU",
  万国际单位: "万IU",
  单位: "U",
  万单位: "万U",
  mmol: "mmol",
  "%": "%",
  "mg/ml": "mg/ml",
  "µg/ml": "µg/ml",
  "IU/ml": "IU/ml",
  "单位/ml": "U/ml",
  "mg/g": "mg/g",
};
const MASS_UNITS: Record<string, number> = { g: 1e6, mg: 1e3, µg: 1 };
/** Units that measure an amount of drug (not a concentration, not a volume of product). */
const AMOUNT_UNITS = new Set<StrengthUnit>(["g", "mg", "µg", "IU", "万IU", "U", "万U", "mmol"]);

/** Dispensing units the list names in "每袋装…", "…/瓶". */
const CONTAINERS = new Set(["袋", "瓶", "支", "粒", "片", "丸", "贴", "张", "听", "盒", "枚", "包"]);
const ACTUATIONS = /[揿吸喷]/;

interface ParsedStrength {
  strength: Strength;
  container?: string; // dispensing unit named by the text
  volumeMl?: number; // container volume, for "100ml:0.2g"
  actuations?: number; // metered doses in one device, for "200揿:每揿100µg"
  note: string; // the annotations that were dropped, e.g. "(40万单位)"
}
type Parse<T> = { ok: true; value: T } | { ok: false; reason: string };
const fail = (reason: string): { ok: false; reason: string } => ({ ok: false, reason });

interface ItemContext {
  chinesePatent: boolean;
  container?: string; // from a "每袋装" prefix
}

/**
 * One strength item: "0.25g", "0.25g(40万单位)", "1ml:0.1g", "100mg/10ml", "3.5g/袋", "60万单位".
 *
 * Convention: the strength is the amount of drug per dispensing unit. For a solution written
 * "1ml:0.1g" that is 0.1 g in the 1 ml ampoule (value 0.1, unit g), not a concentration. Where
 * the list gives only a concentration ("10mg/ml", "2%") the strength is that concentration.
 * For 中成药 the list's 规格 is the amount of the preparation itself ("每袋装10g": 10 g of
 * granules per sachet), which is also what is prescribed, so that is the strength.
 */
function parseStrengthItem(item: string, ctx: ItemContext): Parse<ParsedStrength> {
  const notes = stripNotes(item);
  if (!notes.ok) return notes;
  const { core, note, volumeMl } = notes.value;
  const parsed = parseCore(core, ctx);
  if (!parsed.ok) return parsed;
  const value = { ...parsed.value, container: parsed.value.container ?? ctx.container, note };
  if (volumeMl === undefined) return { ok: true, value };
  // A volume beside an amount names the container; beside a concentration it would be lost.
  if (!AMOUNT_UNITS.has(value.strength.unit) || value.volumeMl !== undefined) {
    return fail("concentration with a container volume; the amount per container is not stated");
  }
  return { ok: true, value: { ...value, volumeMl } };
}

function parseCore(core: string, ctx: ItemContext): Parse<Omit<ParsedStrength, "note">> {
  let m = new RegExp(`^(${NUMBER})([^\\d:/]+(?:/ml|/g)?)$`).exec(core);
  if (m?.[1] && m[2]) return simpleAmount(Number(m[1]), m[2], ctx);
  // "100ml:0.2g": amount in a container of that volume.
  m = new RegExp(`^(${NUMBER})ml:(${NUMBER})([^\\d:/]+)$`).exec(core);
  if (m?.[1] && m[2] && m[3]) return amountInContainer(Number(m[2]), m[3], Number(m[1]));
  // "100mg/10ml": the same, written the other way round.
  m = new RegExp(`^(${NUMBER})([^\\d:/]+)/(${NUMBER})ml$`).exec(core);
  if (m?.[1] && m[2] && m[3]) return amountInContainer(Number(m[1]), m[2], Number(m[3]));
  // "3.5g/袋", "12.5ml/瓶": amount per named dispensing unit.
  m = new RegExp(`^(${NUMBER})([^\\d:/]+)/([\\u4e00-\\u9fff])$`).exec(core);
  if (m?.[1] && m[2] && m[3]) return amountPerNamedUnit(Number(m[1]), m[2], m[3], ctx);
  // "200揿:每揿100µg": a metered device (issue 10): the strength is the amount per actuation,
  // as the label's 规格 states it, and the device (支) holds that many actuations.
  m = METERED.exec(core);
  if (m?.[1] && m[2] && m[3]) return meteredDevice(Number(m[1]), Number(m[2]), m[3]);
  return fail(explainUnreadable(core));
}

function simpleAmount(value: number, rawUnit: string, ctx: ItemContext): Parse<Omit<ParsedStrength, "note">> {
  if (ACTUATIONS.test(rawUnit)) return fail("count of actuations; the amount per dispensing unit is not stated");
  const unit = UNITS[rawUnit];
  if (!unit) return fail(`unit "${rawUnit}" is not a strength unit`);
  // A bare volume of a chemical drug's product ("注射液：10ml", "250ml") says nothing about the
  // amount of drug in it. A 中成药 preparation is itself the medicine, so its fill volume is its 规格.
  if (unit === "ml" && !ctx.chinesePatent) return fail("volume of product only; the amount of drug is not stated");
  return { ok: true, value: { strength: { value, unit } } };
}

const METERED = new RegExp(`^(\\d+)[揿喷吸]:每[揿喷吸](${NUMBER})(µg|mg)$`);

function meteredDevice(actuations: number, value: number, rawUnit: string): Parse<Omit<ParsedStrength, "note">> {
  const unit = UNITS[rawUnit];
  if (!unit) return fail(`unit "${rawUnit}" is not a strength unit`);
  return { ok: true, value: { strength: { value, unit }, container: "支", actuations } };
}

function amountInContainer(value: number, rawUnit: string, volumeMl: number): Parse<Omit<ParsedStrength, "note">> {
  const unit = UNITS[rawUnit];
  if (!unit) return fail(`unit "${rawUnit}" is not a strength unit`);
  if (!AMOUNT_UNITS.has(unit)) return fail(`"${rawUnit}" per container volume is not an amount of drug`);
  return { ok: true, value: { strength: { value, unit }, volumeMl } };
}

function amountPerNamedUnit(value: number, rawUnit: string, container: string, ctx: ItemContext): Parse<Omit<ParsedStrength, "note">> {
  if (ACTUATIONS.test(container)) return fail("amount per actuation; the content of the dispensing unit is not stated");
  if (!CONTAINERS.has(container)) return fail(`"${container}" is not a dispensing unit`);
  const simple = simpleAmount(value, rawUnit, ctx); // "12.5ml/瓶": a 中成药 fill volume
  return simple.ok ? { ok: true, value: { ...simple.value, container } } : simple;
}

/** A reason for a strength text that matches none of the accepted shapes. */
function explainUnreadable(core: string): string {
  if (ACTUATIONS.test(core)) return "amount per actuation; the content of the dispensing unit is not stated";
  if (/×/.test(core)) return "plaster size, not an amount";
  if (/[与和]/.test(core) || /\d[a-zµ]+\/\d/.test(core)) return "multi-ingredient composition";
  if (core.includes(",")) return "concentration and fill volume joined by a comma; not read";
  if (core.includes("每")) return "per-unit statement for a product variant (素丸, 薄膜衣滴丸…); not read";
  const ratio = core.split(":");
  if (ratio.length > 2) return "multi-ingredient ratio";
  if (ratio.length === 2) {
    const [a = "", b = ""] = ratio;
    if (/^\d+(\.\d+)?$/.test(a) || /^\d+(\.\d+)?$/.test(b) || /=/.test(core)) return "ratio without amounts";
    const massA = new RegExp(`^${NUMBER}(g|mg|µg)$`).test(a);
    const massB = new RegExp(`^${NUMBER}(g|mg|µg)$`).test(b);
    if (massA && massB) return "mass:mass ratio: a container weight or a two-ingredient ratio, ambiguous";
    return "ratio in an unrecognised form";
  }
  return "unrecognised strength text";
}

/** Annotations that restate or qualify the amount without changing it. */
function acceptedNote(note: string): boolean {
  return (
    new RegExp(`^${NUMBER}万?(单位|IU|国际单位)$`).test(note) || // "(40万单位)" beside a mass
    (note.includes("相当于") && !note.includes(":")) || // herbal equivalent "(相当于饮片2.1g)"
    /^含[^:]+$/.test(note) || // "(含黄芩苷20mg)": marker content
    /^(以.+计|Fe|I|三七总皂苷)$/.test(note) || // the basis of the amount: "(以铋计)", "(Fe)"
    /^每\d+[丸粒]重[^:]+$/.test(note) // "每袋装6g(每30丸重6g)": the pill count in that amount
  );
}

interface StrippedItem {
  core: string;
  note: string;
  volumeMl?: number; // "250IU(2.5ml)": the container volume given as an annotation
}

/** Removes trailing "(...)" / "[...]" annotations; fails on one that changes the meaning. */
function stripNotes(item: string): Parse<StrippedItem> {
  let core = item;
  let note = "";
  let volumeMl: number | undefined;
  for (;;) {
    const close = core.at(-1);
    if (close !== ")" && close !== "]") return { ok: true, value: { core, note, volumeMl } };
    const open = matchingOpen(core);
    if (open <= 0) return fail("unbalanced brackets");
    const inner = core.slice(open + 1, -1);
    const volume = new RegExp(`^(${NUMBER})ml$`).exec(inner);
    if (volume?.[1] && volumeMl === undefined) volumeMl = Number(volume[1]);
    else if (!acceptedNote(inner)) return fail(explainNote(inner));
    note = core.slice(open) + note;
    core = core.slice(0, open);
  }
}

function explainNote(inner: string): string {
  if (inner.includes(":")) return `annotation "(${inner})" gives an ingredient ratio`;
  if (/[与和;,]/.test(inner)) return `annotation "(${inner})" lists several ingredients`;
  if (/ml/.test(inner)) return `annotation "(${inner})" lists container volumes`;
  return `annotation "(${inner})" qualifies the product; not read`;
}

function matchingOpen(text: string): number {
  let depth = 0;
  for (let i = text.length - 1; i >= 0; i--) {
    const c = text[i];
    if (c === ")" || c === "]") depth++;
    else if (c === "(" || c === "[") {
      depth--;
      if (depth === 0) return i;
    }
  }
  return -1;
}

/** Strength in µg for masses, so that 0.1g and 100mg are recognised as the same strength. */
function strengthKey(s: Strength): string {
  const factor = MASS_UNITS[s.unit];
  return factor ? `${Math.round(s.value * factor * 1000) / 1000}µg` : `${s.value}${s.unit}`;
}

// ---------------------------------------------------------------------------------------------
// Clauses: "每袋装3g、6g", "每丸重9g", "每10丸重1.8g", "每1g相当于饮片3g"
// ---------------------------------------------------------------------------------------------

interface Clause {
  container?: string;
  items: string[];
}

/** Reads a clause's "每<unit>装" prefix; the items after it all share that unit. */
function parseClause(clause: string): Parse<Clause> {
  if (!clause.startsWith("每")) return { ok: true, value: { items: splitTopLevel(clause, "、") } };
  const bare = withoutBrackets(clause);
  if (bare.includes("相当于")) return fail("herbal-equivalent statement, not an amount per dispensing unit");
  if (/^每[^\d]*?含/.test(bare)) return fail("content of named ingredient(s), not the product's strength");
  const m = new RegExp(`^每(${NUMBER})?([\\u4e00-\\u9fff]+?)(?:\\(([\\u4e00-\\u9fff])\\))?(装|净重|重)?(?=\\d|$)`).exec(clause);
  if (!m?.[2]) return fail("unrecognised per-unit statement");
  const [prefix, count, unit] = m;
  if (count) return fail("weight of several units (每N丸重…), not an amount per dispensing unit");
  if (ACTUATIONS.test(unit)) return fail("amount per actuation; the content of the dispensing unit is not stated");
  if (!CONTAINERS.has(unit)) return fail(`"每${unit}" is not a dispensing unit`);
  const rest = clause.slice(prefix.length);
  if (!rest) return fail("per-unit statement without an amount");
  // "每袋（瓶）装6g": sold in sachets or bottles of the same content; the first one named is used.
  return { ok: true, value: { container: unit, items: splitTopLevel(rest, "、") } };
}

/**
 * Splits a body into clauses, each a list of amounts with at most one leading "每…" statement.
 *
 * `，` separates statements where the next part starts a new one: with "每" ("每丸重9g，每袋装6g"),
 * or, in 中成药 texts, with a new amount ("12.5ml/瓶，25ml/瓶"). In chemical-drug texts `，` also
 * joins a concentration to a fill volume ("10mg/ml，0.2ml/支"), which must stay together (and is
 * then reported). Inside a list, an item starting with "每" starts a new clause too
 * ("每袋装2.5g、每袋装5g").
 */
function splitClauses(body: string, chinesePatent: boolean): string[] {
  const parts: string[] = [];
  for (const part of splitTopLevel(body, ",")) {
    const startsNew = part.startsWith("每") || (chinesePatent && /^\d/.test(part));
    if (parts.length > 0 && !startsNew) parts[parts.length - 1] += `,${part}`;
    else parts.push(part);
  }
  return parts.flatMap((part) => {
    const clauses: string[][] = [];
    for (const piece of splitTopLevel(part, "、")) {
      const current = clauses.at(-1);
      if (current && !piece.startsWith("每")) current.push(piece);
      else clauses.push([piece]);
    }
    return clauses.map((c) => c.join("、"));
  });
}

// ---------------------------------------------------------------------------------------------
// A row's forms-and-strengths text → products
// ---------------------------------------------------------------------------------------------

interface Product {
  baseForm: string;
  form: string;
  strength: Strength;
  container?: string;
  volumeMl?: number;
  actuations?: number;
  note: string;
}

interface Problem {
  text: string;
  reason: string;
}

interface RowParse {
  products: Product[];
  problems: Problem[];
}

export function parseFormsText(formsText: string, chinesePatent: boolean): RowParse {
  const out: RowParse = { products: [], problems: [] };
  const text = restoreSeparators(normaliseFormsText(formsText));
  if (!text) {
    out.problems.push({ text: "", reason: "no dose forms listed (a class entry; see the list's footnote)" });
    return out;
  }
  let forms: FormSpec[] | undefined;
  let formsLabel = "";
  for (const segment of splitTopLevel(text, ";").filter((s) => s !== "")) {
    const colon = topLevelColon(segment);
    if (forms && (segment.startsWith("每") || VOLUME_RATIO.test(segment) || METERED.test(segment))) {
      // A "；" inside one form's statements ("合剂：每瓶装100ml；每支装10ml") or a PDF break in
      // its list ("注射液：…每支装；5ml∶175mg"): a segment always starts with a form otherwise.
      parseBody(segment, forms, formsLabel, chinesePatent, out);
      continue;
    }
    const formText = colon === -1 ? segment : segment.slice(0, colon);
    forms = parseFormList(formText);
    formsLabel = formText;
    if (/^\d/.test(segment)) {
      // "…；0.2mg；…", "…；200揿：每揿140μg": which form or unit these belong to is not certain.
      out.problems.push({ text: segment, reason: "amounts without a dose form (a break in the PDF text)" });
    } else if (!forms) {
      out.problems.push({ text: segment, reason: `unrecognised dose form "${formText}"` });
    } else if (colon === -1) {
      out.problems.push({ text: segment, reason: "dose form listed without a strength" });
    } else {
      parseBody(segment.slice(colon + 1), forms, formText, chinesePatent, out);
    }
  }
  return out;
}

function parseBody(body: string, forms: FormSpec[], formsLabel: string, chinesePatent: boolean, out: RowParse): void {
  for (const clauseText of splitClauses(body, chinesePatent)) {
    if (clauseText === "") continue;
    const clause = parseClause(clauseText);
    if (!clause.ok) {
      out.problems.push({ text: `${formsLabel}:${clauseText}`, reason: clause.reason });
      continue;
    }
    const items = clause.value.items.filter((i) => i !== "");
    // "每丸重6g，素丸每10丸重1.5g、2.2g": an item holding another statement means the later bare
    // amounts may belong to it, so none of the clause is trusted.
    if (items.length > 1 && items.some((i) => /[每,]/.test(withoutBrackets(i)))) {
      out.problems.push({ text: `${formsLabel}:${clauseText}`, reason: "several statements mixed in one list; not read" });
      continue;
    }
    for (const item of items) {
      const parsed = parseStrengthItem(item, { chinesePatent, container: clause.value.container });
      if (!parsed.ok) {
        out.problems.push({ text: `${formsLabel}:${item}`, reason: parsed.reason });
        continue;
      }
      for (const f of forms) addProduct(out, { ...f, ...parsed.value }, `${formsLabel}:${item}`);
    }
  }
}

function addProduct(out: RowParse, p: Product, text: string): void {
  const twin = out.products.find((q) => sameEntry(q, p));
  if (!twin) out.products.push(p);
  else if (twin.note !== p.note || twin.volumeMl !== p.volumeMl) out.problems.push({ text, reason: INDISTINGUISHABLE });
}

/**
 * An entry is identified by form, strength and dispensing unit ("丸剂 9g" per 丸 and per 袋 are two
 * products). The same three with a different volume ("1ml∶10mg" and "2ml∶10mg") or, within one
 * row, a different annotation ("每袋装5g（相当于净饮片15g）" / "（…30g）") are two products the
 * entry cannot tell apart: the later one is reported instead of merged.
 */
function sameEntry(a: Product, b: Product): boolean {
  return a.form === b.form && strengthKey(a.strength) === strengthKey(b.strength) && a.container === b.container;
}
const INDISTINGUISHABLE =
  "same form, strength and dispensing unit as an earlier item but a different volume or annotation; the entry cannot tell them apart";

// ---------------------------------------------------------------------------------------------
// Route, dispensing unit, △
// ---------------------------------------------------------------------------------------------

/**
 * The route a dose form alone implies, or undefined where the form does not settle it
 * (injections; 喷雾剂; a 中成药 酊剂 or 气雾剂, which may be oral or external; a 栓剂 in a
 * gynaecology section, which may be vaginal or rectal).
 */
function inferRoute(baseForm: string, row: NemlRow): Route | undefined {
  if (isInjection(baseForm)) return undefined;
  if (row.remarks.includes("外用")) return "topical";
  const rules: [RegExp, Route | undefined][] = [
    [/眼/, "ophthalmic"],
    [/鼻/, "nasal"],
    [/滴耳/, "otic"],
    [/舌下/, "sublingual"],
    [/阴道/, "vaginal"],
    [/^栓剂$/, /妇/.test(row.category ?? "") ? undefined : "rectal"],
    [/灌肠/, "rectal"],
    [/吸入/, "inhalation"],
    [/^气雾剂$/, row.chinesePatent ? undefined : "inhalation"],
    [/^酊剂$/, row.chinesePatent ? undefined : "topical"],
    [/^贴剂$/, "transdermal"],
    [/贴膏剂|膏药|软膏|乳膏|凝胶|搽剂|涂剂|洗剂|外用/, "topical"],
    [/片|胶囊|胶丸|颗粒|混悬|口服|糖浆|丸|散剂|粉剂|合剂|煎膏剂|口溶膜|^滴剂$/, "oral"],
  ];
  for (const [re, route] of rules) if (re.test(baseForm)) return route;
  return undefined;
}

/** The single dispensing unit of a form, when the text names none. */
function dispensingUnit(p: Product): string | undefined {
  if (p.container) return p.container;
  const f = p.baseForm;
  if (/注射用/.test(f)) return "支";
  if (/(氯化钠|葡萄糖)注射液/.test(f)) return "瓶";
  // Ampoules are 支; infusion bottles of 50 ml and more are 瓶.
  if (isInjection(f)) return (p.volumeMl ?? 0) >= 50 ? "瓶" : "支";
  const units: [RegExp, string][] = [
    [/胶囊|胶丸/, "粒"],
    [/片$|片剂$/, "片"],
    [/颗粒|干混悬剂|散剂/, "袋"],
    [/丸/, "丸"],
    [/栓/, "枚"],
    [/贴剂|贴膏剂/, "贴"],
    [/膏药/, "张"],
    [/软膏|乳膏|凝胶|眼膏|胶浆|灌肠|吸入用溶液|雾化吸入用混悬液/, "支"],
    [/溶液|混悬液|糖浆|滴剂|合剂|酒剂|酊剂|滴眼|滴鼻|滴耳|喷雾|气雾|洗剂|煎膏|涂剂/, "瓶"],
  ];
  return units.find(([re]) => re.test(f))?.[1];
}

/** △ applies to every form, or only to those named before it in 备注 ("注射液△"). */
function specialistFor(row: NemlRow): (baseForm: string) => boolean {
  if (!row.specialist) return () => false;
  const named = /([^\s△]+)△/.exec(row.remarks)?.[1];
  if (!named) return () => true;
  const forms = new Set(named.split("、"));
  return (baseForm) => forms.has(baseForm);
}

// ---------------------------------------------------------------------------------------------
// Entries
// ---------------------------------------------------------------------------------------------

interface Drug {
  main: NemlRow;
  products: { product: Product; row: NemlRow }[];
}

/**
 * Converts the CSV. `facts` supplies what the list lacks (ATC, conditions, control class, pack,
 * route…), keyed by NEML number; every produced entry is validated with EntryContent and an
 * entry that fails is reported in `unparsed` with the schema's message.
 */
export function convertNeml(csvText: string, facts: (nemlNo: string) => DrugFacts | undefined): NemlConversion {
  const out: NemlConversion = { entries: [], unparsed: [] };
  for (const [nemlNo, drug] of collectDrugs(readRows(csvText), out.unparsed)) {
    convertDrug(nemlNo, drug, facts(nemlNo) ?? {}, out);
  }
  return out;
}

/** Parses every row and groups the products by NEML number, in order of appearance. */
function collectDrugs(rows: NemlRow[], unparsed: UnparsedItem[]): Map<string, Drug> {
  const drugs = new Map<string, Drug>();
  for (const row of rows) {
    const report = (text: string, reason: string) =>
      unparsed.push({ nemlCode: row.nemlNo, genericName: row.genericName, text, reason });
    const { products, problems } = parseFormsText(row.formsText, row.chinesePatent);
    for (const p of problems) report(p.text, p.reason);
    const drug = drugs.get(row.nemlNo) ?? { main: row, products: [] };
    drugs.set(row.nemlNo, drug);
    for (const text of mergeProducts(drug, products, row)) report(text, INDISTINGUISHABLE);
  }
  return drugs;
}

function convertDrug(nemlNo: string, drug: Drug, f: DrugFacts, out: NemlConversion): void {
  if (drug.products.length > 99) throw new Error(`${nemlNo}: more than 99 products, the two-digit serial overflows`);
  const routeOf = routeResolver(drug, f);
  const report = (product: Product, reason: string) =>
    out.unparsed.push({ nemlCode: nemlNo, genericName: drug.main.genericName, text: describe(product), reason });
  for (const [i, { product, row }] of drug.products.entries()) {
    // The serial follows the order of appearance and is fixed before validation, so a product
    // that fails (for want of a dispensing unit, or on facts) does not shift the later codes.
    const code = `${nemlNo}-${String(i + 1).padStart(2, "0")}`;
    const pack = packFor(product, f);
    if (!pack) {
      report(product, `no single dispensing unit is known for the form "${product.baseForm}"`);
      continue;
    }
    const result = EntryContent.safeParse(buildEntry(code, drug.main, row, product, f, pack, routeOf(product, row)));
    if (result.success) out.entries.push(result.data);
    else report(product, `schema: ${result.error.issues.map((s) => `${s.path.join(".") || "entry"}: ${s.message}`).join("; ")}`);
  }
}

/**
 * Cross-listing rows (*（N）) add their forms and strengths to entry N's, without repeats; the
 * first row that lists a product gives its NEML category and △. Returns the products that clash.
 */
function mergeProducts(drug: Drug, products: Product[], row: NemlRow): string[] {
  const conflicts: string[] = [];
  for (const product of products) {
    const twin = drug.products.find((q) => sameEntry(q.product, product));
    if (!twin) drug.products.push({ product, row });
    else if (twin.product.volumeMl !== product.volumeMl) conflicts.push(describe(product));
  }
  return conflicts;
}

/**
 * facts.route is "for injections mostly". It is used for the forms whose route the form does not
 * settle; only when every form of the drug has an implied route can it mean those forms, and then
 * it overrides them (a tablet-only drug cannot have an intravenous route meant for another form).
 */
function routeResolver(drug: Drug, f: DrugFacts): (p: Product, row: NemlRow) => Route {
  const allImplied = drug.products.every(({ product, row }) => inferRoute(product.baseForm, row) !== undefined);
  return (p, row) => {
    const implied = inferRoute(p.baseForm, row);
    if (f.route && (implied === undefined || allImplied)) return f.route;
    return implied ?? "other";
  };
}

interface Pack {
  size: number;
  unit: string;
}

/** The entry before validation; `main` names the drug, `row` is the listing the product came from. */
function buildEntry(code: string, main: NemlRow, row: NemlRow, p: Product, f: DrugFacts, pack: Pack, route: Route): z.input<typeof EntryContent> {
  const controlClass = controlClassFor(f, p);
  const antimicrobial = f.antimicrobial ?? null;
  const antiTb = f.antiTb ?? false;
  const storage = f.storage ?? "normal";
  const conditions = f.conditions ?? [];
  const specialistOnly = specialistFor(row)(p.baseForm);
  const injection = isInjection(p.baseForm);
  // Derived eligibility needs a chronic condition and no exclusion (长期处方管理规范 第十三条).
  // Injections are left out of the derivation: a long prescription is supplied for use at home,
  // and the injections of chronic-disease numbers (硝酸甘油, 呋塞米, 胺碘酮 …) are acute hospital
  // products. Facts can still set longRxEligible explicitly (e.g. for a self-injected pen).
  const derivedLongRx = conditions.length > 0 && !injection && longRxExclusion({ controlClass, antimicrobial, antiTb, storage, conditions }) === null;
  return {
    code,
    genericName: main.genericName,
    innName: main.innName,
    pinyin: main.pinyin,
    form: p.form,
    strength: p.strength,
    pack,
    route,
    atc: f.atc ?? null,
    ingredients: nemlIngredients(main.nemlNo, main, f.atc),
    nhsaCode: null,
    nemlCategory: row.category,
    essential: true,
    insuranceClass: null,
    vbp: false,
    specialistOnly,
    controlClass,
    antimicrobial,
    antiTb,
    storage,
    longRxEligible: f.longRxEligible ?? derivedLongRx,
    conditions,
    minLevel: f.minLevel ?? (controlClass ? "secondary" : specialistOnly || injection ? "primary" : "village"),
    maxDailyDose: maxDailyDoseFor(f, route, p),
    dosing: dosingFor(main.nemlNo, p, route),
    price: null,
    freeProgramme: f.freeProgramme ?? false,
    status: "active",
    effectiveFrom: EFFECTIVE_FROM,
  };
}

/** The class of the product's form where the facts give one (咪达唑仑片 class II, its injection class I). */
function controlClassFor(f: DrugFacts, p: Product): NonNullable<DrugFacts["controlClass"]> | null {
  const byForm = f.controlClassForms?.find((c) => c.forms.includes(p.form) || c.forms.includes(p.baseForm));
  return byForm ? byForm.controlClass : (f.controlClass ?? null);
}

/**
 * The product's adult maximum daily dose: the most specific `maxDailyDoses` fact that matches it
 * (a strength beats a form, a form beats the whole route), else the route's `maxDailyDose`.
 * Forms and strengths of one NEML number differ (格列齐特片 240 mg, 缓释片 120 mg), so a route
 * alone cannot carry the label's figure.
 */
function maxDailyDoseFor(f: DrugFacts, route: Route, p: Product): Dose | null {
  let best: { rank: number; dose: Dose | null } | undefined;
  for (const fact of f.maxDailyDoses ?? []) {
    if (fact.route !== route) continue;
    if (fact.forms && !fact.forms.includes(p.form) && !fact.forms.includes(p.baseForm)) continue;
    if (fact.strengths && !fact.strengths.some((s) => s.value === p.strength.value && s.unit === p.strength.unit)) continue;
    const rank = (fact.strengths ? 2 : 0) + (fact.forms ? 1 : 0);
    if (!best || rank > best.rank) best = { rank, dose: fact.dose };
  }
  return best ? best.dose : (f.maxDailyDose?.[route] ?? null);
}

/**
 * How the product is dosed beyond strength × pack (issue 10): the bottle's or ampoule's volume
 * and the device's actuations as the list states them, 适量 for topical forms other than
 * plasters (counted per 贴), and the per-form facts of facts-dosing.ts (drops per ml, patch
 * wear time). Label schedules and single-dose maxima are not copied here: the rules apply
 * worker/rules/label-facts.ts to every entry whose own dosing is silent, seeded or imported.
 */
function dosingFor(nemlNo: string, p: Product, route: Route): EntryContent["dosing"] {
  const dosing: NonNullable<EntryContent["dosing"]> = {};
  if (p.volumeMl !== undefined) dosing.containerVolume = { value: p.volumeMl, unit: "ml" };
  if (p.actuations !== undefined) dosing.actuations = p.actuations;
  if (route === "topical" && !/贴|膏药/.test(p.baseForm)) dosing.topical = true;
  for (const fact of formDosingFacts(nemlNo, p.baseForm)) Object.assign(dosing, fact.dosing);
  return Object.keys(dosing).length > 0 ? dosing : null;
}

/** The facts' typical pack, else one single dispensing unit: a pack size is never invented. */
function packFor(p: Product, f: DrugFacts): Pack | undefined {
  const pack = f.pack;
  if (pack && (!pack.forms || pack.forms.includes(p.form) || pack.forms.includes(p.baseForm))) {
    return { size: pack.size, unit: pack.unit };
  }
  const unit = dispensingUnit(p);
  return unit ? { size: 1, unit } : undefined;
}

function describe(p: Product): string {
  return `${p.form}:${p.strength.value}${p.strength.unit}`;
}

/** The list with the project's facts (seeds/neml/facts.ts). */
export function nemlSeed(csvText: string): NemlConversion {
  return convertNeml(csvText, drugFacts);
}
