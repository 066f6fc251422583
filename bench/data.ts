/**
 * Synthetic but realistic formulary entries for the benchmark: real generic names (with
 * salt / compound variants), their INN and ATC code, dosage forms with plausible
 * strengths and packs, pinyin initials computed with pinyin-pro (as the app would).
 * Deterministic: the same seed gives the same entries.
 */
import { pinyin } from "pinyin-pro";

/** The JSON shape of `EntryInput` (worker/formulary/formulary.schemas.ts) that we send. */
export interface EntryJson {
  code: string;
  genericName: string;
  innName: string | null;
  pinyin: string;
  form: string;
  strength: { value: number; unit: string };
  pack: { size: number; unit: string };
  route: string;
  atc: string | null;
  essential: boolean;
  insuranceClass: "A" | "B" | null;
  vbp: boolean;
  specialistOnly: boolean;
  controlClass: string | null;
  antimicrobial: string | null;
  antiTb: boolean;
  storage: "normal" | "cold_chain" | "special";
  longRxEligible: boolean;
  conditions: string[];
  minLevel: "village" | "primary" | "secondary" | "tertiary";
  maxDailyDose: { value: number; unit: string } | null;
  price: number | null;
  status: "active" | "suspended" | "withdrawn";
  effectiveFrom: string;
}

type FormKey = "tab" | "srtab" | "ectab" | "cap" | "inj" | "powder" | "gran" | "syrup" | "eye" | "oint" | "inh";

interface FormSpec {
  name: string;
  route: string;
  packUnit: string;
  packSizes: number[];
}

const FORMS: Record<FormKey, FormSpec> = {
  tab: { name: "片剂", route: "oral", packUnit: "片", packSizes: [7, 12, 14, 24, 28, 30, 48, 100] },
  srtab: { name: "缓释片", route: "oral", packUnit: "片", packSizes: [7, 14, 28, 30] },
  ectab: { name: "肠溶片", route: "oral", packUnit: "片", packSizes: [24, 30, 36, 100] },
  cap: { name: "胶囊", route: "oral", packUnit: "粒", packSizes: [10, 12, 20, 24, 30] },
  inj: { name: "注射液", route: "iv", packUnit: "支", packSizes: [1, 5, 10] },
  powder: { name: "注射用无菌粉末", route: "iv", packUnit: "瓶", packSizes: [1, 10] },
  gran: { name: "颗粒剂", route: "oral", packUnit: "袋", packSizes: [6, 9, 10, 12] },
  syrup: { name: "口服溶液", route: "oral", packUnit: "瓶", packSizes: [1] },
  eye: { name: "滴眼液", route: "ophthalmic", packUnit: "支", packSizes: [1] },
  oint: { name: "软膏", route: "topical", packUnit: "支", packSizes: [1] },
  inh: { name: "吸入气雾剂", route: "inhalation", packUnit: "瓶", packSizes: [1] },
};

interface Drug {
  name: string;
  inn: string | null;
  atc: string;
  forms: FormKey[];
  /** strengths of the solid/injectable forms */
  strengths: number[];
  unit: string;
  conditions: string[];
  chronic?: boolean;
  antimicrobial?: "unrestricted" | "restricted" | "special";
  antiTb?: boolean;
  controlClass?: string;
  cold?: boolean;
  minLevel?: EntryJson["minLevel"];
}

/** Real generic names of the essential medicines list (a sample across classes). */
const DRUGS: Drug[] = [
  { name: "阿莫西林", inn: "Amoxicillin", atc: "J01CA04", forms: ["cap", "tab", "gran"], strengths: [0.25, 0.5], unit: "g", conditions: ["J02", "J20"], antimicrobial: "unrestricted" },
  { name: "头孢呋辛", inn: "Cefuroxime", atc: "J01DC02", forms: ["tab", "powder"], strengths: [0.125, 0.25, 0.75, 1.5], unit: "g", conditions: ["J18"], antimicrobial: "unrestricted" },
  { name: "头孢曲松", inn: "Ceftriaxone", atc: "J01DD04", forms: ["powder"], strengths: [0.5, 1, 2], unit: "g", conditions: ["J18", "A41"], antimicrobial: "restricted", minLevel: "primary" },
  { name: "左氧氟沙星", inn: "Levofloxacin", atc: "J01MA12", forms: ["tab", "inj", "eye"], strengths: [0.1, 0.25, 0.5], unit: "g", conditions: ["J18", "N39"], antimicrobial: "restricted" },
  { name: "阿奇霉素", inn: "Azithromycin", atc: "J01FA10", forms: ["tab", "cap", "powder"], strengths: [0.125, 0.25, 0.5], unit: "g", conditions: ["J18", "A56"], antimicrobial: "unrestricted" },
  { name: "甲硝唑", inn: "Metronidazole", atc: "J01XD01", forms: ["tab", "inj"], strengths: [0.2, 0.5], unit: "g", conditions: ["A06", "K05"], antimicrobial: "unrestricted" },
  { name: "万古霉素", inn: "Vancomycin", atc: "J01XA01", forms: ["powder"], strengths: [0.5, 1], unit: "g", conditions: ["A41"], antimicrobial: "special", minLevel: "secondary" },
  { name: "异烟肼", inn: "Isoniazid", atc: "J04AC01", forms: ["tab", "inj"], strengths: [50, 100, 300], unit: "mg", conditions: ["A15"], antimicrobial: "unrestricted", antiTb: true },
  { name: "利福平", inn: "Rifampicin", atc: "J04AB02", forms: ["cap", "tab"], strengths: [150, 300, 450], unit: "mg", conditions: ["A15"], antimicrobial: "unrestricted", antiTb: true },
  { name: "阿昔洛韦", inn: "Aciclovir", atc: "J05AB01", forms: ["tab", "oint", "eye"], strengths: [0.1, 0.2, 0.4], unit: "g", conditions: ["B00", "B02"] },
  { name: "氟康唑", inn: "Fluconazole", atc: "J02AC01", forms: ["tab", "cap"], strengths: [50, 100, 150], unit: "mg", conditions: ["B37"], antimicrobial: "restricted" },
  { name: "阿司匹林", inn: "Aspirin", atc: "B01AC06", forms: ["ectab", "tab"], strengths: [25, 50, 100, 300], unit: "mg", conditions: ["I20", "I21", "I63"], chronic: true },
  { name: "氯吡格雷", inn: "Clopidogrel", atc: "B01AC04", forms: ["tab"], strengths: [25, 75], unit: "mg", conditions: ["I20", "I21", "I63"], chronic: true },
  { name: "华法林", inn: "Warfarin", atc: "B01AA03", forms: ["tab"], strengths: [1, 2.5, 3, 5], unit: "mg", conditions: ["I48", "I26"], chronic: true },
  { name: "氨氯地平", inn: "Amlodipine", atc: "C08CA01", forms: ["tab"], strengths: [2.5, 5, 10], unit: "mg", conditions: ["I10", "I20"], chronic: true, minLevel: "village" },
  { name: "硝苯地平", inn: "Nifedipine", atc: "C08CA05", forms: ["tab", "srtab"], strengths: [10, 20, 30], unit: "mg", conditions: ["I10"], chronic: true, minLevel: "village" },
  { name: "非洛地平", inn: "Felodipine", atc: "C08CA02", forms: ["srtab", "tab"], strengths: [2.5, 5], unit: "mg", conditions: ["I10"], chronic: true },
  { name: "卡托普利", inn: "Captopril", atc: "C09AA01", forms: ["tab"], strengths: [12.5, 25], unit: "mg", conditions: ["I10", "I50"], chronic: true },
  { name: "依那普利", inn: "Enalapril", atc: "C09AA02", forms: ["tab"], strengths: [5, 10], unit: "mg", conditions: ["I10", "I50"], chronic: true },
  { name: "缬沙坦", inn: "Valsartan", atc: "C09CA03", forms: ["cap", "tab"], strengths: [40, 80, 160], unit: "mg", conditions: ["I10"], chronic: true },
  { name: "厄贝沙坦", inn: "Irbesartan", atc: "C09CA04", forms: ["tab"], strengths: [75, 150], unit: "mg", conditions: ["I10", "E11"], chronic: true },
  { name: "氯沙坦", inn: "Losartan", atc: "C09CA01", forms: ["tab"], strengths: [50, 100], unit: "mg", conditions: ["I10"], chronic: true },
  { name: "美托洛尔", inn: "Metoprolol", atc: "C07AB02", forms: ["tab", "srtab", "inj"], strengths: [25, 47.5, 50, 100], unit: "mg", conditions: ["I10", "I20", "I48"], chronic: true },
  { name: "比索洛尔", inn: "Bisoprolol", atc: "C07AB07", forms: ["tab"], strengths: [2.5, 5], unit: "mg", conditions: ["I10", "I50"], chronic: true },
  { name: "氢氯噻嗪", inn: "Hydrochlorothiazide", atc: "C03AA03", forms: ["tab"], strengths: [10, 25], unit: "mg", conditions: ["I10"], chronic: true },
  { name: "呋塞米", inn: "Furosemide", atc: "C03CA01", forms: ["tab", "inj"], strengths: [20, 40], unit: "mg", conditions: ["I50", "N18"] },
  { name: "螺内酯", inn: "Spironolactone", atc: "C03DA01", forms: ["tab"], strengths: [20], unit: "mg", conditions: ["I50"], chronic: true },
  { name: "阿托伐他汀", inn: "Atorvastatin", atc: "C10AA05", forms: ["tab"], strengths: [10, 20, 40], unit: "mg", conditions: ["E78", "I25"], chronic: true },
  { name: "辛伐他汀", inn: "Simvastatin", atc: "C10AA01", forms: ["tab"], strengths: [10, 20, 40], unit: "mg", conditions: ["E78"], chronic: true },
  { name: "瑞舒伐他汀", inn: "Rosuvastatin", atc: "C10AA07", forms: ["tab"], strengths: [5, 10, 20], unit: "mg", conditions: ["E78"], chronic: true },
  { name: "硝酸甘油", inn: "Glyceryl trinitrate", atc: "C01DA02", forms: ["tab", "inj"], strengths: [0.5, 5], unit: "mg", conditions: ["I20"] },
  { name: "单硝酸异山梨酯", inn: "Isosorbide mononitrate", atc: "C01DA14", forms: ["tab", "srtab"], strengths: [20, 40, 60], unit: "mg", conditions: ["I20"], chronic: true },
  { name: "地高辛", inn: "Digoxin", atc: "C01AA05", forms: ["tab", "inj"], strengths: [0.125, 0.25], unit: "mg", conditions: ["I50", "I48"], chronic: true },
  { name: "胺碘酮", inn: "Amiodarone", atc: "C01BD01", forms: ["tab", "inj"], strengths: [150, 200], unit: "mg", conditions: ["I48", "I47"], minLevel: "primary" },
  { name: "二甲双胍", inn: "Metformin", atc: "A10BA02", forms: ["tab", "srtab", "ectab"], strengths: [0.25, 0.5, 0.85], unit: "g", conditions: ["E11"], chronic: true, minLevel: "village" },
  { name: "格列美脲", inn: "Glimepiride", atc: "A10BB12", forms: ["tab"], strengths: [1, 2], unit: "mg", conditions: ["E11"], chronic: true },
  { name: "格列齐特", inn: "Gliclazide", atc: "A10BB09", forms: ["tab", "srtab"], strengths: [30, 80], unit: "mg", conditions: ["E11"], chronic: true },
  { name: "阿卡波糖", inn: "Acarbose", atc: "A10BF01", forms: ["tab"], strengths: [50, 100], unit: "mg", conditions: ["E11"], chronic: true },
  { name: "胰岛素", inn: "Insulin (human)", atc: "A10AB01", forms: ["inj"], strengths: [300, 400], unit: "IU", conditions: ["E10", "E11"], cold: true },
  { name: "甘精胰岛素", inn: "Insulin glargine", atc: "A10AE04", forms: ["inj"], strengths: [300], unit: "IU", conditions: ["E10", "E11"], cold: true, minLevel: "primary" },
  { name: "左甲状腺素", inn: "Levothyroxine", atc: "H03AA01", forms: ["tab"], strengths: [25, 50, 100], unit: "µg", conditions: ["E03"], chronic: true },
  { name: "甲巯咪唑", inn: "Thiamazole", atc: "H03BB02", forms: ["tab"], strengths: [5, 10], unit: "mg", conditions: ["E05"], chronic: true },
  { name: "泼尼松", inn: "Prednisone", atc: "H02AB07", forms: ["tab"], strengths: [5], unit: "mg", conditions: ["M06", "J45"] },
  { name: "地塞米松", inn: "Dexamethasone", atc: "H02AB02", forms: ["tab", "inj"], strengths: [0.75, 2, 5], unit: "mg", conditions: ["T78", "J45"] },
  { name: "奥美拉唑", inn: "Omeprazole", atc: "A02BC01", forms: ["cap", "ectab", "powder"], strengths: [10, 20, 40], unit: "mg", conditions: ["K21", "K25"] },
  { name: "雷尼替丁", inn: "Ranitidine", atc: "A02BA02", forms: ["cap", "tab"], strengths: [150], unit: "mg", conditions: ["K25"] },
  { name: "多潘立酮", inn: "Domperidone", atc: "A03FA03", forms: ["tab"], strengths: [10], unit: "mg", conditions: ["K30"] },
  { name: "蒙脱石", inn: "Diosmectite", atc: "A07BC05", forms: ["gran"], strengths: [3], unit: "g", conditions: ["A09"] },
  { name: "乳果糖", inn: "Lactulose", atc: "A06AD11", forms: ["syrup"], strengths: [66.7], unit: "%", conditions: ["K59", "K72"] },
  { name: "布洛芬", inn: "Ibuprofen", atc: "M01AE01", forms: ["tab", "srtab", "syrup", "gran"], strengths: [0.1, 0.2, 0.3], unit: "g", conditions: ["R50", "M79"] },
  { name: "对乙酰氨基酚", inn: "Paracetamol", atc: "N02BE01", forms: ["tab", "syrup", "gran"], strengths: [0.1, 0.3, 0.5], unit: "g", conditions: ["R50", "R52"], minLevel: "village" },
  { name: "双氯芬酸", inn: "Diclofenac", atc: "M01AB05", forms: ["ectab", "srtab", "oint"], strengths: [25, 50, 75], unit: "mg", conditions: ["M15", "M79"] },
  { name: "别嘌醇", inn: "Allopurinol", atc: "M04AA01", forms: ["tab"], strengths: [0.1], unit: "g", conditions: ["M10"], chronic: true },
  { name: "秋水仙碱", inn: "Colchicine", atc: "M04AC01", forms: ["tab"], strengths: [0.5], unit: "mg", conditions: ["M10"] },
  { name: "吗啡", inn: "Morphine", atc: "N02AA01", forms: ["tab", "srtab", "inj"], strengths: [5, 10, 30], unit: "mg", conditions: ["R52", "C80"], controlClass: "narcotic", minLevel: "secondary" },
  { name: "曲马多", inn: "Tramadol", atc: "N02AX02", forms: ["cap", "srtab", "inj"], strengths: [50, 100], unit: "mg", conditions: ["R52"], controlClass: "psychotropic_2", minLevel: "primary" },
  { name: "地西泮", inn: "Diazepam", atc: "N05BA01", forms: ["tab", "inj"], strengths: [2.5, 5, 10], unit: "mg", conditions: ["F41", "G40"], controlClass: "psychotropic_2" },
  { name: "艾司唑仑", inn: "Estazolam", atc: "N05CD04", forms: ["tab"], strengths: [1, 2], unit: "mg", conditions: ["G47"], controlClass: "psychotropic_2" },
  { name: "卡马西平", inn: "Carbamazepine", atc: "N03AF01", forms: ["tab", "srtab"], strengths: [0.1, 0.2], unit: "g", conditions: ["G40"], chronic: true },
  { name: "丙戊酸", inn: "Valproic acid", atc: "N03AG01", forms: ["tab", "srtab", "syrup"], strengths: [0.2, 0.5], unit: "g", conditions: ["G40"], chronic: true },
  { name: "左旋多巴", inn: "Levodopa", atc: "N04BA01", forms: ["tab"], strengths: [0.25], unit: "g", conditions: ["G20"], chronic: true },
  { name: "氟西汀", inn: "Fluoxetine", atc: "N06AB03", forms: ["cap", "tab"], strengths: [10, 20], unit: "mg", conditions: ["F32"], chronic: true },
  { name: "帕罗西汀", inn: "Paroxetine", atc: "N06AB05", forms: ["tab"], strengths: [20], unit: "mg", conditions: ["F32", "F41"], chronic: true },
  { name: "奥氮平", inn: "Olanzapine", atc: "N05AH03", forms: ["tab"], strengths: [5, 10], unit: "mg", conditions: ["F20"], chronic: true, minLevel: "primary" },
  { name: "利培酮", inn: "Risperidone", atc: "N05AX08", forms: ["tab", "syrup"], strengths: [1, 2], unit: "mg", conditions: ["F20"], chronic: true },
  { name: "沙丁胺醇", inn: "Salbutamol", atc: "R03AC02", forms: ["inh", "tab"], strengths: [0.1, 2, 4], unit: "mg", conditions: ["J45", "J44"], chronic: true },
  { name: "布地奈德", inn: "Budesonide", atc: "R03BA02", forms: ["inh"], strengths: [100, 200], unit: "µg", conditions: ["J45", "J44"], chronic: true },
  { name: "氨茶碱", inn: "Aminophylline", atc: "R03DA05", forms: ["tab", "inj"], strengths: [0.1, 0.25], unit: "g", conditions: ["J45"] },
  { name: "氯雷他定", inn: "Loratadine", atc: "R06AX13", forms: ["tab", "syrup"], strengths: [10], unit: "mg", conditions: ["J30", "L50"] },
  { name: "西替利嗪", inn: "Cetirizine", atc: "R06AE07", forms: ["tab"], strengths: [10], unit: "mg", conditions: ["J30", "L50"] },
  { name: "氨溴索", inn: "Ambroxol", atc: "R05CB06", forms: ["tab", "syrup", "inj"], strengths: [15, 30], unit: "mg", conditions: ["J20", "J44"] },
  { name: "叶酸", inn: "Folic acid", atc: "B03BB01", forms: ["tab"], strengths: [0.4, 5], unit: "mg", conditions: ["D52", "O99"], chronic: true, minLevel: "village" },
  { name: "硫酸亚铁", inn: "Ferrous sulfate", atc: "B03AA07", forms: ["tab", "srtab"], strengths: [0.3, 0.45], unit: "g", conditions: ["D50"], chronic: true },
  { name: "维生素B12", inn: "Cyanocobalamin", atc: "B03BA01", forms: ["inj", "tab"], strengths: [25, 500], unit: "µg", conditions: ["D51"] },
  { name: "坦索罗辛", inn: "Tamsulosin", atc: "G04CA02", forms: ["cap"], strengths: [0.2], unit: "mg", conditions: ["N40"], chronic: true },
  { name: "非那雄胺", inn: "Finasteride", atc: "G04CB01", forms: ["tab"], strengths: [5], unit: "mg", conditions: ["N40"], chronic: true },
  { name: "缩宫素", inn: "Oxytocin", atc: "H01BB02", forms: ["inj"], strengths: [5, 10], unit: "IU", conditions: ["O62", "O72"], cold: true, minLevel: "primary" },
  { name: "利多卡因", inn: "Lidocaine", atc: "N01BB02", forms: ["inj"], strengths: [100, 200, 400], unit: "mg", conditions: ["R52"] },
  { name: "红霉素", inn: "Erythromycin", atc: "D06AX", forms: ["oint", "eye"], strengths: [1], unit: "%", conditions: ["H10", "L01"], antimicrobial: "unrestricted" },
  { name: "莫匹罗星", inn: "Mupirocin", atc: "D06AX09", forms: ["oint"], strengths: [2], unit: "%", conditions: ["L01"] },
  { name: "氯化钾", inn: "Potassium chloride", atc: "A12BA01", forms: ["srtab", "inj", "syrup"], strengths: [0.5, 1, 10], unit: "g", conditions: ["E87"] },
  { name: "复方甘草", inn: null, atc: "R05DA", forms: ["tab", "syrup"], strengths: [1], unit: "ml", conditions: ["R05"], minLevel: "village" },
];

/** Prefixes and suffixes that make real-looking variants of a base name (salts, compounds). */
const PREFIXES: [string, number][] = [["", 55], ["盐酸", 14], ["复方", 8], ["硫酸", 6], ["马来酸", 4], ["甲磺酸", 4], ["枸橼酸", 3], ["左旋", 3], ["注射用", 3]];
const SUFFIXES: [string, number][] = [["", 70], ["钠", 12], ["钾", 6], ["钙", 6], ["镁", 3]];

/** Mulberry32: small, fast, deterministic. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick<T>(r: () => number, items: readonly T[]): T {
  return items[Math.floor(r() * items.length)] as T;
}

function weighted(r: () => number, items: [string, number][]): string {
  const total = items.reduce((s, [, w]) => s + w, 0);
  let x = r() * total;
  for (const [v, w] of items) {
    x -= w;
    if (x < 0) return v;
  }
  return items[0]?.[0] ?? "";
}

const pinyinCache = new Map<string, string>();
/** Pinyin initials like the app derives them (first letters, non-CJK kept, upper case). */
export function initials(name: string): string {
  let v = pinyinCache.get(name);
  if (v === undefined) {
    v = pinyin(name, { pattern: "first", toneType: "none", type: "array", nonZh: "consecutive" })
      .join("")
      .replace(/[^A-Za-z0-9]/g, "")
      .toUpperCase()
      .slice(0, 40);
    pinyinCache.set(name, v);
  }
  return v;
}

export const codeOf = (prefix: string, n: number, width = 5) => `${prefix}${String(n).padStart(width, "0")}`;

/**
 * Entries with codes `${prefix}${from}` .. `${prefix}${from + count - 1}` (zero-padded to 5
 * digits: B00001 .. B110000). Valid against EntryInput and its cross-field rules.
 */
export function makeEntries(count: number, opts: { from?: number; prefix?: string; seed?: number } = {}): EntryJson[] {
  const from = opts.from ?? 1;
  const prefix = opts.prefix ?? "B";
  const r = rng(opts.seed ?? from);
  const out: EntryJson[] = [];
  for (let i = 0; i < count; i++) {
    const drug = pick(r, DRUGS);
    const formKey = pick(r, drug.forms);
    const form = FORMS[formKey];
    let namePrefix = weighted(r, PREFIXES);
    if (namePrefix === "注射用" && form.route !== "iv") namePrefix = "";
    if (drug.name.startsWith("复方") && namePrefix === "复方") namePrefix = "";
    const genericName = `${namePrefix}${drug.name}${weighted(r, SUFFIXES)}`;
    const liquid = formKey === "syrup" || formKey === "eye";
    const strength = liquid && drug.unit !== "%" ? { value: pick(r, [0.5, 1, 2, 5, 10]), unit: "mg/ml" } : { value: pick(r, drug.strengths), unit: drug.unit };
    const antimicrobial = drug.antimicrobial ?? null;
    const storage = drug.cold ? "cold_chain" : "normal";
    const controlClass = drug.controlClass ?? null;
    const longRxEligible = Boolean(drug.chronic) && !controlClass && !antimicrobial && storage === "normal" && form.route === "oral";
    const oral = form.route === "oral" && !liquid;
    const price = Math.round((0.5 + r() * r() * 400) * 100) / 100;
    const level = drug.minLevel ?? pick(r, ["village", "primary", "primary", "secondary"] as const);
    out.push({
      code: codeOf(prefix, from + i),
      genericName,
      innName: drug.inn,
      pinyin: initials(genericName),
      form: form.name,
      strength,
      pack: { size: pick(r, form.packSizes), unit: form.packUnit },
      route: form.route,
      atc: drug.atc,
      essential: r() < 0.6,
      insuranceClass: r() < 0.55 ? "A" : r() < 0.8 ? "B" : null,
      vbp: r() < 0.25,
      specialistOnly: r() < 0.08,
      controlClass,
      antimicrobial,
      antiTb: Boolean(drug.antiTb),
      storage,
      longRxEligible,
      conditions: drug.conditions,
      minLevel: level,
      maxDailyDose: oral && strength.unit === drug.unit ? { value: Math.round(strength.value * pick(r, [2, 3, 4]) * 1000) / 1000, unit: strength.unit } : null,
      price,
      status: r() < 0.97 ? "active" : "suspended",
      effectiveFrom: "2026-01-01",
    });
  }
  return out;
}

/** Pinyin prefixes (2..4 letters) that occur in `entries`, most frequent first, deterministic. */
export function pinyinPrefixes(entries: EntryJson[], count: number): string[] {
  const freq = new Map<string, number>();
  for (const e of entries) {
    for (let len = 2; len <= 4; len++) {
      if (e.pinyin.length < len) continue;
      const p = e.pinyin.slice(0, len);
      if (!/^[A-Z]+$/.test(p)) continue;
      freq.set(p, (freq.get(p) ?? 0) + 1);
    }
  }
  // a spread: some very common prefixes (盐酸 → YS…), some rare ones, of each length
  const byLen = [2, 3, 4].map((len) =>
    [...freq.entries()].filter(([p]) => p.length === len).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)),
  );
  const chosen: string[] = [];
  for (let i = 0; chosen.length < count && i < 1000; i++) {
    const list = byLen[i % 3] ?? [];
    const round = Math.floor(i / 3);
    // alternate between the head and the middle of the frequency list
    const idx = round % 2 === 0 ? round / 2 : Math.floor(list.length / 2) + Math.floor(round / 2);
    const p = list[idx]?.[0];
    if (p && !chosen.includes(p)) chosen.push(p);
  }
  return chosen;
}
