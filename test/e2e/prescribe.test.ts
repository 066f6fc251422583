import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { arrowToOption, loginAs, openBrowser, type Session, screenshot } from "./browser";

/** Seed codes (seeds/neml): metformin 0.5 g tablets, amlodipine 5 mg tablets (28 per pack). */
const METFORMIN = "W315-05";
const AMLODIPINE = "W185-01";

async function addDrug(page: Page, query: string, code: string) {
  await page.locator("#drug-q").fill(query);
  const option = page.locator(`#drug-options [role="option"][data-code="${code}"]`);
  await option.waitFor();
  await option.click();
  await page.locator(`#items tbody tr[data-code="${code}"]`).waitFor();
}

describe("prescription page", () => {
  let s: Session;
  beforeAll(async () => {
    s = await openBrowser(inject("baseUrl"));
  });
  afterAll(async () => {
    await s?.close();
  });

  it("the village doctor renews pat-001's 12-week metformin + amlodipine, sees ltrx-max-days at 13 weeks, and signs at 12", async () => {
    const { page } = s;
    await loginAs(page, "doc-fenglin-village", "/ui/prescribe"); // a doctor lands on /ui/follow-up by default
    expect(new URL(page.url()).pathname).toBe("/ui/prescribe");
    expect(await page.locator("#prescriber").textContent()).toContain("doc-fenglin-village");
    expect(await page.locator("#prescriber").textContent()).toContain("石门乡枫林村卫生室"); // the clinic's name, not its id

    // the patient found by name: the arrow keys and Enter put her id in the box and show her strip
    expect(await (await arrowToOption(page, "#patient", "#patient-options", "张桂兰", "pat-001")).getAttribute("aria-selected")).toBe("true");
    await page.locator("#patient").press("Enter");
    expect(await page.locator("#patient").inputValue()).toBe("pat-001");
    await expect.poll(() => page.locator("#patient-name").textContent()).toBe("张桂兰");
    expect(await page.locator("#kind:focus").count()).toBe(1);
    await page.locator("#kind").selectOption("long_term");
    expect(await page.locator("#long-term").isVisible()).toBe(true);
    expect(await page.locator("#first-issue").isChecked()).toBe(false); // a renewal
    await page.locator("#assessment").fill("血压、血糖控制达标，病情稳定，用药方案 3 个月未变，依从性良好。");
    await page.locator("#confirmed").check();

    const diagnoses = page.locator("#diagnoses tbody tr");
    await diagnoses.nth(0).locator("input.icd").fill("I10");
    await diagnoses.nth(0).locator("input.icd").dispatchEvent("change");
    expect(await diagnoses.nth(0).locator("input").nth(1).inputValue()).toBe("原发性高血压");
    await page.locator("#add-diagnosis").click();
    await diagnoses.nth(1).locator("input.icd").fill("E11.9");
    await diagnoses.nth(1).locator("input.icd").press("Tab");
    expect(await diagnoses.nth(1).locator("input").nth(1).inputValue()).toBe("2型糖尿病");

    await addDrug(page, "EJSG", METFORMIN);
    await addDrug(page, "ALDP", AMLODIPINE);
    const metformin = page.locator(`#items tbody tr[data-code="${METFORMIN}"]`);
    const amlodipine = page.locator(`#items tbody tr[data-code="${AMLODIPINE}"]`);
    await metformin.locator("select").selectOption("bid");
    await page.locator('button[data-days="84"]').click();
    expect(await metformin.locator("input.days").inputValue()).toBe("84");
    expect(await metformin.locator("input.packages").inputValue()).toBe("168"); // 0.5 g bid x 84 days, 1 tablet per pack
    expect(await amlodipine.locator("input.packages").inputValue()).toBe("3"); // 84 tablets, 28 per pack

    await page.locator("#pickup-site").selectOption("site-cloud-shimen");

    await page.locator("#validate").click();
    await page.locator("#verdict").waitFor();
    expect(await page.locator("#verdict").getAttribute("data-valid")).toBe("true");
    expect(await page.locator(".finding.error").count()).toBe(0);

    // 13 weeks: over the 84-day ceiling of a long prescription, on both items
    await page.locator("#all-days").fill("91");
    expect(await amlodipine.locator("input.days").inputValue()).toBe("91");
    await page.locator("#validate").click();
    await page.locator('.finding[data-rule="ltrx-max-days"]').first().waitFor();
    expect(await page.locator("#verdict").getAttribute("data-valid")).toBe("false");
    for (const item of ["0", "1"]) {
      const group = page.locator(`#findings section[data-item="${item}"]`);
      expect(await group.locator('.finding[data-rule="ltrx-max-days"]').count()).toBe(1);
      expect(await group.locator('.finding[data-rule="ltrx-max-days"] .source').textContent()).toContain("长期处方管理规范");
    }
    expect(await metformin.getAttribute("class")).toContain("has-error");
    expect(await metformin.locator("input.days").getAttribute("class")).toContain("field-error");
    await screenshot(page, "prescribe-ltrx-max-days");

    // signing that draft is refused with the same findings (422)
    await page.locator("#sign").click();
    await page.locator("#findings h2", { hasText: "签名被拒绝" }).waitFor();
    expect(await page.locator('.finding[data-rule="ltrx-max-days"]').count()).toBe(2);
    expect(await page.locator("#rx-id").count()).toBe(0);

    // back to 12 weeks, and sign: an edited draft is a new draft with its own Idempotency-Key
    await page.locator('button[data-days="84"]').click();
    await page.locator("#sign").click();
    const rxId = page.locator("#rx-id");
    await rxId.waitFor();
    const id = (await rxId.textContent()) ?? "";
    expect(id).toMatch(/^rx_/);
    expect(await page.locator("#rx-hash").textContent()).toMatch(/^[0-9a-f]{64}$/);
    expect(await page.locator("#patient").isDisabled()).toBe(true); // the signed draft is frozen
    expect(await page.locator("#sign").isDisabled()).toBe(true);
    await screenshot(page, "prescribe-signed");

    // the signed prescription is really stored, with a valid signature
    const token = await page.evaluate("sessionStorage.getItem('yaolian.token')");
    const res = await fetch(`${inject("baseUrl")}/api/v1/prescriptions/${id}`, { headers: { authorization: `Bearer ${token}` } });
    const stored = { status: res.status, body: (await res.json()) as { verification?: unknown } };
    expect(stored.status).toBe(200);
    expect(stored.body).toMatchObject({ id, status: "signed", patientId: "pat-001", prescriberId: "doc-fenglin-village", days: 84 });
    expect(stored.body.verification).toMatchObject({ contentHashValid: true, signatureValid: true });
    expect(s.errors).toEqual([]);
  });

  it("asks a pharmacist to sign in as a doctor", async () => {
    const { page } = s;
    await loginAs(page, "ph-cloud-1", "/ui/prescribe");
    expect(await page.locator("#msg").textContent()).toContain("仅限医师");
    expect(await page.locator("#sign").isDisabled()).toBe(true);
  });
});
