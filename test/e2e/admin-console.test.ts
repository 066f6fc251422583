import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { loginAs, openBrowser, type Session, screenshot } from "./browser";

/** Opens a console page and waits until its script has loaded the data. */
async function open(page: Page, path: string): Promise<void> {
  await page.goto(path);
  await page.locator('#admin[data-state="ready"]').waitFor();
}

/** A token for another demo admin, as a second browser would hold it. */
async function tokenOf(page: Page, sub: string, org: string): Promise<string> {
  const res = await page.request.post("/api/v1/dev/token", { data: { role: "admin", sub, org } });
  expect(res.status()).toBe(200);
  const body: unknown = await res.json();
  const token = typeof body === "object" && body !== null ? Reflect.get(body, "token") : null;
  if (typeof token !== "string") throw new Error("no token in the dev login's answer");
  return token;
}

describe("the admins' console", () => {
  // unique per run, so the flow also reruns against a long-lived local stack
  const id = `doc-taoyuan-${Date.now().toString(36)}`;
  let s: Session;
  beforeAll(async () => {
    s = await openBrowser(inject("baseUrl"));
    await loginAs(s.page, "admin-county", "/ui/admin");
  });
  afterAll(async () => {
    await s?.close();
  });

  it("shows the overview and every list, in Chinese, with the demo consortium", async () => {
    const { page } = s;
    expect(new URL(page.url()).pathname).toBe("/ui/admin");
    expect(await page.locator('nav[aria-label="主导航"] a[href="/ui/admin"]').isVisible()).toBe(true);
    expect(await page.locator("ul.admin-cards li").count()).toBe(8);
    await screenshot(page, "admin-overview");

    const lists: [string, string, string][] = [
      ["institutions", "inst-county", "青溪县人民医院"],
      ["pharmacists", "ph-cloud-1", ""],
      ["pharmacies", "pharm-cloud", ""],
      ["specialties", "I10", ""],
      ["interactions", "", ""],
    ];
    for (const [view, id, text] of lists) {
      await open(page, `/ui/admin/${view}`);
      const rows = page.locator("table.admin-list tbody tr");
      expect(await rows.count()).toBeGreaterThan(0);
      if (id) expect(await page.locator(`table.admin-list tbody tr[data-id="${id}"]`).count()).toBe(1);
      if (text) expect(await page.locator(`tr[data-id="${id}"]`).textContent()).toContain(text);
      expect(await page.locator("#msg .notice.err").count()).toBe(0);
      await screenshot(page, `admin-${view}`);
    }
    expect(s.errors).toEqual([]);
  });

  it("adds a practitioner, showing the API's issues next to the fields first", async () => {
    const { page } = s;
    await open(page, "/ui/admin/practitioners?institution=inst-taoyuan");
    expect(await page.locator("#institution-filter").inputValue()).toBe("inst-taoyuan");
    const before = await page.locator("table.admin-list tbody tr").count();
    await page.keyboard.press("Alt+n");
    const form = page.locator("form.admin-form");
    await form.waitFor();
    await form.locator('input[name="id"]').fill(id);
    await form.locator('input[name="name"]').fill("   ");
    await form.getByRole("button", { name: "登记" }).click();
    // no name and no specialty: both said at their fields, not only at the top
    await form.locator('[data-field="name"].invalid .field-msg').waitFor();
    expect(await form.locator('[data-field="name"] .field-msg').textContent()).toBe("必填");
    expect(await form.locator('[data-field="specialties"] .field-msg').textContent()).toContain("至少选择一个专科");
    expect(await form.locator(".notice.err").textContent()).toContain("请修正标红的字段");
    await screenshot(page, "admin-practitioner-errors");

    await form.locator('input[name="name"]').fill("孙立新");
    await form.getByLabel("全科").check();
    await form.getByLabel("中医科").check();
    await form.getByRole("button", { name: "登记" }).click();
    await page.locator("#msg .notice.ok").waitFor();
    const row = page.locator(`tr[data-id="${id}"]`);
    await row.waitFor();
    expect(await row.textContent()).toContain("桃源镇卫生院");
    expect(await page.locator("table.admin-list tbody tr").count()).toBe(before + 1);

    await row.getByRole("button", { name: "编辑" }).click();
    await form.locator('select[name="title"]').selectOption("associate_senior");
    await form.getByRole("button", { name: "保存修改" }).click();
    await page.locator("#msg .notice.ok").waitFor();
    await expect.poll(() => row.textContent()).toContain("副高级");
    await screenshot(page, "admin-practitioners");
    expect(s.errors).toEqual([]);
  });

  it("changes a setting, and when another admin saved first says so and shows their value", async () => {
    const { page } = s;
    await open(page, "/ui/admin/settings");
    const card = page.locator('section.setting[data-key="reviewTargetMinutes"]');
    const version = Number(await card.locator(".setting-version").textContent());
    await card.locator("input").fill("45");
    await card.getByRole("button", { name: "保存" }).click();
    await card.locator(".notice.ok").waitFor();
    expect(await card.locator(".setting-value").getAttribute("data-value")).toBe("45");
    expect(await card.locator(".setting-version").textContent()).toBe(String(version + 1));

    // 宋晓燕 changes it from her own browser meanwhile
    const other = await tokenOf(page, "admin-chengguan", "inst-chengguan");
    const put = await page.request.put("/api/v1/settings/reviewTargetMinutes", {
      headers: { authorization: `Bearer ${other}`, "if-match": `"${version + 1}"` },
      data: { value: 50 },
    });
    expect(put.status()).toBe(200);

    await card.locator("input").fill("40");
    await card.getByRole("button", { name: "保存" }).click();
    const warning = card.locator(".notice.warn");
    await warning.waitFor();
    expect(await warning.textContent()).toContain("已被他人修改");
    expect(await warning.textContent()).toContain("admin-chengguan");
    expect(await card.locator(".setting-value").getAttribute("data-value")).toBe("50");
    expect(await card.locator("input").inputValue()).toBe("50");
    await screenshot(page, "admin-settings-conflict");

    await card.getByRole("button", { name: "变更历史" }).click();
    const history = card.locator(".setting-history tbody tr");
    await history.first().waitFor();
    expect(await history.first().textContent()).toContain("admin-chengguan");
    expect(s.errors).toEqual([]);
  });

  it("finds that change in the audit log, by link and by the filter form", async () => {
    const { page } = s;
    await open(page, "/ui/admin/audit?entityType=consortium_setting&entityId=reviewTargetMinutes");
    const rows = page.locator("table.audit-list tbody tr[data-id]");
    await rows.first().waitFor();
    expect(await page.locator("#f-entityId").inputValue()).toBe("reviewTargetMinutes");
    const texts = await rows.allTextContents();
    expect(texts.length).toBeGreaterThanOrEqual(2);
    expect(texts[0]).toContain("admin-chengguan");
    expect(texts[1]).toContain("刘建军");
    expect(texts.every((t) => t.includes("settings.update"))).toBe(true);
    await rows.first().getByRole("button", { name: "展开" }).click();
    const diff = page.locator("tr.audit-detail:not([hidden]) table.diff");
    await diff.waitFor();
    expect(await diff.locator("tr.changed").first().textContent()).toContain("45");
    await screenshot(page, "admin-audit");

    await page.locator("#f-entityType").selectOption("");
    await page.locator("#f-entityId").fill("");
    await page.locator("#f-actorId").fill("admin-county");
    await page.locator("#f-action").fill("practitioner.");
    await page.locator("#f-actorId").press("Enter");
    await expect.poll(() => new URL(page.url()).searchParams.get("actorId")).toBe("admin-county");
    await expect.poll(async () => (await rows.allTextContents()).join("|")).toContain(id);
    expect((await rows.allTextContents()).every((t) => t.includes("practitioner."))).toBe(true);

    // the reads are on the log too
    await open(page, "/ui/admin/audit?entityType=audit_log");
    await rows.first().waitFor();
    expect(await rows.first().textContent()).toContain("audit.read");
    await screenshot(page, "admin-audit-reads");
    expect(s.errors).toEqual([]);
  });
});
