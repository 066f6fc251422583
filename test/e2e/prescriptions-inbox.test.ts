import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { loginAs, openBrowser, type Session, screenshot } from "./browser";
import { AMLODIPINE, call, freshPatient, sign, tokenOf } from "./rx-api";

/**
 * 我的处方: a prescription the pharmacist rejects comes back to the doctor's 待办 with the
 * reason in words; 修改重开 opens the prescribe page with the draft that replaces it (the
 * prefill is the prescribe page's, only its outcome is checked here); 全部处方 shows the
 * order's step with the same reason; 标记已处理 takes the notice off the open list.
 */

/** 曹德贵, the village doctor of the morning. */
const DOCTOR = "doc-fenglin-village";
const PHARMACIST = "ph-cloud-1";

describe("my prescriptions: the inbox and the list", () => {
  let s: Session;

  /** Signs in as both (the page ends signed in as the doctor) and signs a week of amlodipine for a new patient, picked up at the cloud pharmacy. */
  async function amlodipineWeekFor(patient: { name: string; gender: "male" | "female"; birthDate: string }) {
    await loginAs(s.page, PHARMACIST);
    const pharmacist = await tokenOf(s.page);
    await loginAs(s.page, DOCTOR);
    const doctor = await tokenOf(s.page);
    const patientId = await freshPatient(doctor, DOCTOR, patient);
    const rx = await sign(doctor, {
      patientId,
      kind: "normal",
      diagnoses: [{ icd10: "I10", name: "原发性高血压" }],
      items: [{ drugCode: AMLODIPINE, dose: { value: 5, unit: "mg" }, frequency: "qd", route: "oral", days: 7, packages: 1 }],
      fulfilment: { mode: "pickup", pickupSiteId: "site-cloud-shimen" },
    });
    return { pharmacist, doctor, patientId, rx };
  }
  beforeAll(async () => {
    s = await openBrowser(inject("baseUrl"));
  });
  afterAll(async () => {
    await s?.close();
  });

  it("a rejected prescription shows in 待办 with the pharmacist's reason; 修改重开 opens it pre-filled; 全部处方 shows its step; 标记已处理 clears it", async () => {
    const { page } = s;
    const { pharmacist, patientId, rx } = await amlodipineWeekFor({ name: "周桂芳", gender: "female", birthDate: "1962-08-10" });
    const [order] = rx.orders;
    expect(order?.pharmacyId).toBe("pharm-cloud");
    const note = "每日剂量请与患者近期血压核对后再开";
    const review = await call(pharmacist, "POST", `/orders/${order?.id}/review`, { decision: "reject", reasonCode: "inappropriate.dosage", note });
    expect(review.status).toBe(200);

    // 待办: what happened, the reason in words and the pharmacist's note, the actions
    await page.goto("/ui/prescriptions");
    const card = page.locator(`#inbox-list article[data-prescription-id="${rx.id}"]`);
    await card.waitFor();
    expect(await card.getAttribute("data-kind")).toBe("rejected");
    const text = (await card.textContent()) ?? "";
    for (const words of ["审核未通过", "周桂芳", "药师审核未通过", "用法、用量不适宜", note]) expect(text).toContain(words);
    expect(await card.getByRole("link", { name: "修改重开" }).getAttribute("href")).toBe(`/ui/prescribe?from=${rx.id}`);
    const open = Number(await page.locator("#inbox-open").textContent());
    expect(open).toBeGreaterThanOrEqual(1);
    // the header's 我的处方 link carries the same count on every page
    expect(Number(await page.locator("nav [data-inbox-count]").textContent())).toBe(open);
    await screenshot(page, "prescriptions-inbox");

    // 全部处方 by keyboard (arrow keys between the tabs), filtered to the patient
    await page.locator("#tab-inbox").focus();
    await page.keyboard.press("ArrowRight");
    expect(await page.locator("#tab-all").getAttribute("aria-selected")).toBe("true");
    await page.locator("#rx-patient").fill(patientId);
    await page.keyboard.press("Enter");
    const item = page.locator(`#rx-list article[data-id="${rx.id}"]`);
    await item.waitFor();
    expect(new URL(page.url()).searchParams.get("patientId")).toBe(patientId);
    const step = item.locator(`li[data-order="${order?.id}"]`);
    expect(await step.getAttribute("data-status")).toBe("rejected");
    expect(await step.textContent()).toContain("用法、用量不适宜");
    expect(await item.getByRole("link", { name: "打印处方笺" }).getAttribute("href")).toBe(`/ui/prescriptions/${rx.id}/print`);
    await screenshot(page, "prescriptions-all");

    // 修改重开: the prescribe page with the draft that replaces this prescription
    await page.locator("#tab-all").focus();
    await page.keyboard.press("ArrowLeft");
    await card.getByRole("link", { name: "修改重开" }).click();
    await page.waitForURL((url) => url.pathname === "/ui/prescribe" && url.searchParams.get("from") === rx.id);
    await page.locator("#replaces").waitFor();
    expect(await page.locator("#replaces").textContent()).toContain(rx.id);
    expect(await page.locator("#patient").inputValue()).toBe(patientId);
    await page.locator(`#items tbody tr[data-code="${AMLODIPINE}"]`).waitFor();

    // 标记已处理: off the open list, on the done one
    await page.goto("/ui/prescriptions");
    await card.waitFor();
    await card.getByRole("button", { name: "标记已处理" }).click();
    await card.waitFor({ state: "detached" });
    expect(Number((await page.locator("#inbox-open").textContent()) || "0")).toBe(open - 1);
    await page.locator("#inbox-state").selectOption("done");
    await card.waitFor();
    expect(await card.getAttribute("class")).toContain("is-done");
    expect(s.errors).toEqual([]);
  });

  it("a change request opens in 待办 with the pharmacist's proposal beside the original; declining needs a note; accepting signs the replacement", async () => {
    const { page } = s;
    const { pharmacist, doctor, patientId, rx } = await amlodipineWeekFor({ name: "吴德顺", gender: "male", birthDate: "1955-02-03" });
    const [order] = rx.orders;
    const proposed = await call(pharmacist, "POST", `/orders/${order?.id}/change-requests`, { reason: "患者高龄，建议减量", changes: [{ index: 0, dose: { value: 2.5, unit: "mg" } }] });
    expect(proposed.status).toBe(201);

    await page.goto("/ui/prescriptions");
    const card = page.locator(`#inbox-list article[data-prescription-id="${rx.id}"][data-kind="change_requested"]`);
    await card.waitFor();
    expect(await card.textContent()).toContain("患者高龄，建议减量");
    await card.getByRole("button", { name: "处理变更申请" }).click();
    const panel = card.locator(".cr");
    await panel.waitFor();
    expect(await panel.locator(".cr-diff tbody td").nth(0).textContent()).toContain("每次 5 mg");
    expect(await panel.locator(".cr-diff tbody td.after .changed").textContent()).toContain("每次 2.5 mg，每日一次");
    // focus lands in the note: the decision is made by keyboard as well
    expect(await page.evaluate("document.activeElement && document.activeElement.className")).toContain("cr-note");
    await screenshot(page, "prescriptions-change-request");

    await panel.getByRole("button", { name: "拒绝" }).click();
    await panel.locator(".notice.warn", { hasText: "拒绝时请写明理由" }).waitFor();

    await panel.getByRole("button", { name: "接受并签署新处方" }).click();
    const done = page.locator("#msg .notice.ok");
    await done.waitFor();
    const newId = (await done.locator("a").textContent()) ?? "";
    expect(newId).toMatch(/^rx_/);
    expect(newId).not.toBe(rx.id);
    const list = await call<{ items: { id: string; replaces: string | null }[] }>(doctor, "GET", `/prescriptions?patientId=${patientId}`);
    expect(list.body.items.find((p) => p.id === newId)?.replaces).toBe(rx.id);
    expect(s.errors).toEqual([]);
  });
});
