import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { loginAs, openBrowser, type Session, screenshot } from "./browser";

describe("formulary pages", () => {
  let s: Session;
  beforeAll(async () => {
    s = await openBrowser(inject("baseUrl"));
  });
  afterAll(async () => {
    await s?.close();
  });

  it("an admin signs in, finds 阿司匹林 by its pinyin initials and opens its entry with the history", async () => {
    const { page } = s;
    await page.goto("/");
    expect(new URL(page.url()).pathname).toBe("/ui/formulary");
    expect(await page.locator("#msg").textContent()).toContain("请先登录");

    await loginAs(page, "admin-county", "/ui/formulary");
    // the header names the admin's institution, not its id
    expect(await page.locator("#who-name").textContent()).toBe("刘建军（管理员 · 青溪县人民医院）");
    // the admin's own links show: import, the console, 处方点评, 统计报表
    expect(await page.locator('nav a[data-role="admin"]:visible').count()).toBe(4);
    expect(await page.locator('nav a[data-role="doctor"]:visible').count()).toBe(0);

    await page.locator("#q").pressSequentially("ASPL", { delay: 40 });
    const rows = page.locator("#results tbody tr");
    await rows.filter({ hasText: "阿司匹林" }).first().waitFor();
    await expect.poll(() => new URL(page.url()).searchParams.get("q")).toBe("ASPL");
    const names = await rows.locator("td:first-child a").allTextContents();
    expect(names.length).toBeGreaterThan(1);
    expect(new Set(names)).toEqual(new Set(["阿司匹林"]));
    const first = rows.first();
    expect(await first.locator(".badge").allTextContents()).toEqual(expect.arrayContaining(["基药", "在用"]));

    const code = await first.getAttribute("data-code");
    await first.locator("a").click();
    await page.waitForURL(`**/ui/formulary/${code}`);
    await page.locator("#history li").first().waitFor();
    expect(await page.locator("#entry-name").textContent()).toContain("阿司匹林");
    expect(await page.locator('dd[data-field="pinyin"]').textContent()).toBe("ASPL");
    expect(await page.locator('dd[data-field="code"]').textContent()).toBe(code);
    const v1 = page.locator('#history li[data-version="1"]');
    expect(await v1.textContent()).toContain("新建");
    await screenshot(page, "formulary-entry-aspirin");
    expect(s.errors).toEqual([]);
  });

  it("filters by status and pages on with the cursor", async () => {
    const { page } = s;
    await page.goto("/ui/formulary?status=active");
    const rows = page.locator("#results tbody tr");
    await rows.nth(19).waitFor();
    expect(await page.locator("#status").inputValue()).toBe("active");
    expect(await rows.count()).toBe(20);
    await page.locator("#more").click();
    await rows.nth(39).waitFor();
    const codes = await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute("data-code")));
    expect(new Set(codes).size).toBe(40);
    expect(await page.locator("#summary").textContent()).toContain("40");

    await page.locator("#q").fill("没有这种药");
    await expect.poll(() => page.locator("#summary").textContent()).toContain("没有找到");
    expect(await rows.count()).toBe(0);
    expect(s.errors).toEqual([]);
  });
});
