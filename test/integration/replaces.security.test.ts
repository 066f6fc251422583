import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "../../worker/db/index";
import { DEFAULT_LEAD_DAYS } from "../../worker/pharmacy/fulfilment";
import { signPrescription } from "../../worker/prescriptions/prescriptions.service";
import { getSigner } from "../../worker/signing/signer";
import { aNormalPrescription, AMLODIPINE } from "../builders/prescriptions";
import { api } from "../support/api";
import { outcomes, readTogether } from "../support/race";
import { loadDemoSeed } from "../support/seed";
import { cloudPharmacist } from "./desk.fixtures";
import { anAdmin, countyDoctor, impostorDoctor, SHIMEN_DOCTOR, shimenJunior } from "./follow-up-rx.fixtures";
import { aRejectedPrescription, draftOf, inboxDoneOf, orderStatuses, prescriptionsOfPatient, rxRow, signDraft } from "./replaces.fixtures";

describe("replacing: who, and a race", () => {
  beforeAll(loadDemoSeed);

  it("the draft: another institution's doctor 404, pharmacists and admins 403, an unregistered doctor 403, no token 401", async () => {
    const { rx } = await aRejectedPrescription();
    expect((await draftOf(rx.id, await countyDoctor())).status).toBe(404);
    expect((await draftOf(rx.id, await cloudPharmacist())).status).toBe(403);
    expect((await draftOf(rx.id, await anAdmin())).status).toBe(403);
    expect((await draftOf(rx.id, await impostorDoctor())).status).toBe(403);
    expect((await api("GET", `/prescriptions/${rx.id}/draft`)).status).toBe(401);
  });

  it("another institution's doctor cannot replace it (answered like an unknown prescription); a colleague of the same institution can", async () => {
    const { rx } = await aRejectedPrescription();
    const foreign = await signDraft({ ...aNormalPrescription(rx.patientId, AMLODIPINE, 7), fulfilment: { mode: "pickup", pickupSiteId: "site-cloud-shimen" }, replaces: rx.id }, await countyDoctor());
    expect([foreign.status, foreign.body.code]).toEqual([422, "unprocessable"]);
    expect(foreign.body.detail).toBe(`replaces: no prescription ${rx.id} of this institution`);
    expect(await rxRow(rx.id)).toMatchObject({ replacedBy: null });
    const { body } = await draftOf(rx.id, await shimenJunior());
    expect(body.draft.replaces).toBe(rx.id);
    expect((await signDraft(body.draft, await shimenJunior())).status).toBe(201);
  });

  it("two signings replacing the same prescription at once: exactly one wins, the other is a 409 and writes nothing", async () => {
    const { rx, orderId } = await aRejectedPrescription();
    const { body } = await draftOf(rx.id);
    // both claim their key, then both read the old prescription before either writes
    const d1 = readTogether(2, 2);
    const signer = await getSigner(env);
    const ctxs = [0, 1].map((i) => ({ db: getDb(d1()), actor: SHIMEN_DOCTOR, requestId: `race-${i}`, now: new Date(), signer, queue: env.ORDER_QUEUE, leadDays: DEFAULT_LEAD_DAYS }));
    const settled = await outcomes(ctxs.map((ctx) => signPrescription(ctx, crypto.randomUUID(), body.draft)));
    // the loser passed every check on its (stale) read: the batch guard refused it
    expect(settled.sort()).toEqual(["conflict: the prescription it replaces changed meanwhile (replaced by another, or its orders moved on); reload it", "ok"]);
    expect(await prescriptionsOfPatient(rx.patientId)).toBe(2);
    const old = await rxRow(rx.id);
    expect(old).toMatchObject({ status: "replaced", version: 2 });
    expect(await orderStatuses(old?.replacedBy ?? "")).toEqual(["pending_review"]);
    expect((await inboxDoneOf(orderId))[0]).not.toBeNull();
  });
});
