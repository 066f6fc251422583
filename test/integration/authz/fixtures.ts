import { env } from "cloudflare:workers";
import { expect } from "vitest";
import { api, tokenFor } from "../../support/api";
import { AMLODIPINE } from "../../builders/prescriptions";
import { aVbpAmlodipine, anOrderInReview, proposed } from "../change-requests.fixtures";
import { act, advance, aDeliveryOrder, APPROVE, aReadyPickupOrder, DISPENSE, freshPatient, fullDispense } from "../desk.fixtures";
import { addSecondPharmacy } from "../returns.fixtures";

/*
 * The objects the authorization matrix (matrix.ts) acts on, all of the home organisations:
 * prescriptions written at inst-shimen, orders of the desk pharmacy pharm-cloud. Each
 * state-changing route gets an object of its own in the state its success needs, so the
 * order the routes run in does not matter.
 */

export interface Fx {
  patientId: string;
  conditionId: string;
  rxId: string;
  /** a prescription only its own doctor cancels */
  cancelRxId: string;
  orders: Record<"view" | "review" | "dispense" | "ready" | "reissue" | "handover" | "ship" | "deliver" | "cancel" | "return" | "changeSite" | "propose", string>;
  dispenseBody: unknown;
  pickupCode: string;
  vbpCode: string;
  crs: Record<"view" | "withdraw" | "accept" | "decline", string>;
  noticeId: string;
  interactionId: string;
  drugCode: string;
  pharmacistId: string;
  practitionerId: string;
}

let made: Promise<Fx> | undefined;

/** Built once per test file. */
export function fixtures(): Promise<Fx> {
  made ??= build();
  return made;
}

async function build(): Promise<Fx> {
  await addSecondPharmacy();
  const patientId = await freshPatient([{ icd10: "I10", name: "原发性高血压" }]);
  const conditionId = `cond-${patientId}-I10`;
  const view = await anOrderInReview();
  const cancelRx = await anOrderInReview();
  const pending = async () => (await anOrderInReview()).orderId;
  const approved = async () => {
    const id = await pending();
    await advance(id, APPROVE);
    return id;
  };
  const dispenseId = await approved();
  const readyId = await approved();
  await advance(readyId, DISPENSE);
  const reissue = await aReadyPickupOrder();
  const handover = await aReadyPickupOrder();
  const ship = await aDeliveryOrder();
  await advance(ship.orderId, APPROVE, DISPENSE);
  const deliver = await aDeliveryOrder();
  await advance(deliver.orderId, APPROVE, DISPENSE, ["ship", { carrier: "顺丰速运", trackingNo: "SF000111" }]);

  const vbpCode = await aVbpAmlodipine();
  const change = async () => (await proposed(await pending(), [{ index: 0, drugCode: vbpCode }])).id;
  const crs = { view: await change(), withdraw: await change(), accept: await change(), decline: await change() };

  // a rejection leaves a notice in the prescribing doctor's inbox
  const rejected = await pending();
  const rejection = await act(rejected, "review", { decision: "reject", reasonCode: "inappropriate.dosage", note: "剂量偏大" });
  expect(rejection.status, JSON.stringify(rejection.body)).toBe(200);
  const inbox = await api<{ items: { id: string }[] }>("GET", "/inbox", { token: await tokenFor("doctor", "doc-shimen-gp-intermediate", "inst-shimen") });
  const noticeId = inbox.body.items[0]?.id ?? "";
  expect(noticeId).not.toBe("");

  const interaction = await env.DB.prepare("SELECT id FROM interactions ORDER BY id LIMIT 1").first<{ id: string }>();
  return {
    patientId,
    conditionId,
    rxId: view.rx.id,
    cancelRxId: cancelRx.rx.id,
    orders: {
      view: view.orderId,
      review: await pending(),
      dispense: dispenseId,
      ready: readyId,
      reissue: reissue.orderId,
      handover: handover.orderId,
      ship: ship.orderId,
      deliver: deliver.orderId,
      cancel: await pending(),
      return: await pending(),
      changeSite: await pending(),
      propose: await pending(),
    },
    dispenseBody: await fullDispense(dispenseId),
    pickupCode: handover.code,
    vbpCode,
    crs,
    noticeId,
    interactionId: interaction?.id ?? "",
    drugCode: AMLODIPINE,
    pharmacistId: "ph-cloud-2",
    practitionerId: "doc-shimen-gp-junior",
  };
}
