import { isReviewReasonCode, REVIEW_REASONS } from "../desk/desk.labels";
import { returnReasonLabel } from "../desk/returns.labels";
import type { DoctorTemplate, NotificationTemplate, PatientTemplate } from "./notifications";

/*
 * The Chinese text of every notification, pure. Patient SMS are one short line with the
 * order reference and logistics only: no drug, diagnosis or reason in medical words (a
 * phone's lock screen shows them). The prescribing doctor's inbox notices may name the
 * order reference and the reason's label, since the doctor holds the prescription anyway.
 */

/**
 * What a patient reads about a rejection, per 处方点评 category (医院处方点评管理规范: 不规范 /
 * 用药不适宜 / 超常). Reject reason codes are `category.reason` (desk.labels.ts); the detailed
 * reason goes to the doctor, the patient gets its category in plain words. A code of an
 * unknown category is never shown raw: the generic label is used instead.
 */
export const REJECT_CATEGORY_LABELS: Record<string, string> = {
  non_standard: "处方书写不规范，需医生补充或更正",
  inappropriate: "用药不适宜，需医生调整用药方案",
  abnormal: "超常用药，需医生复核",
};
const GENERIC_REJECT_LABEL = "处方需医生复核";

/** Params that must not be shown back to staff (the pickup code proves the patient at hand-over). */
const SECRET_PARAMS = ["pickupCode"] as const;

/** SMS text is short and single-line: values typed by staff (carrier, notes) are trimmed and capped. */
const MAX_PARAM_CHARS = 40;
/** A doctor's notice may carry the pharmacist's note, still on one line. */
const MAX_NOTE_CHARS = 200;

function clean(value: string | undefined, max = MAX_PARAM_CHARS): string {
  if (value === undefined) return "";
  // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping control characters is the point
  return value.replace(/[\u0000-\u001f\u007f]+/g, " ").trim().slice(0, max);
}

/** The label a patient reads for a reject reason: an explicit label, else the code's category label, else a generic one. */
export function rejectReasonLabel(params: Record<string, string>): string {
  const explicit = clean(params.reasonLabel);
  if (explicit) return explicit;
  const code = params.reasonCode ?? params.reason ?? "";
  const category = code.split(".")[0] ?? "";
  return (Object.hasOwn(REJECT_CATEGORY_LABELS, category) && REJECT_CATEGORY_LABELS[category]) || GENERIC_REJECT_LABEL;
}

/**
 * The label a doctor reads for a reason: an explicit label, else a 处方点评 code's own label,
 * else a return's (`returnReason`, `code` or `code: text`), else nothing.
 */
function doctorReasonLabel(params: Record<string, string>): string {
  const explicit = clean(params.reasonLabel, MAX_NOTE_CHARS);
  if (explicit) return explicit;
  const code = params.reasonCode ?? params.reason ?? "";
  if (isReviewReasonCode(code)) return REVIEW_REASONS[code];
  return params.returnReason ? returnReasonLabel(params.returnReason) : "";
}

/** The pharmacist's words: the note, else the free text of a return reason (`code: text`). */
function doctorNote(params: Record<string, string>): string {
  const note = clean(params.note, MAX_NOTE_CHARS);
  if (note) return note;
  const text = params.returnReason?.includes(":") ? params.returnReason.slice(params.returnReason.indexOf(":") + 1) : "";
  return clean(text, MAX_NOTE_CHARS);
}

type Render = (p: Record<string, string>, tail: string) => string;

const sms = (text: string) => `【药联】${text}`;

const PATIENT_RENDERERS: Record<PatientTemplate, Render> = {
  "order-ready-for-pickup": (p, tail) => {
    const code = clean(p.pickupCode);
    const site = clean(p.siteName) || "指定取药点";
    if (p.reissued === "true") {
      return sms(code ? `您的取药码已重新发放，请凭新取药码 ${code} 到${site}取药，原取药码作废${tail}。` : `您的取药码已重新发放，原取药码作废，请到${site}取药${tail}。`);
    }
    const what = p.restock === "true" ? "您此前缺货的药品已到货备好" : "您的药品已备好";
    return sms(code ? `${what}，请凭取药码 ${code} 到${site}取药${tail}。` : `${what}，请到${site}取药${tail}。`);
  },
  "order-shipped": (p, tail) => {
    const carrier = clean(p.carrier);
    const tracking = clean(p.trackingNo);
    const logistics = [carrier ? `承运商：${carrier}` : "", tracking ? `运单号：${tracking}` : ""].filter(Boolean).join("，");
    return sms(`您的药品已发出${logistics ? `，${logistics}` : ""}${tail}。`);
  },
  "order-delivered": (_p, tail) => sms(`您的药品已送达，请核对药品并按医嘱用药${tail}。`),
  "order-rejected": (p, tail) => sms(`您的处方未通过药师审核（原因：${rejectReasonLabel(p)}），请联系您的医生${tail}。`),
  "order-partial-dispense": (_p, tail) => sms(`您的处方中部分药品暂时缺货，现有药品将先行发放，缺货药品到货后另行通知您${tail}。`),
  "order-awaiting-stock": (_p, tail) => sms(`您已领取部分药品，其余药品暂时缺货，到货后将再次通知您${tail}。`),
  "order-returned": (_p, tail) => sms(`药房暂时无法为您配药，处方已退回开方医生，请联系您的医生${tail}。`),
  "order-expired": (_p, tail) => sms(`您的药品超期未取，订单已失效，如需继续用药请联系您的医生${tail}。`),
};

/** `（原因：…）` and `备注：…` parts of a doctor's notice, each only when known. */
function reasonAndNote(p: Record<string, string>): { reason: string; note: string } {
  const label = doctorReasonLabel(p);
  const note = doctorNote(p);
  return { reason: label ? `，原因：${label}` : "", note: note ? `（备注：${note}）` : "" };
}

const DOCTOR_RENDERERS: Record<DoctorTemplate, Render> = {
  "doctor-order-rejected": (p, tail) => {
    const { reason, note } = reasonAndNote(p);
    return `您开具的处方${tail}未通过药师审核${reason}${note}。请核对后重新开具或联系药房。`;
  },
  "doctor-order-returned": (p, tail) => {
    const { reason, note } = reasonAndNote(p);
    return `您开具的处方${tail}已被药房退回且无其他药房可承接${reason}${note}。请与患者联系另行安排。`;
  },
  "doctor-order-expired": (p, tail) => {
    const days = /^\d{1,3}$/.test(p.days ?? "") ? `超过 ${p.days} 天` : "超期";
    return `您开具的处方${tail}患者${days}未取药，订单已失效，该药品不再计入患者的在用药品。`;
  },
  "doctor-change-requested": (p, tail) => {
    const { reason, note } = reasonAndNote(p);
    return `药师建议调整您开具的处方${tail}${reason}${note}。请在处方详情中接受或拒绝。`;
  },
};

const RENDERERS: Record<NotificationTemplate, Render> = { ...PATIENT_RENDERERS, ...DOCTOR_RENDERERS };

export function isNotificationTemplate(template: string): template is NotificationTemplate {
  return Object.hasOwn(RENDERERS, template);
}

export const PATIENT_TEMPLATE_NAMES = Object.keys(PATIENT_RENDERERS).filter(isNotificationTemplate);
export const DOCTOR_TEMPLATE_NAMES = Object.keys(DOCTOR_RENDERERS).filter(isNotificationTemplate);
export const NOTIFICATION_TEMPLATES: readonly NotificationTemplate[] = [...PATIENT_TEMPLATE_NAMES, ...DOCTOR_TEMPLATE_NAMES];

/**
 * The Chinese message of a notification, from its template and params. A missing param
 * degrades the sentence instead of printing "undefined".
 * Throws RangeError for an unknown template (a permanent failure for the sender).
 */
export function renderNotification(template: string, params: Record<string, string>): string {
  if (!isNotificationTemplate(template)) throw new RangeError(`unknown notification template ${template}`);
  const ref = clean(params.reference);
  return RENDERERS[template](params, ref ? `（订单号 ${ref}）` : "");
}

/** Params safe to show to staff: secrets masked. */
export function redactParams(params: Record<string, string>): Record<string, string> {
  const out = { ...params };
  for (const key of SECRET_PARAMS) if (out[key] !== undefined) out[key] = "******";
  return out;
}

export interface OrderFacts {
  siteName: string | null;
  carrier: string | null;
  trackingNo: string | null;
  rejectReason: string | null;
}

/**
 * The params a message is rendered from: those stored with the notification (the values at
 * the transition), completed from the order and its pickup site for whatever the caller
 * of the transition did not pass (site name, carrier, tracking number, reject reason).
 */
export function messageParams(stored: Record<string, string>, facts: OrderFacts): Record<string, string> {
  const fallback: Record<string, string> = {};
  if (facts.siteName) fallback.siteName = facts.siteName;
  if (facts.carrier) fallback.carrier = facts.carrier;
  if (facts.trackingNo) fallback.trackingNo = facts.trackingNo;
  if (facts.rejectReason) fallback.reasonCode = facts.rejectReason;
  return { ...fallback, ...stored };
}
