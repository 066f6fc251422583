/**
 * 统计报表 as a new admin tries it (issue 9): 刘建军 signs in, opens 统计报表 from the header,
 * asks "how did our village clinics do last month?" (村卫生室 + last month), reads the
 * charts, opens a chart's table from the keyboard and downloads its CSV. The demo history
 * (seeds/demo-reports.ts) gives last month its prescriptions, reviews and hand-overs.
 */
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import path from "node:path";
import { loginAs, openBrowser, type Session, screenshot } from "./browser";
import { RESULTS } from "./stack";

/** The China month before today's, YYYY-MM (the page's default, and what the admin asks for). */
function lastChinaMonth(): string {
  const [y, m] = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 7).split("-").map(Number) as [number, number];
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, "0")}`;
}

describe("reports: 统计报表 for the consortium's admin", () => {
  let s: Session;
  beforeAll(async () => {
    s = await openBrowser(inject("baseUrl"));
  });
  afterAll(async () => {
    await s?.close();
  });

  it("刘建军 answers 'how did our village clinics do last month?' with charts, a table and a CSV", async () => {
    const { page } = s;
    await loginAs(page, "admin-county");
    const nav = page.getByRole("link", { name: "统计报表" });
    await nav.click();
    await page.waitForURL((url) => url.pathname === "/ui/reports");
    // the whole consortium, last month by default
    await page.locator("#figures .figure").first().waitFor();
    expect(await page.locator("#month").inputValue()).toBe(lastChinaMonth());
    await screenshot(page, "reports-all");

    await page.locator("#level").selectOption("village");
    await page.locator("#month").fill(lastChinaMonth());
    await page.getByRole("button", { name: "查询" }).click();
    await page.waitForURL((url) => url.searchParams.get("level") === "village");
    // loaded: the scope line names the dates the API answered for
    await page.locator("#scope", { hasText: "中国时间" }).waitFor();
    expect(await page.locator("#scope").textContent()).toContain("全部村卫生室");

    // a chart is drawn: a canvas with pixels on it
    const quality = page.locator("#quality-institution");
    // (the node tsconfig has no DOM: the check runs in the page as an expression)
    const painted = await page.evaluate<{ width: number; ink: number }>(`(() => {
      const c = document.querySelector("#quality-institution canvas");
      const data = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
      let ink = 0;
      for (let i = 3; i < data.length; i += 4) if (data[i] > 0) ink++;
      return { width: c.width, ink };
    })()`);
    expect(painted.width).toBeGreaterThan(300);
    expect(painted.ink).toBeGreaterThan(1000);
    // only the village clinics are listed
    const table = quality.locator("table");
    expect(await table.isVisible()).toBe(false);

    // the table view, from the keyboard
    const toggle = quality.getByRole("button", { name: "显示表格" });
    await toggle.focus();
    await page.keyboard.press("Enter");
    expect(await table.isVisible()).toBe(true);
    expect(await quality.getByRole("button", { name: "隐藏表格" }).getAttribute("aria-pressed")).toBe("true");
    const rows = await table.locator("tbody tr th").allTextContents();
    expect(rows.sort()).toEqual(["桃源镇溪口村卫生室", "石门乡枫林村卫生室"].sort());

    // the summary tiles and the prescribing indicators against the village peers
    expect(await page.locator(".tile").first().textContent()).toMatch(/处方\d+/);
    await page.locator("#indicator").selectOption("antimicrobialShare");
    const ind = page.locator("#indicators-institution");
    expect(await ind.locator("canvas").count()).toBe(1);
    expect(await ind.locator("h2").textContent()).toContain("抗菌药物使用率");

    // the CSV: UTF-8 with a BOM, Chinese headers, the same rows as the table
    const [download] = await Promise.all([page.waitForEvent("download"), quality.getByRole("button", { name: "下载 CSV" }).click()]);
    expect(download.suggestedFilename()).toMatch(/^quality-institution-\d{4}-\d{2}-01-\d{4}-\d{2}-\d{2}\.csv$/);
    const bytes = readFileSync(await download.path());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.toString("utf8").slice(1).trim().split("\r\n");
    expect(lines[0]).toBe("机构,审核处方,审核通过,审核不通过,审核合格率(%),点评抽样,已点评,合理,不规范,用药不适宜,超常,点评合格率(%)");
    expect(lines.slice(1).map((l) => l.split(",")[0]).sort()).toEqual(rows.sort());
    // the village clinics' reviews of last month are in it (the demo history has some)
    const reviewed = lines.slice(1).reduce((n, l) => n + Number(l.split(",")[1]), 0);
    expect(reviewed).toBeGreaterThan(0);

    await screenshot(page, "reports-village");
    // at their real size, as read on the screen
    await quality.screenshot({ path: path.join(RESULTS, "reports-village-quality.png") });
    await ind.screenshot({ path: path.join(RESULTS, "reports-village-indicators.png") });
    await page.emulateMedia({ media: "print" });
    await screenshot(page, "reports-print");
    await page.emulateMedia({ media: "screen" });
    expect(s.errors).toEqual([]);
  });

  it("a doctor is told the page is for admins", async () => {
    const { page } = s;
    await page.evaluate("sessionStorage.clear()");
    await loginAs(page, "doc-shimen-gp-intermediate");
    await page.goto("/ui/reports");
    await page.locator("#msg .notice").waitFor();
    expect(await page.locator("#msg").textContent()).toContain("管理员");
    expect(await page.locator("#figures canvas").count()).toBe(0);
  });
});
