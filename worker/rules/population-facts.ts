/**
 * Facts about special populations, keyed by ATC code or prefix, each with its source.
 *
 * Age-restricted classes: the national guidance on antimicrobial use in children
 * (抗菌药物临床应用指导原则（2015年版）, 第二部分 小儿患者) and the class labels.
 *
 * Potentially inappropriate medication in older people: a handful of entries of the Chinese
 * criteria (中国老年人潜在不适当用药判断标准（2017年版）) whose listing is certain, with the
 * risk the criteria name. Only these are encoded; the rest of the list is not (docs/rules-depth.md).
 */
import { ANTIMICROBIAL_GUIDE } from "./sources";

export interface AgeRestriction {
  /** ATC prefix of the class (systemic forms only: J01 is "antibacterials for systemic use") */
  atcPrefix: string;
  className: string;
  /** the patient must have completed this many years */
  minAge: number;
  why: string;
  source: string;
}

export const AGE_RESTRICTED: readonly AgeRestriction[] = [
  {
    atcPrefix: "J01MA",
    className: "氟喹诺酮类",
    minAge: 18,
    why: "可能影响骨骼（关节软骨）发育，避免用于 18 岁以下未成年人",
    source: `${ANTIMICROBIAL_GUIDE}（小儿患者抗菌药物的应用：喹诺酮类）；氟喹诺酮类药品说明书【儿童用药】`,
  },
  {
    atcPrefix: "J01AA",
    className: "四环素类",
    minAge: 8,
    why: "可致牙齿黄染及牙釉质发育不良，不可用于 8 岁以下儿童",
    source: `${ANTIMICROBIAL_GUIDE}（小儿患者抗菌药物的应用：四环素类）；四环素类药品说明书【禁忌】`,
  },
];

/**
 * Older people: sixty full years and over (中华人民共和国老年人权益保障法第二条), the age
 * from which the Chinese criteria apply.
 */
export const ELDERLY_MIN_AGE = 60;

export interface ElderlyPim {
  /** a 7-character ATC code */
  atc: string;
  name: string;
  risk: string;
  advice: string;
}

export const ELDERLY_PIMS: readonly ElderlyPim[] = [
  { atc: "A10BB01", name: "格列本脲", risk: "作用时间长，易致老年人长时间低血糖", advice: "宜选用短效促泌剂或其他降糖药" },
  { atc: "N05BA01", name: "地西泮", risk: "长效苯二氮䓬类，老年人代谢慢，镇静时间延长，增加认知受损、谵妄、跌倒和骨折风险", advice: "避免使用；必要时选短效药物并用最低剂量" },
  { atc: "R06AB04", name: "氯苯那敏", risk: "第一代抗组胺药，抗胆碱能作用强，致意识模糊、口干、便秘、尿潴留", advice: "宜选用第二代抗组胺药" },
  { atc: "R06AD02", name: "异丙嗪", risk: "第一代抗组胺药，抗胆碱能和镇静作用强", advice: "宜选用第二代抗组胺药" },
  { atc: "R06AA02", name: "苯海拉明", risk: "第一代抗组胺药，抗胆碱能和镇静作用强", advice: "宜选用第二代抗组胺药" },
  { atc: "N06AA09", name: "阿米替林", risk: "三环类抗抑郁药，抗胆碱能作用强，致镇静、直立性低血压", advice: "宜选用其他抗抑郁药" },
  { atc: "M01AB01", name: "吲哚美辛", risk: "中枢神经系统不良反应多于其他非甾体抗炎药，并有消化道出血风险", advice: "避免使用；必要时选其他非甾体抗炎药并短期使用" },
];
