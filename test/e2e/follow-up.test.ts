/**
 * The village doctor's morning (issue 8), as a new user would try it: 曹德贵 signs in and lands
 * on 随访, finds 张桂兰 by her pinyin initials, reads her overview (conditions, the first long
 * prescription written at 石门乡卫生院 on 2026-08-28 for 84 days, so lapsed since 2026-11-20),
 * renews it from one click (the form pre-filled, today's findings shown), records the
 * assessment and the patient's confirmation, and signs.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { arrowToOption, loginAs, openBrowser, type Session, screenshot } from "./browser";

const METFORMIN = "W315-05";
const AMLODIPINE = "W185-01";

/** The API with the page's own token (the node tsconfig has no DOM, so the token is read as an expression). */
async function apiAs(page: Page, method: string, path: string, json?: unknown): Promise<{ status: number; body: unknown }> {
  const token = await page.evaluate("sessionStorage.getItem('yaolian.token')");
  const res = await fetch(`${inject("baseUrl")}/api/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(json === undefined ? {} : { "content-type": "application/json" }) },
    body: json === undefined ? undefined : JSON.stringify(json),
  });
  return { status: res.status, body: await res.json() };
}

interface OverviewSupply {
  supply: { prescriptionId: string | null; institutionId: string }[];
}

describe("follow-up: search, overview, renewal", () => {
  let s: Session;
  /** the renewal this test signs, cancelled afterwards so the other browser tests find pat-001 as seeded */
  let signed: string | null = null;
  beforeAll(async () => {
    s = await openBrowser(inject("baseUrl"));
  });
  afterAll(async () => {
    if (s && signed) expect((await apiAs(s.page, "POST", `/prescriptions/${signed}/cancel`, { reason: "测试结束复位" })).status).toBe(200);
    await s?.close();
  });

  it("曹德贵 finds 张桂兰 by zgl, reads her overview and renews her long prescription", async () => {
    const { page } = s;
    await loginAs(page, "doc-fenglin-village");
    expect(new URL(page.url()).pathname).toBe("/ui/follow-up");

    // The browser tests share one database: prescribe.test.ts may already have signed a renewal of
    // pat-001 today at this clinic, which would make today's renewal a duplicate supply and take
    // her off the due list. Cancel those first (nothing is dispensed yet).
    const before = await apiAs(page, "GET", "/patients/pat-001/overview");
    expect(before.status).toBe(200);
    const ours = new Set((before.body as OverviewSupply).supply.filter((l) => l.institutionId === "inst-fenglin" && l.prescriptionId).map((l) => l.prescriptionId ?? ""));
    for (const id of ours) expect((await apiAs(page, "POST", `/prescriptions/${id}/cancel`, { reason: "测试前复位：改由随访续方" })).status).toBe(200);

    // 随访: the due list, the search box focused
    await page.goto("/ui/follow-up");
    await page.locator('#due-section[data-state="ready"]').waitFor();
    const row = page.locator('#due tbody tr[data-patient="pat-001"]');
    expect(await page.locator("#patient-q:focus").count()).toBe(1);
    expect(await row.locator(".reasons").textContent()).toContain("已断药");
    expect(await row.locator(".days-left").textContent()).toMatch(/^已断药 \d+ 天$/); // supply ended 2026-11-20; the days follow the China date
    expect(await row.locator(".drugs").textContent()).toContain("二甲双胍");
    await screenshot(page, "follow-up-due-list");

    // search by pinyin initials, arrow keys and Enter open the overview
    const option = await arrowToOption(page, "#patient-q", "#patient-options", "zgl", "pat-001");
    expect(await option.getAttribute("aria-selected")).toBe("true");
    expect(await option.textContent()).toContain("张桂兰");
    await page.locator("#patient-q").press("Enter");
    await page.waitForURL("**/ui/patients/pat-001");

    // the overview
    await page.locator('#patient-page[data-state="ready"]').waitFor();
    expect(await page.locator("#patient-name").textContent()).toBe("张桂兰");
    expect(await page.locator("#patient-facts").textContent()).toContain("女 · 68岁");
    expect(await page.locator("#patient-facts").textContent()).toContain("曹德贵");
    const i10 = page.locator('#conditions tr[data-icd10="I10"]');
    expect(await i10.textContent()).toContain("稳定");
    expect(await i10.textContent()).toContain("邓春梅");
    expect(await i10.textContent()).toContain("石门乡卫生院");
    expect(await page.locator('#conditions tr[data-icd10="E11.9"]').count()).toBe(1);
    const last = await page.locator("#last-rx").textContent();
    expect(last).toContain("2026-08-28 · 石门乡卫生院 · 邓春梅");
    expect(last).toContain("84 天");
    expect(await page.locator("#last-rx a").count()).toBe(0); // written at another institution: named, not opened
    expect(await page.locator("#renewal-state").textContent()).toMatch(/2026-11-20 用完，已断药 \d+ 天/);
    await screenshot(page, "follow-up-overview");

    // 续方: the whole form pre-filled from the last long prescription, today's findings shown at once
    await page.locator("#renew").click();
    await page.waitForURL("**/ui/prescribe?renew=pat-001");
    await page.locator('#draft[data-state="ready"]').waitFor();
    expect(await page.locator("#basis-text").textContent()).toContain("2026-08-28 石门乡卫生院 邓春梅 开具 84天");
    expect(await page.locator("#page-title").textContent()).toBe("续方：张桂兰");
    expect(await page.locator("#patient").inputValue()).toBe("pat-001");
    expect(await page.locator("#patient-name").textContent()).toBe("张桂兰");
    expect(await page.locator("#kind").inputValue()).toBe("long_term");
    expect(await page.locator("#first-issue").isChecked()).toBe(false);
    const metformin = page.locator(`#items tbody tr[data-code="${METFORMIN}"]`);
    expect(await metformin.locator("input.days").inputValue()).toBe("84");
    expect(await metformin.locator("input.packages").inputValue()).toBe("168");
    expect(await page.locator(`#items tbody tr[data-code="${AMLODIPINE}"] input.packages`).inputValue()).toBe("3");
    expect(await page.locator("#diagnoses tbody tr").count()).toBe(2);
    // the assessment is the doctor's to write: until then signing is blocked, and the page says why
    expect(await page.locator("#verdict").getAttribute("data-valid")).toBe("false");
    expect(await page.locator('.finding[data-rule="ltrx-assessment-required"]').count()).toBeGreaterThan(0);
    expect(await page.locator("#assessment:focus").count()).toBe(1);
    await screenshot(page, "follow-up-renewal-prefilled");

    await page.locator("#assessment").fill("血压 132/80 mmHg、空腹血糖 6.4 mmol/L，控制达标，病情稳定，用药方案未变，依从性良好。");
    await page.locator("#confirmed").check();
    await page.locator("#validate").click();
    await page.locator('#verdict[data-valid="true"]').waitFor();
    await page.locator("#sign").click();
    await page.locator("#rx-id").waitFor();
    const id = (await page.locator("#rx-id").textContent()) ?? "";
    expect(id).toMatch(/^rx_/);
    signed = id;
    expect(await page.locator("#print-link").getAttribute("href")).toBe(`/ui/prescriptions/${id}/print`);
    expect(await page.locator("#back-to-list").getAttribute("href")).toBe("/ui/follow-up");
    await page.locator("#next-patient, #next-patient-none").first().waitFor(); // the next due patient, or word that there is none
    await screenshot(page, "follow-up-renewal-signed");

    const stored = await apiAs(page, "GET", `/prescriptions/${id}`);
    expect(stored.status).toBe(200);
    expect(stored.body).toMatchObject({ id, status: "signed", kind: "long_term", patientId: "pat-001", prescriberId: "doc-fenglin-village", days: 84 });
    expect(stored.body).toMatchObject({ verification: { contentHashValid: true, signatureValid: true } });

    // renewed: she is no longer due
    await page.goto("/ui/follow-up");
    await page.locator('#due-section[data-state="ready"]').waitFor();
    expect(await page.locator('#due tbody tr[data-patient="pat-001"]').count()).toBe(0);
    expect(s.errors).toEqual([]);
  });

  it("a cancelled renewal opens as a draft that replaces it once signed again", async () => {
    const { page } = s;
    expect(signed).toMatch(/^rx_/);
    const old = signed ?? "";
    expect((await apiAs(page, "POST", `/prescriptions/${old}/cancel`, { reason: "剂量需调整" })).status).toBe(200);
    signed = null;

    await page.goto(`/ui/prescribe?from=${old}`);
    await page.locator('#draft[data-state="ready"]').waitFor();
    expect(await page.locator("#replaces").textContent()).toBe(`修改后重新签署，将替代处方 ${old}`);
    expect(await page.locator("#patient-name").textContent()).toBe("张桂兰");
    expect(await page.locator(`#items tbody tr[data-code="${METFORMIN}"] input.packages`).inputValue()).toBe("168");
    await screenshot(page, "follow-up-replace-draft");
    await page.locator("#assessment").fill("复诊：血压、血糖控制达标，病情稳定，依从性良好。");
    await page.locator("#confirmed").check();
    await page.locator("#sign").click();
    await page.locator("#rx-id").waitFor();
    const id = (await page.locator("#rx-id").textContent()) ?? "";
    signed = id;
    expect(id).not.toBe(old);
    const stored = await apiAs(page, "GET", `/prescriptions/${id}`);
    expect(stored.body).toMatchObject({ id, status: "signed", replaces: old });
    expect((await apiAs(page, "GET", `/prescriptions/${old}`)).body).toMatchObject({ id: old, replacedBy: id });
    expect(s.errors).toEqual([]);
  });
});
