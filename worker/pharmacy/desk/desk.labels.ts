import type { OrderStatus } from "../orders/order-state";

/**
 * Why a pharmacist rejects a prescription, in the categories of 医院处方点评管理规范（试行）
 * (卫医管发〔2010〕28号) art. 17-19: 不规范处方, 用药不适宜处方, 超常处方, plus the 用药禁忌
 * check of 医疗机构处方审核规范 (2018) art. 16. The codes are a public contract (stored on
 * orders, read back by doctors and by the review-rate reports): add freely, never rename.
 * Items of art. 17 that judge the pharmacist's own work (art. 17.3) or decoction pieces
 * (art. 17.15) are left out: nobody rejects a prescription for them on this platform.
 */
export const REVIEW_CATEGORIES = {
  non_standard: "不规范处方",
  inappropriate: "用药不适宜处方",
  abnormal: "超常处方",
} as const;
export type ReviewCategory = keyof typeof REVIEW_CATEGORIES;

export const REVIEW_REASONS = {
  "non_standard.incomplete": "处方前记、正文、后记内容缺项，书写不规范或字迹难以辨认",
  "non_standard.signature": "医师签名、签章不规范或与留样不一致",
  "non_standard.infant_age_missing": "早产儿、新生儿、婴幼儿处方未写明体重或日、月龄",
  "non_standard.mixed_categories": "西药、中成药与中药饮片未分别开具处方",
  "non_standard.nonstandard_name": "未使用药品规范名称开具处方",
  "non_standard.dosage_unclear": "药品剂量、规格、数量、单位等书写不规范或不清楚",
  "non_standard.vague_usage": "用法、用量使用“遵医嘱”“自用”等含糊不清字句",
  "non_standard.unsigned_change": "处方修改未签名并注明修改日期，或超剂量使用未注明原因和再次签名",
  "non_standard.diagnosis_missing": "未写临床诊断或临床诊断书写不全",
  "non_standard.too_many_items": "单张门急诊处方超过五种药品",
  "non_standard.quantity_without_reason": "门诊超过7日、急诊超过3日用量，延长用量未注明理由",
  "non_standard.special_drug_rules": "特殊管理药品处方未执行国家有关规定",
  "non_standard.antimicrobial_rules": "未按抗菌药物临床应用管理规定开具",
  "inappropriate.indication": "适应证不适宜",
  "inappropriate.drug_selection": "遴选的药品不适宜",
  "inappropriate.route_or_form": "药品剂型或给药途径不适宜",
  "inappropriate.essential_not_preferred": "无正当理由不首选国家基本药物",
  "inappropriate.dosage": "用法、用量不适宜",
  "inappropriate.combination": "联合用药不适宜",
  "inappropriate.duplicate": "重复给药",
  "inappropriate.interaction": "有配伍禁忌或不良相互作用",
  "inappropriate.contraindication": "有用药禁忌（过敏史、特殊人群、疾病或性别禁忌）",
  "inappropriate.other": "其他用药不适宜情况",
  "abnormal.no_indication": "无适应证用药",
  "abnormal.expensive_without_reason": "无正当理由开具高价药",
  "abnormal.off_label_without_reason": "无正当理由超说明书用药",
  "abnormal.duplicate_same_class": "无正当理由为同一患者同时开具两种以上药理作用相同的药物",
} as const;
export type ReviewReasonCode = keyof typeof REVIEW_REASONS;
export const REVIEW_REASON_CODES = Object.keys(REVIEW_REASONS) as [ReviewReasonCode, ...ReviewReasonCode[]];

export function isReviewReasonCode(code: string): code is ReviewReasonCode {
  return Object.hasOwn(REVIEW_REASONS, code);
}

export function categoryOf(code: ReviewReasonCode): ReviewCategory {
  return code.slice(0, code.indexOf(".")) as ReviewCategory;
}

/** What the patient is told about an order, without anything medical. */
export const PATIENT_STATUS_TEXT: Record<OrderStatus, string> = {
  scheduled: "待发放（分次取药，到期自动进入审核）",
  pending_review: "药师审核中",
  change_requested: "药师建议调整处方，等待医生确认",
  awaiting_stock: "部分药品缺货，到货后通知您取药或配送",
  returned: "药房无法配药，已退回开方医生，请联系医生",
  expired: "超期未取，订单已失效，请联系医生",
  approved: "审核通过，等待调配",
  rejected: "处方审核未通过，请联系开方医生",
  dispensing: "药品调配中",
  ready_for_pickup: "已备好，请凭取药码到取药点取药",
  picked_up: "已取药",
  shipped: "已发货，配送中",
  delivered: "已送达",
  cancelled: "已取消",
};
