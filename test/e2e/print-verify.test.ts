import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { loginAs, openBrowser, type Session, screenshot } from "./browser";
import { AMLODIPINE, call, freshPatient, METFORMIN, sign, tokenOf } from "./rx-api";
import { printAndScan, run, scanIntoVerify } from "./qr-scan";

/**
 * The printed prescription end to end: signed through the API, printed by Chromium to an A5
 * PDF, the PDF rasterised as a printer or a scan would see it (pdftoppm), the QR code read
 * back from the image (zbarimg), and the text checked on /ui/verify with the network off.
 */

/** 邓春梅: intermediate title at a primary institution (石门乡卫生院), so she may write a first long prescription. */
const DOCTOR = "doc-shimen-gp-intermediate";

/** The payload with the patient's name changed and the signature kept: what a forger would try. */
function tampered(payload: string, name: string): string {
  const [version, body, kid, signature] = payload.split(".");
  const fields = JSON.parse(Buffer.from(body ?? "", "base64url").toString("utf8")) as { p: [string, string, string] };
  fields.p[0] = name;
  return [version, Buffer.from(JSON.stringify(fields), "utf8").toString("base64url"), kid, signature].join(".");
}

describe("the printed prescription (处方笺) and its offline verification", () => {
  let s: Session;
  beforeAll(async () => {
    s = await openBrowser(inject("baseUrl"));
  });
  afterAll(async () => {
    await s?.close();
  });

  it("prints an A5 处方笺 whose QR code, read from the PDF's image, verifies on /ui/verify offline; a tampered code does not", async () => {
    const { page, context } = s;
    await loginAs(page, DOCTOR);
    const token = await tokenOf(page);
    const patientId = await freshPatient(token, DOCTOR, { name: "李秀英", gender: "female", birthDate: "1959-05-20" });
    const rx = await sign(token, {
      patientId,
      kind: "long_term",
      diagnoses: [
        { icd10: "I10", name: "原发性高血压" },
        { icd10: "E11.9", name: "2型糖尿病" },
      ],
      items: [
        { drugCode: AMLODIPINE, dose: { value: 5, unit: "mg" }, frequency: "qd", route: "oral", days: 28, packages: 1 },
        { drugCode: METFORMIN, dose: { value: 0.5, unit: "g" }, frequency: "bid", route: "oral", days: 28, packages: 56 },
      ],
      longTerm: { firstIssue: true, assessment: "血压、血糖控制达标，病情稳定，依从性良好。", patientConfirmed: true },
      fulfilment: { mode: "pickup", pickupSiteId: "site-cloud-shimen" },
    });
    const printed = await call<{ qr: string }>(token, "GET", `/prescriptions/${rx.id}/print`);
    expect(printed.status).toBe(200);
    expect(printed.body.qr).toMatch(/^YL1\./);

    // the sheet: 前记, Rp with the use in words, 后记, the kind in the corner
    await page.goto(`/ui/prescriptions/${rx.id}/print`);
    const sheet = page.locator(`.rx-sheet[data-id="${rx.id}"]`);
    await page.locator('#sheets[data-state="ready"]').waitFor();
    expect(await sheet.locator(".rx-corner").textContent()).toBe("长期处方");
    const text = (await sheet.textContent()) ?? "";
    for (const words of ["石门乡卫生院", "处 方 笺", rx.id, "李秀英", "女", "67岁", patientId, "原发性高血压（I10）", "Rp", "邓春梅（中级）", "审核", "调配", "核对", "发药", "扫码验真"]) {
      expect(text).toContain(words);
    }
    expect(await sheet.locator(`li[data-code="${AMLODIPINE}"] .rx-usage`).textContent()).toBe("用法：口服，每日一次，每次 1 片，28 天");
    expect(await sheet.locator(`li[data-code="${METFORMIN}"] .rx-usage`).textContent()).toBe("用法：口服，每日两次，每次 1 片，28 天");
    expect(text).not.toMatch(/\b(qd|bid)\b/);
    expect(await page.locator("#print").isEnabled()).toBe(true);
    await screenshot(page, "rx-print");

    // printed to A5 (one page, the print bar left out), rasterised at 200 dpi: the code reads back as exactly the signed payload
    const { pdf, decoded } = await printAndScan(page, "rx-print-a5");
    expect(run("pdfinfo", [pdf])).toMatch(/^Pages:\s+1$/m);
    expect(run("pdftotext", [pdf, "-"])).not.toContain("打印处方笺");
    expect(decoded).toBe(printed.body.qr);

    // /ui/verify: public (signed out), the field has focus, the check makes no request
    await page.evaluate("sessionStorage.clear()");
    await page.goto("/ui/verify");
    await page.locator('#verify[data-state="ready"]').waitFor();
    expect(await page.evaluate("document.activeElement && document.activeElement.id")).toBe("payload");
    const requests: string[] = [];
    page.on("request", (r) => {
      if (!r.url().startsWith("data:")) requests.push(r.url());
    });
    await context.setOffline(true);
    try {
      // a keyboard-wedge scanner types the text and Enter
      await scanIntoVerify(page, decoded, true);
      expect(await page.locator("#result .verdict-word").textContent()).toBe("有效");
      const summary = (await page.locator("#summary").textContent()) ?? "";
      for (const words of ["石门乡卫生院", "长期处方", "李秀英", "67岁", "邓春梅", "I10", rx.id]) expect(summary).toContain(words);
      await screenshot(page, "verify-valid");

      // the scanned text stays selected: the next scan replaces it
      await scanIntoVerify(page, tampered(decoded, "王秀英"), false);
      expect(await page.locator("#result .verdict-word").textContent()).toBe("无效");
      expect(await page.locator("#result .verdict-why").textContent()).toContain("签名与内容不符");
      expect(await page.locator("#summary").textContent()).not.toContain("王秀英");
      await screenshot(page, "verify-invalid");

      await page.locator("#payload").fill("not a prescription code");
      await page.keyboard.press("Enter");
      await page.locator("#result .verdict.bad .verdict-why", { hasText: "不是完整的药联处方码" }).waitFor();
    } finally {
      await context.setOffline(false);
    }
    expect(requests).toEqual([]);
    expect(s.errors).toEqual([]);
  });

  it("marks a child's normal prescription 儿科 in the corner, with the age as the paper writes it", async () => {
    const { page } = s;
    await loginAs(page, DOCTOR);
    const token = await tokenOf(page);
    const created = await call(token, "POST", "/patients", { id: `pat-e2e-child-${Date.now().toString(36)}`, name: "陈小雨", gender: "female", birthDate: "2018-04-02" });
    expect(created.status).toBe(201);
    const patientId = (created.body as { id: string }).id;
    // paracetamol tablets (对乙酰氨基酚, DYXAJF) from the formulary, 3 days three times a day
    const found = await call<{ items: { code: string; form: string; pack: { size: number } }[] }>(token, "GET", "/formulary/drugs?q=DYXAJF");
    const tablet = found.body.items.find((e) => e.form.includes("片"));
    expect(tablet).toBeDefined();
    const rx = await sign(token, {
      patientId,
      kind: "normal",
      diagnoses: [{ icd10: "J06.9", name: "急性上呼吸道感染" }],
      items: [{ drugCode: tablet?.code, dose: { value: 0.15, unit: "g" }, frequency: "tid", route: "oral", days: 3, packages: Math.ceil(4.5 / (tablet?.pack.size ?? 1)) }],
      fulfilment: { mode: "pickup", pickupSiteId: "site-cloud-shimen" },
    });
    await page.goto(`/ui/prescriptions/${rx.id}/print`);
    await page.locator('#sheets[data-state="ready"]').waitFor();
    const sheet = page.locator(`.rx-sheet[data-id="${rx.id}"]`);
    expect(await sheet.getAttribute("data-mark")).toBe("pediatric");
    expect(await sheet.locator(".rx-corner").textContent()).toBe("儿科");
    expect(await sheet.textContent()).toContain("8岁");
    await screenshot(page, "rx-print-pediatric");
    expect(s.errors).toEqual([]);
  });
});
