import type { Context } from "hono";
import { serviceContext } from "../../context";
import type { AppEnv } from "../../http/context";
import { guardedRoute, jsonBody, jsonResponse, openApiApp } from "../../http/openapi";
import { problemResponses } from "../../errors/problem";
import { getSigner } from "../../signing/signer";
import type { DeskCtx } from "./desk.access";
import { OrderIdParam } from "./desk.schemas";
import { ChangeSiteInput, ReturnInput, ReturnReasonList, ReturnResult } from "./returns.schemas";
import { changePickupSite, returnDeskOrder, returnReasons } from "./returns.service";

/*
 * Returns and pickup-site changes (DOMAIN.md "Return"). Writes: any registered pharmacist
 * of the order's desk-integrated pharmacy; another pharmacy's order is a 404, an external
 * pharmacy's staff returns through its signed callback (status `returned`) instead.
 * Registered before the desk's /orders/{id}, so /orders/return-reasons is not taken for an id.
 */

const TAGS = ["Pharmacy desk"];

async function deskContext(c: Context<AppEnv>): Promise<DeskCtx> {
  return { ...serviceContext(c), queue: c.env.ORDER_QUEUE, signer: await getSigner(c.env) };
}

export const returnRoutes = openApiApp()
  .openapi(
    guardedRoute(["pharmacist", "admin", "doctor"], {
      method: "get",
      path: "/orders/return-reasons",
      tags: TAGS,
      summary: "The reasons a pharmacy may give when it returns an order, and the ways a patient's consent is recorded, with Chinese labels",
      responses: { 200: jsonResponse(ReturnReasonList, "Return reasons and consent methods") },
    }),
    (c) => c.json(returnReasons(), 200),
  )
  .openapi(
    guardedRoute(["pharmacist"], {
      method: "post",
      path: "/orders/{id}/return",
      tags: TAGS,
      summary: "Return an order the pharmacy cannot fulfil: to the next eligible pharmacy once, else back to the doctor",
      description:
        "From pending_review or approved (nothing dispensed): a delivery order goes to the next eligible pharmacy by the routing rules " +
        "(never back to this one), at most once per order; a pickup order goes back to the doctor (moving it to another window needs the " +
        "patient's consent: POST /orders/{id}/change-site). From change_requested or awaiting_stock, or after one re-route: back to the doctor " +
        "(`returned`), with an SMS to the patient and a notice in the doctor's inbox. Other states: 409. `other` needs a note.",
      request: { params: OrderIdParam, body: jsonBody(ReturnInput) },
      responses: { 200: jsonResponse(ReturnResult, "Re-routed or returned to the doctor"), ...problemResponses(404, 409) },
    }),
    async (c) => c.json(await returnDeskOrder(await deskContext(c), c.req.valid("param").id, c.req.valid("json")), 200),
  )
  .openapi(
    guardedRoute(["pharmacist"], {
      method: "post",
      path: "/orders/{id}/change-site",
      tags: TAGS,
      summary: "Move a pickup order to another window with the patient's recorded consent",
      description:
        "Before dispensing only (scheduled, pending_review, approved; a dispensed order's drugs are at its window). " +
        "Another window of the same pharmacy: only the site changes. Another pharmacy's window: a re-route (pending_review there, once per order; 409 after one), " +
        "422 `no-eligible-pharmacy` when that pharmacy lacks what the items need. The consent (method, note, when) is kept on the timeline and in the audit.",
      request: { params: OrderIdParam, body: jsonBody(ChangeSiteInput) },
      responses: { 200: jsonResponse(ReturnResult, "Moved"), ...problemResponses(404, 409, 422) },
    }),
    async (c) => c.json(await changePickupSite(await deskContext(c), c.req.valid("param").id, c.req.valid("json")), 200),
  );
