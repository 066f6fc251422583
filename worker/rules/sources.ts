/**
 * The documents rules cite. Articles are named only where the text is certain; otherwise
 * the document alone is cited.
 */
export const RX_MEASURES = "处方管理办法（2007，卫生部令第53号）";
export const LONG_RX = "长期处方管理规范（试行）（2021，国卫办医发〔2021〕17号）";
export const RX_REVIEW = "医疗机构处方审核规范（2018）";
export const ONLINE_CARE = "互联网诊疗管理办法（试行）（2018）";
/** The consortium's own shared list (统一用药目录) and its entry data. */
export const FORMULARY = "医联体统一用药目录";

export function article(document: string, article: string): string {
  return `${document}${article}`;
}

/** Antimicrobial grades and prescribing rights (issue 10). */
export const ANTIMICROBIAL_MEASURES = "抗菌药物临床应用管理办法（2012，卫生部令第84号）";
/** The national technical guidance on antimicrobial use, incl. children (第二部分 特殊病理、生理状况患者). */
export const ANTIMICROBIAL_GUIDE = "抗菌药物临床应用指导原则（2015年版）（国卫办医发〔2015〕43号）";
/** The Chinese criteria for potentially inappropriate medication in older people. */
export const ELDERLY_PIM =
  "中国老年人潜在不适当用药判断标准（2017年版）（中国老年保健医学研究会老年合理用药分会等，药物不良反应杂志 2018;20(1)）";
/** Who is an older person in Chinese law: sixty full years of age and over. */
export const ELDERLY_LAW = "中华人民共和国老年人权益保障法第二条";
/**
 * IU, U and 单位 as one unit of activity: Chinese labels write the international unit as
 * 单位 (重组人胰岛素注射液 "3ml:300单位" = 100 IU/ml; 注射用尿激酶 "10万单位").
 */
export const UNITS_OF_ACTIVITY = "药品说明书【规格】（国际单位在中文说明书中写作“单位”）";
