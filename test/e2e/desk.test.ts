import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { loginAs, openBrowser, type Session, screenshot } from "./browser";

/**
 * The pharmacy desk's day for one order of the demo queue (seeds/demo-queue.ts): pat-009's
 * first-issue long prescription (amlodipine ×1, metformin ×56), pickup at 城关镇, pending
 * review at 青溪县域云药房. Only 30 of the 56 metformin packs are in stock.
 */
const ORDER = "ord_demo_1_1";
const AMLODIPINE = "W185-01";
const METFORMIN = "W315-05";

interface PhoneMessage {
  orderId: string;
  template: string;
  at: string;
  text: string;
}

/** The pickup code as the patient's handset received it (the dev phone, GET /api/v1/dev/sms). */
async function pickupCodeFromSms(patientId: string, orderId: string): Promise<string> {
  const res = await fetch(`${inject("baseUrl")}/api/v1/dev/sms?patientId=${encodeURIComponent(patientId)}`);
  expect(res.status).toBe(200);
  const { items } = (await res.json()) as { items: PhoneMessage[] };
  const codes = items
    .filter((m) => m.orderId === orderId)
    .sort((a, b) => b.at.localeCompare(a.at))
    .map((m) => /(?<!\d)(\d{6})(?!\d)/.exec(m.text)?.[1])
    .filter((c) => c !== undefined);
  expect(codes.length).toBeGreaterThan(0);
  return codes[0] ?? "";
}

describe("pharmacy desk page", () => {
  let s: Session;
  beforeAll(async () => {
    s = await openBrowser(inject("baseUrl"));
  });
  afterAll(async () => {
    await s?.close();
  });

  it("徐文静 reviews, dispenses part of pat-009's order, readies it and hands it over against the scanned pickup code", async () => {
    const { page } = s;
    await loginAs(page, "ph-cloud-1");
    expect(new URL(page.url()).pathname).toBe("/ui/desk");

    // the queue: pending review first, with counts per state
    await page.locator('#desk[data-state="ready"]').waitFor();
    const pendingTab = page.locator('#tabs button[data-status="pending_review"]');
    await pendingTab.locator(".count").waitFor();
    expect(Number(await pendingTab.locator(".count").textContent())).toBeGreaterThanOrEqual(3);
    expect(await pendingTab.getAttribute("aria-selected")).toBe("true");
    expect(Number(await page.locator('#tabs button[data-status="approved"] .count').textContent())).toBeGreaterThanOrEqual(1);
    const row = page.locator(`#queue tbody tr[data-id="${ORDER}"]`);
    await row.waitFor();
    expect(await row.textContent()).toContain("城关");
    // the patient at the window, found by name as the pharmacist types: only her orders stay
    await page.locator("#find").fill("郑秀");
    await page.locator("#summary", { hasText: "找到“郑秀”的订单" }).waitFor();
    const patients = await page.locator("#queue tbody tr td:first-child .sub").allTextContents();
    expect(patients.length).toBeGreaterThan(0);
    expect(patients.every((t) => t === "患者 郑*梅")).toBe(true);
    expect(new URL(page.url()).searchParams.get("q")).toBe("郑秀");
    await page.locator("#find").fill("");
    await page.locator("#summary", { hasText: "共显示" }).waitFor();
    // the patient as the window calls them: 郑秀梅 masked, never whole in the list
    expect(await row.locator("td").first().textContent()).toContain("患者 郑*梅");
    expect(await page.locator("#queue").textContent()).not.toContain("郑秀梅");
    // signed 95 minutes ago: past the review target, marked red, still waiting for a pharmacist
    expect(await row.getAttribute("class")).toContain("overdue");
    expect(await row.locator(".due.overdue").textContent()).toContain("已超时");
    expect(await row.getAttribute("data-status")).toBe("pending_review");
    await screenshot(page, "desk-queue");

    // Enter on the row opens the order
    await row.focus();
    await page.keyboard.press("Enter");
    await page.waitForURL((url) => url.pathname === `/ui/desk/orders/${ORDER}`);
    await page.locator('#desk[data-status="pending_review"]').waitFor();
    expect(await page.locator("#verification").getAttribute("data-valid")).toBe("true");
    expect(await page.locator("ol.rx-items > li").count()).toBe(2);
    // the patient with the age at writing (born 1972-02-14), as the 处方笺 gives it
    expect(await page.locator("p.patient").textContent()).toMatch(/^郑秀梅 · 女 · \d+岁 · 1972-02-14 出生 · pat-009$/);
    // the doctor and the clinic by name, as the 处方笺 names them
    expect(await page.locator("p", { has: page.locator("strong[title='doc-chengguan-gp-intermediate']") }).textContent()).toContain("医师 杨丽（中级） · 城关镇社区卫生服务中心");
    expect(await page.locator(`ol.rx-items > li[data-code="${METFORMIN}"]`).textContent()).toContain("56");
    expect(await page.locator("#reject-reason optgroup").count()).toBe(3);
    await screenshot(page, "desk-order");

    await page.getByRole("button", { name: "审核通过" }).click();
    await page.locator('#desk[data-status="approved"]').waitFor();
    // the timeline names who acted: the doctor who signed, then the pharmacist who reviewed
    expect(await page.locator("ol.timeline > li .sub").allTextContents()).toEqual([" 医生 · 杨丽", " 药房 · 徐文静"]);

    // dispense: amlodipine in full, metformin only 30 of 56 (the rest is held)
    const amlodipine = page.locator(`table.dispense tr[data-code="${AMLODIPINE}"]`);
    const metformin = page.locator(`table.dispense tr[data-code="${METFORMIN}"]`);
    expect(await amlodipine.locator("input.packages").inputValue()).toBe("1");
    expect(await metformin.locator("input.packages").inputValue()).toBe("56");
    await amlodipine.locator("input.lot").fill("A240611");
    await amlodipine.locator("input.expiry").fill("2028-05");
    await metformin.locator("input.packages").fill("30");
    await metformin.locator("input.lot").fill("M2403-17");
    await metformin.locator("input.expiry").fill("2027-11");
    await page.getByRole("button", { name: "确认调配" }).click();
    await page.locator('#desk[data-status="dispensing"]').waitFor();
    expect(await page.locator(".order-head").textContent()).toContain("部分缺货");

    await page.getByRole("button", { name: /备好待取/ }).click();
    await page.locator('#desk[data-status="ready_for_pickup"]').waitFor();
    // the scanner types into whatever has focus: the code field
    expect(await page.locator("#pickup-code:focus").count()).toBe(1);
    expect(await page.locator(".handover .handing").textContent()).toBe("本次交付：氨氯地平 ×1、二甲双胍 ×30（缺货待补：二甲双胍 ×26）");
    // the code reached the patient's phone, never the desk's screen
    const code = await pickupCodeFromSms("pat-009", ORDER);
    expect(await page.locator("body").textContent()).not.toContain(code);

    // a wrong scan first: counted, said in big letters
    const wrong = code === "000000" ? "111111" : "000000";
    await page.keyboard.type(wrong);
    await page.keyboard.press("Enter");
    await page.locator("#result .bad").waitFor();
    expect(await page.locator("#result").textContent()).toBe("取药码错误，剩余 4 次");
    expect(await page.locator("#result").getAttribute("role")).toBe("status");
    await screenshot(page, "desk-wrong-code");

    await page.locator("#pickup-code").focus();
    await page.keyboard.type(code);
    await page.keyboard.press("Enter");
    await page.locator('#desk[data-status="awaiting_stock"]').waitFor();
    expect(await page.locator("#result").textContent()).toContain("已发药 ✓");
    expect(await page.locator("#result").getAttribute("aria-live")).toBe("polite");
    expect(await page.locator(".order-head").textContent()).toContain("缺货待补");
    await screenshot(page, "desk-handover");

    expect(s.errors).toEqual([]);
  });
});
