/**
 * 处方点评 as the consortium's admin would first try it: 刘建军 opens 处方点评, draws last
 * month's sample for 桃源镇溪口村卫生室 (seeds/demo-reviews.ts: 14 prescriptions or more, some with
 * the engine's warnings stored), reviews two by keyboard only (J to move, the engine's
 * suggestion pre-ticked, a number typed to add an item, 0 to clear, N for a note, Enter to
 * save and move on), sees progress and the rate, and reads the per-doctor feedback.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { lastChinaMonth } from "../../seeds/demo-reviews";
import { loginAs, openBrowser, type Session, screenshot } from "./browser";

async function apiAs(page: Page, path: string): Promise<{ status: number; body: unknown }> {
  const token = await page.evaluate("sessionStorage.getItem('yaolian.token')");
  const res = await fetch(`${inject("baseUrl")}/api/v1${path}`, { headers: { authorization: `Bearer ${token}` } });
  return { status: res.status, body: await res.json() };
}

interface StoredSample {
  items: { prescriptionId: string; outcome: string | null; problems: string[]; note: string | null; suggested: string[] }[];
}

describe("处方点评: draw, review by keyboard, rate, feedback", () => {
  let s: Session;
  beforeAll(async () => {
    s = await openBrowser(inject("baseUrl"));
  });
  afterAll(async () => {
    await s?.close();
  });

  it("刘建军 draws last month for a village clinic and reviews two prescriptions without the mouse", async () => {
    const { page } = s;
    const month = lastChinaMonth(new Date());
    await loginAs(page, "admin-county", "/ui/reviews");
    expect(new URL(page.url()).pathname).toBe("/ui/reviews");
    expect(await page.locator('nav a[href="/ui/reviews"]').isVisible()).toBe(true);
    expect(await page.locator("#month").inputValue()).toBe(month);

    await page.locator('#institution option[value="inst-xikou"]').waitFor({ state: "attached" });
    await page.locator("#institution").selectOption("inst-xikou");
    await page.locator("#draw").click();
    await page.locator("#review-section:not([hidden])").waitFor();
    // the J key walks to the first prescription the engine warned about (a duplicate class): its item pre-ticked
    const stored = (await apiAs(page, `/reviews/samples?month=${month}&institutionId=inst-xikou`)).body as { items: { id: string; drawn: number; population: number }[] };
    const sampleId = stored.items[0]?.id ?? "";
    const drawn = stored.items[0]?.drawn ?? 0;
    // seeds/demo-reviews.ts alone gives 14; other demo seeds may add more of the same month
    expect(drawn).toBeGreaterThanOrEqual(14);
    expect(drawn).toBe(Math.min(100, stored.items[0]?.population ?? 0));
    expect(await page.locator("#msg").textContent()).toContain(`已抽取 1 个样本，共 ${drawn} 张处方`);
    expect(await page.locator("#review-list li").count()).toBe(drawn);
    expect(await page.locator("#review-progress").textContent()).toContain(`已点评 0 / ${drawn} 张`);
    const before = (await apiAs(page, `/reviews/samples/${sampleId}`)).body as StoredSample;
    const warned = before.items.findIndex((i) => i.suggested.includes("ab-04"));
    expect(warned).toBeGreaterThan(0);
    expect(warned + 1).toBeLessThan(drawn);
    for (let i = 0; i < warned; i++) await page.keyboard.press("j");
    expect(await page.locator("#review-list li.current .no").textContent()).toBe(String(warned + 1));
    const duplicate = page.locator('#review-card label[data-code="ab-04"]');
    expect(await duplicate.locator("input").isChecked()).toBe(true);
    expect(await duplicate.textContent()).toContain("系统提示");
    expect(await page.locator("#verdict").textContent()).toContain("超常处方");

    // 1 then 2: item 12 (用量超过 7 日未注明理由), ticked as well; N, a note, Esc, Enter
    await page.keyboard.press("1");
    await page.keyboard.press("2");
    expect(await page.locator('#review-card label[data-code="ns-12"] input').isChecked()).toBe(true);
    await page.keyboard.press("n");
    await page.keyboard.type("氨氯地平与硝苯地平同属二氢吡啶类，请停用其一");
    await page.keyboard.press("Escape");
    await screenshot(page, "reviews-item");
    await page.keyboard.press("Enter");
    await page.locator(`#review-list li:nth-child(${warned + 1}) .badge:has-text("超常处方")`).waitFor();
    expect(await page.locator("#review-list li.current .no").textContent()).toBe(String(warned + 2));

    // the next one: 0 clears whatever is pre-ticked, Enter saves it as 合理处方
    await page.keyboard.press("0");
    expect(await page.locator("#verdict").textContent()).toContain("合理处方");
    await page.keyboard.press("Enter");
    await page.locator(`#review-list li:nth-child(${warned + 2}) .badge:has-text("合理处方")`).waitFor();
    expect(await page.locator("#review-progress").textContent()).toContain(`已点评 2 / ${drawn} 张 · 合理 1 张 · 合理率 50.0%`);
    await screenshot(page, "reviews-review");

    const after = (await apiAs(page, `/reviews/samples/${sampleId}`)).body as StoredSample;
    expect(after.items[warned]).toMatchObject({ outcome: "abnormal", problems: ["ns-12", "ab-04"], note: "氨氯地平与硝苯地平同属二氢吡啶类，请停用其一" });
    expect(after.items[warned + 1]).toMatchObject({ outcome: "rational", problems: [] });

    // back to the list: the progress bar and the rate
    await page.locator("#back").click();
    await page.locator('#samples-section[data-state="ready"]').waitFor();
    const row = page.locator(`#samples tbody tr[data-sample="${sampleId}"]`);
    expect(await row.locator("td.rate").textContent()).toBe("50.0%");
    expect(await row.locator("progress").getAttribute("aria-label")).toBe(`已点评 2 / ${drawn}`);
    await screenshot(page, "reviews-samples");

    // the per-doctor feedback (admins see open samples too), printable
    await page.locator("#feedback-link").click();
    await page.locator("#fb-items:not([hidden])").waitFor();
    expect(await page.locator("#fb-doctors tbody tr").first().textContent()).toContain("彭秀兰");
    expect(await page.locator("#fb-items tbody").textContent()).toContain("无正当理由为同一患者同时开具2种以上药理作用相同药物");
    await screenshot(page, "reviews-feedback");
    expect(s.errors).toEqual([]);
  });

  it("彭秀兰 reaches her feedback from 我的处方 and sees nothing of a sample still under review", async () => {
    const { page } = s;
    await loginAs(page, "doc-xikou-village", "/ui/prescriptions");
    await page.locator("#review-feedback-link").click();
    await page.waitForURL((url) => url.pathname === "/ui/reviews/feedback");
    // her last 12 months: only closed samples (other demo seeds may hold one); then last month alone, still under review: nothing
    await page.locator("#fb-scope", { hasText: "仅显示已完成点评的样本中您开具的处方" }).waitFor();
    expect(await page.locator("#fb-doctor-label").isHidden()).toBe(true);
    expect(await page.locator("#fb-items tbody").textContent()).not.toContain("请停用其一");
    await screenshot(page, "reviews-feedback-doctor");
    await page.locator("#fb-month").fill(lastChinaMonth(new Date()));
    await page.locator('#feedback-form button[type="submit"]').click();
    await page.locator("#fb-empty:not([hidden])").waitFor();
    expect(await page.locator("#fb-doctors").isHidden()).toBe(true);
    expect(s.errors).toEqual([]);
  });
});
