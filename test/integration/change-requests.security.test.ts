import { beforeAll, describe, expect, it } from "vitest";
import { api, asAdmin, tokenFor } from "../support/api";
import { loadDemoSeed } from "../support/seed";
import { accept, anOrderInReview, aVbpAmlodipine, changeRequestRow, decline, getRx, orderState, propose, proposed, shimenColleague, taoyuanDoctor, withdraw } from "./change-requests.fixtures";
import { cloudAssistant, cloudPharmacist, renhePharmacist, shimenDoctor } from "./desk.fixtures";

/*
 * Who may do what (DOMAIN.md "Who sees what"): the order's pharmacy proposes (a licensed
 * pharmacist), the prescription's institution sees, its prescriber decides; another
 * pharmacy or institution learns nothing (404), a wrong role or title is 403.
 */

let VBP = "";

describe("change requests: who may propose, see and decide", () => {
  beforeAll(async () => {
    await loadDemoSeed();
    VBP = await aVbpAmlodipine();
  });

  it("needs a licensed pharmacist of the order's desk pharmacy to propose", async () => {
    const { orderId } = await anOrderInReview();
    const body = { reason: "集采中选产品替换", changes: [{ index: 0, drugCode: VBP }] };
    const assistant = await propose(orderId, body, await cloudAssistant());
    expect(assistant.status).toBe(403);
    expect(assistant.body.detail).toMatch(/药师 or above/);
    expect((await propose(orderId, body, await renhePharmacist())).status).toBe(404);
    // a pharmacist token for a pharmacy they are not registered at
    expect((await propose(orderId, body, await tokenFor("pharmacist", "ph-cloud-1", "pharm-renhe"))).status).toBe(403);
    expect((await propose(orderId, body, await shimenDoctor())).status).toBe(403);
    expect((await propose(orderId, body, await asAdmin())).status).toBe(403);
    expect((await api("POST", `/orders/${orderId}/change-requests`, { body })).status).toBe(401);
    expect(await orderState(orderId)).toMatchObject({ status: "pending_review" });
  });

  it("shows a request to the institution's doctors, the proposing pharmacy and admins; 404 to anyone else", async () => {
    const { rx, orderId } = await anOrderInReview();
    const cr = await proposed(orderId, [{ index: 0, drugCode: VBP }]);
    const read = async (token: string) => (await api("GET", `/change-requests/${cr.id}`, { token })).status;
    expect(await read(await shimenDoctor())).toBe(200);
    expect(await read(await shimenColleague())).toBe(200);
    expect(await read(await cloudPharmacist())).toBe(200);
    expect(await read(await asAdmin())).toBe(200);
    expect(await read(await taoyuanDoctor())).toBe(404);
    expect(await read(await renhePharmacist())).toBe(404);
    expect((await api("GET", `/orders/${orderId}/change-requests`, { token: await renhePharmacist() })).status).toBe(404);
    expect((await api("GET", `/orders/${orderId}/change-requests`, { token: await shimenDoctor() })).status).toBe(403);

    const taoyuanOpen = await api<{ items: { id: string }[] }>("GET", "/change-requests?status=open&limit=100", { token: await taoyuanDoctor() });
    expect(taoyuanOpen.body.items.map((i) => i.id)).not.toContain(cr.id);
    expect((await api("GET", "/change-requests?institutionId=inst-shimen", { token: await taoyuanDoctor() })).status).toBe(403);
    const adminView = await api<{ items: { id: string }[] }>("GET", "/change-requests?institutionId=inst-shimen&status=open&limit=100", { token: await asAdmin() });
    expect(adminView.body.items.map((i) => i.id)).toContain(cr.id);
    expect((await api("GET", "/change-requests", { token: await cloudPharmacist() })).status).toBe(403);

    // the prescription stays invisible to another institution, its requests with it
    expect((await getRx(rx.id, await taoyuanDoctor())).status).toBe(404);
    const asPharmacy = await getRx(rx.id, await cloudPharmacist());
    expect(asPharmacy.body.changeRequests?.map((c) => c.id)).toEqual([cr.id]);
  });

  it("lets only the prescribing doctor decide: a colleague 403, another institution 404, a pharmacist or admin 403", async () => {
    const { orderId } = await anOrderInReview();
    const cr = await proposed(orderId, [{ index: 0, drugCode: VBP }]);
    const colleague = await accept(cr.id, { token: await shimenColleague() });
    expect(colleague.status).toBe(403);
    expect(colleague.body.detail).toMatch(/prescribing doctor/);
    expect((await decline(cr.id, "不同意", await shimenColleague())).status).toBe(403);
    expect((await accept(cr.id, { token: await taoyuanDoctor() })).status).toBe(404);
    expect((await decline(cr.id, "不同意", await taoyuanDoctor())).status).toBe(404);
    expect((await accept(cr.id, { token: await cloudPharmacist() })).status).toBe(403);
    expect((await accept(cr.id, { token: await asAdmin() })).status).toBe(403);
    expect((await decline(cr.id, "不同意", await asAdmin())).status).toBe(403);
    expect(await changeRequestRow(cr.id)).toMatchObject({ status: "open", version: 1 });
    expect(await orderState(orderId)).toMatchObject({ status: "change_requested" });
  });

  it("lets only the proposing pharmacy's licensed pharmacists withdraw", async () => {
    const { orderId } = await anOrderInReview();
    const cr = await proposed(orderId, [{ index: 0, drugCode: VBP }]);
    expect((await withdraw(cr.id, await renhePharmacist())).status).toBe(404);
    expect((await withdraw(cr.id, await cloudAssistant())).status).toBe(403);
    expect((await withdraw(cr.id, await shimenDoctor())).status).toBe(403);
    expect((await withdraw("chg_missing")).status).toBe(404);
    expect(await changeRequestRow(cr.id)).toMatchObject({ status: "open", version: 1 });
  });
});
