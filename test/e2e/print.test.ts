import { readFileSync, statSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { loginAs, openBrowser, type Session, screenshot } from "./browser";
import { RESULTS } from "./stack";

/** Demo queue (seeds/demo-queue.ts): pat-009 郑秀梅, amlodipine 5 mg qd and metformin 0.5 g bid for 28 days. */
const ORDER = "ord_demo_1_1";

describe("print pages, the patient's status page and the dev handset", () => {
  let s: Session;
  beforeAll(async () => {
    s = await openBrowser(inject("baseUrl"));
  });
  afterAll(async () => {
    await s?.close();
  });

  it("prints one large label per item on a 58 mm roll (PDF), and a pickup slip without the pickup code", async () => {
    const { page } = s;
    await loginAs(page, "ph-cloud-1");
    await page.goto(`/ui/desk/orders/${ORDER}/labels?size=58`);
    const labels = page.locator("#sheets .label");
    await labels.first().waitFor();
    expect(await labels.count()).toBe(2);
    const texts = await labels.allInnerTexts();
    for (const t of texts) {
      expect(t).toContain("郑秀梅");
      expect(t).toContain("28 天");
      expect(t).toMatch(/数量\s*\d+ /);
    }
    const amlodipine = texts.find((t) => t.includes("氨氯地平")) ?? "";
    const metformin = texts.find((t) => t.includes("二甲双胍")) ?? "";
    expect(amlodipine).toMatch(/每日一次[\s\S]*每次 1 片/);
    expect(metformin).toMatch(/每日两次[\s\S]*每次 1 片/);
    expect(amlodipine).not.toMatch(/\b(qd|bid)\b/);
    expect(amlodipine).toContain("1 盒（每盒 28 片）");

    const pdf = path.join(RESULTS, "desk-labels-58mm.pdf");
    await page.pdf({ path: pdf, width: "58mm", preferCSSPageSize: true, printBackground: true });
    expect(statSync(pdf).size).toBeGreaterThan(1000);
    expect(readFileSync(pdf).subarray(0, 5).toString("latin1")).toBe("%PDF-");
    // the print bar (打印 button, width links) is screen-only
    await page.emulateMedia({ media: "print" });
    expect(await page.locator("#print").isVisible()).toBe(false);
    await page.emulateMedia({ media: "screen" });
    await screenshot(page, "desk-labels");

    await page.goto(`/ui/desk/orders/${ORDER}/slip`);
    const slip = page.locator("#sheets .slip");
    await slip.waitFor();
    const slipText = (await slip.textContent()) ?? "";
    expect(slipText).toContain("凭短信取药码取药");
    expect(slipText).toContain("/ui/status");
    expect(slipText).toContain("第 1 次，共 1 次");
    expect(slipText).not.toContain("取药码：");
    await screenshot(page, "desk-slip");
    expect(s.errors).toEqual([]);
  });

  it("shows the patient's handset and the public status lookup (wrong digits → an error, never the order)", async () => {
    const { page } = s;
    const token = String(await page.evaluate("sessionStorage.getItem('yaolian.token')"));
    const res = await fetch(`${inject("baseUrl")}/api/v1/orders/${ORDER}`, { headers: { authorization: `Bearer ${token}` } });
    const { reference } = (await res.json()) as { reference: string };
    expect(reference).toMatch(/^[A-Z0-9]{6,20}$/);

    await page.goto("/ui/dev/phone?patientId=pat-009");
    await page.locator("#phone-head", { hasText: "pat-009" }).waitFor();
    await page.locator("#phone-list li").first().waitFor();
    await screenshot(page, "dev-phone");

    await page.goto(`/ui/status?reference=${reference}`);
    expect(await page.locator("#reference").inputValue()).toBe(reference);
    await page.locator("#check").fill("0000");
    await page.locator("#status-form button[type=submit]").click();
    const error = page.locator("#msg .notice.err");
    await error.waitFor();
    expect(await error.textContent()).toMatch(/没有找到这个订单|尝试次数过多/);
    expect(await page.locator("#result").textContent()).toBe("");
    await screenshot(page, "patient-status");
    expect(s.errors).toEqual([]);
  });
});
