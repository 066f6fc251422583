import { afterEach, describe, expect, it, vi } from "vitest";
import {
  isNotificationTemplate,
  messageParams,
  NOTIFICATION_TEMPLATES,
  RecordingSender,
  redactParams,
  rejectReasonLabel,
  renderNotification,
} from "../../worker/pharmacy/notifications/notifications.sender";

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

  it("covers every template the transitions write", () => {
    for (const t of NOTIFICATION_TEMPLATES) {
      expect(isNotificationTemplate(t)).toBe(true);
      expect(renderNotification(t, REF)).toMatch(/^【药联】.+（订单号 K7QX2M9PAB）。$/);
    }
    expect(isNotificationTemplate("order-approved")).toBe(false);
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
