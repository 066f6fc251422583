import { afterEach, describe, expect, it, vi } from "vitest";
import {
  DOCTOR_TEMPLATE_NAMES,
  isNotificationTemplate,
  messageParams,
  NOTIFICATION_TEMPLATES,
  PATIENT_TEMPLATE_NAMES,
  redactParams,
  rejectReasonLabel,
  renderNotification,
} from "../../worker/pharmacy/notifications/notifications.render";
import { DOCTOR_TEMPLATES, PATIENT_NOTICES, PATIENT_TEMPLATES } from "../../worker/pharmacy/notifications/notifications";
import { RecordingSender } from "../../worker/pharmacy/notifications/notifications.sender";

const REF = { reference: "K7QX2M9PAB", orderId: "ord_1" };

describe("renderNotification", () => {
  it.each([
    [
      "order-ready-for-pickup",
      { ...REF, pickupCode: "428613", siteName: "石门乡卫生院便民取药窗口" },
      "【药联】您的药品已备好，请凭取药码 428613 到石门乡卫生院便民取药窗口取药（订单号 K7QX2M9PAB）。",
    ],
    [
      "order-shipped",
      { ...REF, carrier: "顺丰速运", trackingNo: "SF1234567890" },
      "【药联】您的药品已发出，承运商：顺丰速运，运单号：SF1234567890（订单号 K7QX2M9PAB）。",
    ],
    ["order-delivered", REF, "【药联】您的药品已送达，请核对药品并按医嘱用药（订单号 K7QX2M9PAB）。"],
    [
      "order-rejected",
      { ...REF, reasonCode: "inappropriate.interaction" },
      "【药联】您的处方未通过药师审核（原因：用药不适宜，需医生调整用药方案），请联系您的医生（订单号 K7QX2M9PAB）。",
    ],
  ])("renders %s", (template, params, text) => {
    expect(renderNotification(template, params)).toBe(text);
  });

  it.each([
    ["order-ready-for-pickup", { ...REF, pickupCode: "428613", siteName: "城关镇窗口", restock: "true" }, "【药联】您此前缺货的药品已到货备好，请凭取药码 428613 到城关镇窗口取药（订单号 K7QX2M9PAB）。"],
    [
      "order-ready-for-pickup",
      { ...REF, pickupCode: "428613", siteName: "城关镇窗口", reissued: "true" },
      "【药联】您的取药码已重新发放，请凭新取药码 428613 到城关镇窗口取药，原取药码作废（订单号 K7QX2M9PAB）。",
    ],
    ["order-partial-dispense", REF, "【药联】您的处方中部分药品暂时缺货，现有药品将先行发放，缺货药品到货后另行通知您（订单号 K7QX2M9PAB）。"],
    ["order-awaiting-stock", REF, "【药联】您已领取部分药品，其余药品暂时缺货，到货后将再次通知您（订单号 K7QX2M9PAB）。"],
    ["order-returned", REF, "【药联】药房暂时无法为您配药，处方已退回开方医生，请联系您的医生（订单号 K7QX2M9PAB）。"],
    ["order-expired", REF, "【药联】您的药品超期未取，订单已失效，如需继续用药请联系您的医生（订单号 K7QX2M9PAB）。"],
  ])("renders %s (%j)", (template, params, text) => {
    expect(renderNotification(template, params)).toBe(text);
  });

  it("covers every template the transitions and the desk write", () => {
    const written = [...Object.values(PATIENT_TEMPLATES), ...Object.values(PATIENT_NOTICES), ...Object.values(DOCTOR_TEMPLATES)];
    expect([...written].sort()).toEqual([...NOTIFICATION_TEMPLATES].sort());
    for (const t of NOTIFICATION_TEMPLATES) expect(isNotificationTemplate(t)).toBe(true);
    for (const t of PATIENT_TEMPLATE_NAMES) expect(renderNotification(t, REF)).toMatch(/^【药联】.+（订单号 K7QX2M9PAB）。$/);
    for (const t of DOCTOR_TEMPLATE_NAMES) expect(renderNotification(t, REF)).toContain("（订单号 K7QX2M9PAB）");
    expect(isNotificationTemplate("order-approved")).toBe(false);
    expect(isNotificationTemplate("constructor")).toBe(false);
  });

  it("keeps notes and reasons out of the patient's SMS, whatever params a transition stored", () => {
    const params = { ...REF, note: "与华法林相互作用", reasonCode: "inappropriate.interaction", genericName: "氨氯地平" };
    for (const t of PATIENT_TEMPLATE_NAMES) {
      const text = renderNotification(t, params);
      expect(text).not.toMatch(/华法林|氨氯地平|interaction|配伍/);
      expect(text.length).toBeLessThanOrEqual(70);
    }
  });

  it("degrades a missing param instead of printing undefined", () => {
    expect(renderNotification("order-ready-for-pickup", {})).toBe("【药联】您的药品已备好，请到指定取药点取药。");
    expect(renderNotification("order-shipped", { carrier: "中国邮政" })).toBe("【药联】您的药品已发出，承运商：中国邮政。");
    expect(renderNotification("order-shipped", {})).toBe("【药联】您的药品已发出。");
    for (const t of NOTIFICATION_TEMPLATES) expect(renderNotification(t, {})).not.toMatch(/undefined|null/);
  });

  it("keeps the message one short line: control characters become spaces, values are capped", () => {
    const text = renderNotification("order-shipped", { carrier: "顺丰\n速运\u0007", trackingNo: "X".repeat(100) });
    expect(text).not.toContain("\n");
    expect(text).not.toContain("\u0007");
    expect(text).toContain("承运商：顺丰 速运");
    expect(text).toContain(`运单号：${"X".repeat(40)}。`);
  });

  it("throws RangeError for an unknown template", () => {
    expect(() => renderNotification("order-approved", REF)).toThrow(RangeError);
  });
});

describe("the prescribing doctor's inbox notices", () => {
  it.each([
    [
      "doctor-order-rejected",
      { ...REF, reasonCode: "inappropriate.dosage", note: "剂量偏大，请核对" },
      "您开具的处方（订单号 K7QX2M9PAB）未通过药师审核，原因：用法、用量不适宜（备注：剂量偏大，请核对）。请核对后重新开具或联系药房。",
    ],
    [
      "doctor-order-returned",
      { ...REF, reasonLabel: "药品停产，无法供货" },
      "您开具的处方（订单号 K7QX2M9PAB）已被药房退回且无其他药房可承接，原因：药品停产，无法供货。请与患者联系另行安排。",
    ],
    ["doctor-order-expired", REF, "您开具的处方（订单号 K7QX2M9PAB）患者超期未取药，订单已失效，该药品不再计入患者的在用药品。"],
    [
      "doctor-order-expired",
      { ...REF, days: "7", readyAt: "2026-11-20T02:00:00.000Z" },
      "您开具的处方（订单号 K7QX2M9PAB）患者超过 7 天未取药，订单已失效，该药品不再计入患者的在用药品。",
    ],
    [
      "doctor-order-returned",
      { ...REF, reasonCode: "out_of_stock_long", returnReason: "out_of_stock_long: 厂家停产", pharmacyId: "pharm-cloud" },
      "您开具的处方（订单号 K7QX2M9PAB）已被药房退回且无其他药房可承接，原因：长期缺货（备注：厂家停产）。请与患者联系另行安排。",
    ],
    [
      "doctor-change-requested",
      { ...REF, reasonLabel: "建议改用集采品种", note: "同成分中选药品" },
      "药师建议调整您开具的处方（订单号 K7QX2M9PAB），原因：建议改用集采品种（备注：同成分中选药品）。请在处方详情中接受或拒绝。",
    ],
  ])("renders %s", (template, params, text) => {
    expect(renderNotification(template, params)).toBe(text);
  });

  it("names a 处方点评 code by its label, an unknown code not at all, and keeps a long note on one line", () => {
    expect(renderNotification("doctor-order-rejected", { reasonCode: "mystery.code" })).toBe("您开具的处方未通过药师审核。请核对后重新开具或联系药房。");
    const text = renderNotification("doctor-order-rejected", { note: `第一行\n${"很长".repeat(200)}` });
    expect(text).not.toContain("\n");
    expect(text.length).toBeLessThan(260);
  });
});

describe("rejectReasonLabel", () => {
  it.each([
    [{ reasonCode: "non_standard.diagnosis_missing" }, "处方书写不规范，需医生补充或更正"],
    [{ reasonCode: "inappropriate.duplicate" }, "用药不适宜，需医生调整用药方案"],
    [{ reasonCode: "abnormal.no_indication" }, "超常用药，需医生复核"],
    [{ reason: "abnormal.no_indication" }, "超常用药，需医生复核"],
    [{ reasonCode: "inappropriate" }, "用药不适宜，需医生调整用药方案"],
    [{ reasonCode: "mystery.code" }, "处方需医生复核"],
    [{ reasonCode: "constructor" }, "处方需医生复核"],
    [{}, "处方需医生复核"],
    [{ reasonCode: "abnormal.no_indication", reasonLabel: "请医生补充诊断" }, "请医生补充诊断"],
  ])("%j → %s", (params, label) => {
    expect(rejectReasonLabel(params)).toBe(label);
  });

  it("never shows the raw code to the patient", () => {
    expect(renderNotification("order-rejected", { reasonCode: "inappropriate.interaction" })).not.toContain("inappropriate");
  });
});

describe("params", () => {
  it("masks the pickup code for staff and leaves the rest", () => {
    expect(redactParams({ ...REF, pickupCode: "428613" })).toEqual({ ...REF, pickupCode: "******" });
    expect(redactParams(REF)).toEqual(REF);
  });

  it("completes stored params from the order, the stored values winning", () => {
    const facts = { siteName: "城关镇窗口", carrier: "顺丰速运", trackingNo: "SF1", rejectReason: "abnormal.no_indication" };
    expect(messageParams({ reference: "R", carrier: "EMS" }, facts)).toEqual({ reference: "R", carrier: "EMS", siteName: "城关镇窗口", trackingNo: "SF1", reasonCode: "abnormal.no_indication" });
    expect(messageParams({ reference: "R" }, { siteName: null, carrier: null, trackingNo: null, rejectReason: null })).toEqual({ reference: "R" });
  });
});

describe("RecordingSender", () => {
  afterEach(() => vi.restoreAllMocks());

  it("records the rendered message and logs one structured line without personal data", async () => {
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    const sender = new RecordingSender();
    const result = await sender.send({ id: "ntf_1", template: "order-ready-for-pickup", params: { ...REF, pickupCode: "428613", siteName: "石门乡" }, patientId: "pat-secret-42" });
    expect(result).toEqual({ ok: true });
    expect(sender.sent).toEqual([{ id: "ntf_1", template: "order-ready-for-pickup", text: expect.stringContaining("428613") }]);
    expect(log).toHaveBeenCalledTimes(1);
    const line = String(log.mock.calls[0]?.[0]);
    expect(JSON.parse(line)).toMatchObject({ level: "info", channel: "sms", notificationId: "ntf_1", template: "order-ready-for-pickup" });
    expect(line).not.toMatch(/pat-secret-42|428613|K7QX2M9PAB|石门乡/);
  });

  it("fails permanently on an unknown template and records nothing", async () => {
    vi.spyOn(console, "log").mockImplementation(() => {});
    const sender = new RecordingSender("wechat");
    const result = await sender.send({ id: "ntf_2", template: "nope", params: {}, patientId: "p" });
    expect(result).toMatchObject({ ok: false, permanent: true });
    expect(sender.sent).toEqual([]);
    expect(sender.channel).toBe("wechat");
  });
});
