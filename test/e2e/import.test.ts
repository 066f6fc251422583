import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { loginAs, openBrowser, type Session, screenshot } from "./browser";

const HEADER = "code,genericName,innName,form,strengthValue,strengthUnit,packSize,packUnit,route,atc,essential,storage,longRxEligible,conditions,minLevel,price";
const csv = (price: string) =>
  [
    HEADER,
    `E2E-0001,测试坦,Testartan,片剂,80,mg,28,片,oral,C09CA99,true,normal,true,I10,village,${price}`,
    "E2E-0002,测试格列汀,Testagliptin,片剂,100,mg,14,片,oral,A10BH99,false,normal,true,E11,primary,45.00",
  ].join("\n");

describe("formulary import page", () => {
  let s: Session;
  beforeAll(async () => {
    s = await openBrowser(inject("baseUrl"));
  });
  afterAll(async () => {
    await s?.close();
  });

  it("an admin dry-runs a 2-row CSV, applies it, sees the new entries, then imports a change and reads its diff", async () => {
    const { page } = s;
    await loginAs(page, "admin-county", "/ui/formulary/import");
    expect(new URL(page.url()).pathname).toBe("/ui/formulary/import");
    expect(await page.locator("#apply").isDisabled()).toBe(true);

    await page.locator("#csv").fill(csv("32.50"));
    await page.locator("#dry-run").click();
    await page.locator("#report-title", { hasText: "试运行" }).waitFor();
    expect(await page.locator('#summary [data-outcome="created"]').textContent()).toBe("新增 2");
    expect(await page.locator('#report-rows tbody tr[data-outcome="created"]').count()).toBe(2);
    expect(await page.locator("#report-rows a").count()).toBe(0); // nothing exists yet to link to

    // the dry run wrote nothing
    await page.goto("/ui/formulary?q=E2E-0001");
    await expect.poll(() => page.locator("#summary").textContent()).toContain("没有找到");

    await page.goto("/ui/formulary/import");
    await page.locator("#csv").fill(csv("32.50"));
    await page.locator("#dry-run").click();
    await page.locator("#apply:not([disabled])").waitFor();
    await page.locator("#apply").click();
    await page.locator("#report-title", { hasText: "导入完成" }).waitFor();
    expect(await page.locator('#summary [data-outcome="created"]').textContent()).toBe("新增 2");
    await screenshot(page, "import-applied");

    await page.locator('#report-rows a[href="/ui/formulary/E2E-0001"]').click();
    await page.waitForURL("**/ui/formulary/E2E-0001");
    await page.locator('#history li[data-version="1"]').waitFor();
    expect(await page.locator("#entry-name").textContent()).toContain("测试坦");
    expect(await page.locator('dd[data-field="price"]').textContent()).toBe("¥32.50");

    // the same file with one price changed: one update, one unchanged; the history shows the change
    await page.goto("/ui/formulary/import");
    await page.locator("#csv").fill(csv("29.80"));
    await page.locator("#dry-run").click();
    await page.locator("#report-title", { hasText: "试运行" }).waitFor();
    expect(await page.locator('#summary [data-outcome="updated"]').textContent()).toBe("更新 1");
    expect(await page.locator('#summary [data-outcome="unchanged"]').textContent()).toBe("未变 1");
    await page.locator("#csv").press("End");
    await page.locator("#csv").pressSequentially(" ");
    expect(await page.locator("#apply").isDisabled()).toBe(true); // edited after the dry run: check again first
    await page.locator("#csv").fill(csv("29.80"));
    await page.locator("#dry-run").click();
    await page.locator("#apply:not([disabled])").waitFor();
    await page.locator("#apply").click();
    await page.locator("#report-title", { hasText: "导入完成" }).waitFor();
    await page.locator('#report-rows tr[data-outcome="updated"] a').click();
    await page.waitForURL("**/ui/formulary/E2E-0001");
    const v2 = page.locator('#history li[data-version="2"]');
    await v2.waitFor();
    expect(await v2.textContent()).toContain("导入");
    const priceChange = v2.locator('tr[data-field="price"]');
    expect(await priceChange.locator("del").textContent()).toBe("¥32.50");
    expect(await priceChange.locator("ins").textContent()).toBe("¥29.80");
    expect(await v2.locator("tbody tr").count()).toBe(1);
    await screenshot(page, "import-entry-history-diff");

    // and the new entry is found by the formulary search
    await page.goto("/ui/formulary?q=CSG");
    await page.locator('#results tr[data-code="E2E-0002"]').waitFor();
    expect(s.errors).toEqual([]);
  });

  it("an admin imports a 3,000-row file in chunks: progress, the rejected rows, then 发布 publishes it all at once", async () => {
    const { page } = s;
    await loginAs(page, "admin-county", "/ui/formulary/import");
    const rows = Array.from({ length: 3000 }, (_, i) => {
      const code = `E2EB-${String(i + 1).padStart(4, "0")}`;
      // rows 1500 and 2999: a route and a strength the schema refuses
      const route = i === 1499 ? "mouth" : "oral";
      const strength = i === 2998 ? "-5" : "10";
      return `${code},分块测试药${i + 1},Chunkamide,片剂,${strength},mg,28,片,${route},C09CA98,false,normal,false,I10,village,12.00`;
    });
    const file = [HEADER, ...rows].join("\n");
    await page.locator("#file").setInputFiles({ name: "大目录.csv", mimeType: "text/csv", buffer: Buffer.from(file) });
    await page.locator("#dry-run").click();
    await expect.poll(() => page.locator("#job-status").textContent(), { timeout: 60_000 }).toContain("已上传 3/3 块 · 已校验 3,000 行");
    await page.locator("#report-title", { hasText: "试运行" }).waitFor();
    expect(await page.locator('#summary [data-outcome="created"]').textContent()).toBe("新增 2998");
    expect(await page.locator('#summary [data-outcome="rejected"]').textContent()).toBe("拒绝 2");
    expect(await page.locator('#report-rows tbody tr[data-outcome="rejected"]').evaluateAll((trs) => trs.map((tr) => tr.getAttribute("data-row")))).toEqual(["1500", "2999"]);
    // why, in the admin's language: the field's name beside the file's column, zod's message in Chinese
    expect(await page.locator('#report-rows tbody tr[data-row="1500"] li').textContent()).toMatch(/^给药途径 route：无效选项：期望以下之一 /);
    await screenshot(page, "import-chunked-checked");

    // nothing is visible before 发布
    const statusOf = (code: string) =>
      page.evaluate<number>(`fetch("/api/v1/formulary/drugs/${code}", { headers: { authorization: "Bearer " + sessionStorage.getItem("yaolian.token") } }).then((r) => r.status)`);
    expect(await statusOf("E2EB-0001")).toBe(404);
    await page.locator("#publish:not([disabled])").click();
    await expect.poll(() => page.locator("#job-status").textContent(), { timeout: 60_000 }).toContain("发布完成");
    await page.locator("#report-title", { hasText: "导入完成" }).waitFor();
    expect(await page.locator("#job-status").textContent()).toContain("已发布 2,998/2,998 行");
    // a published job cannot be given up: the link is gone
    expect(await page.locator("#abort-job").isHidden()).toBe(true);
    await screenshot(page, "import-chunked-published");

    expect(await statusOf("E2EB-0001")).toBe(200);
    await page.goto("/ui/formulary?q=E2EB-2998");
    await page.locator('#results tr[data-code="E2EB-2998"]').waitFor();
    expect(s.errors).toEqual([]);
  });

  it("tells a doctor that importing is for admins", async () => {
    const { page } = s;
    await loginAs(page, "doc-county-cardio-senior", "/ui/formulary/import");
    expect(await page.locator("#msg").textContent()).toContain("仅限管理员");
    expect(await page.locator("#dry-run").isDisabled()).toBe(true);
  });
});
