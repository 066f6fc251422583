/**
 * Facts for naming one active moiety (issue 10): which words of a drug name are a salt,
 * ester or hydrate rather than the molecule, and which names are enantiomers or synonyms of
 * one molecule. Pure data; ingredients.ts applies it.
 *
 * Sources:
 * - INN naming of salts and esters: WHO, "International Nonproprietary Names (INN) for
 *   pharmaceutical substances — names for radicals, groups and others" (INN Programme);
 *   the INN of the active moiety is modified by the salt or ester name ("amlodipine besilate").
 * - Enantiomers: WHO INN Programme, "The use of stems in the selection of INN" (prefixes
 *   lev-/levo-, dex-/dextro-, es-/ar- for single enantiomers of a racemate), and the Chinese
 *   names the 国家药典委员会 gives them (左-, 右-, 艾司-). A pharmacist treats a racemate and its
 *   enantiomer as the same drug for duplicate therapy (医疗机构处方审核规范（2018）第十五条
 *   "重复给药"), so they share one key here.
 */

/** Counter-ions, esters and hydrate words of English INN-style names. */
export const SALT_WORDS_EN: readonly string[] = [
  "hydrochloride", "dihydrochloride", "hydrobromide", "hydroiodide", "besylate", "besilate", "maleate", "mesylate",
  "mesilate", "dimesylate", "tartrate", "bitartrate", "succinate", "hemisuccinate", "fumarate", "hemifumarate", "citrate",
  "sulfate", "sulphate", "bisulfate", "phosphate", "diphosphate", "acetate", "diacetate", "lactate", "gluconate",
  "tosylate", "tosilate", "nitrate", "bromide", "chloride", "iodide", "carbonate", "bicarbonate", "oxalate", "pamoate",
  "embonate", "oxide", "hydroxide", "trisilicate", "benzoate", "salicylate", "stearate", "propionate", "dipropionate", "butyrate", "valerate", "acetonide",
  "furoate", "palmitate", "decanoate", "enanthate", "axetil", "pivoxil", "proxetil", "mofetil", "sodium", "disodium",
  "potassium", "dipotassium", "calcium", "magnesium", "zinc", "aluminium", "arginine", "lysine", "meglumine",
  "trometamol", "tromethamine", "monohydrate", "dihydrate", "trihydrate", "hemihydrate", "sesquihydrate", "hydrate",
  "anhydrous",
];

/**
 * Chinese salt prefixes (盐酸二甲双胍) and cation suffixes (阿仑膦酸钠). 硝酸 is not a salt
 * prefix: 硝酸甘油 and 硝酸异山梨酯 are the nitrates themselves.
 */
export const SALT_PREFIXES_ZH: readonly string[] = [
  "盐酸", "氢溴酸", "硫酸", "磷酸", "马来酸", "苯磺酸", "甲磺酸", "乙磺酸", "酒石酸", "琥珀酸", "富马酸", "枸橼酸", "醋酸",
  "乳酸", "门冬氨酸", "苯甲酸", "对甲苯磺酸", "帕莫酸", "丙酸", "丁酸",
];
export const SALT_SUFFIXES_ZH: readonly string[] = ["钠", "钾", "钙", "镁", "锌"];
/**
 * What remains of an inorganic salt once its cation is taken away: 氯化钠 and 氯化钾 must not
 * both become "氯化", so a cation is kept after these.
 */
export const INORGANIC_REMAINDERS_ZH: readonly string[] = [
  "氯化", "碳酸", "碳酸氢", "硫酸", "磷酸", "磷酸氢", "枸橼酸", "葡萄糖酸", "乳酸", "醋酸", "氢氧化", "碘化", "溴化", "硫代硫酸", "氧化",
];

/**
 * Enantiomers and synonyms → the key of the molecule (INN of the racemate or the usual INN).
 * English keys after salts are stripped; Chinese keys likewise.
 */
export const MOLECULE_ALIASES: Readonly<Record<string, string>> = {
  levamlodipine: "amlodipine",
  "s-amlodipine": "amlodipine",
  esomeprazole: "omeprazole",
  dexlansoprazole: "lansoprazole",
  escitalopram: "citalopram",
  levofloxacin: "ofloxacin",
  levocetirizine: "cetirizine",
  dexibuprofen: "ibuprofen",
  dexketoprofen: "ketoprofen",
  levosalbutamol: "salbutamol",
  levalbuterol: "salbutamol",
  albuterol: "salbutamol",
  eszopiclone: "zopiclone",
  armodafinil: "modafinil",
  dexmethylphenidate: "methylphenidate",
  levobupivacaine: "bupivacaine",
  dexchlorpheniramine: "chlorphenamine",
  chlorpheniramine: "chlorphenamine",
  levocarnitine: "carnitine",
  glyburide: "glibenclamide",
  acetaminophen: "paracetamol",
  aspirin: "acetylsalicylate",
  cholecalciferol: "colecalciferol",
  "vitamin d3": "colecalciferol",
  左氨氯地平: "氨氯地平",
  艾司奥美拉唑: "奥美拉唑",
  右兰索拉唑: "兰索拉唑",
  艾司西酞普兰: "西酞普兰",
  左氧氟沙星: "氧氟沙星",
  左西替利嗪: "西替利嗪",
  右布洛芬: "布洛芬",
  精氨酸布洛芬: "布洛芬",
  右酮洛芬: "酮洛芬",
  左沙丁胺醇: "沙丁胺醇",
  右佐匹克隆: "佐匹克隆",
  左布比卡因: "布比卡因",
  右氯苯那敏: "氯苯那敏",
  氯苯那敏: "氯苯那敏",
  扑热息痛: "对乙酰氨基酚",
  乙酰水杨酸: "阿司匹林",
  优降糖: "格列本脲",
  胆骨化醇: "维生素d3",
  维生素d3: "维生素d3",
};
