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
