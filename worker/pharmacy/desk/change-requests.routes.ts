import type { Context } from "hono";
import { serviceContext } from "../../context";
import type { AppEnv } from "../../http/context";
import { guardedRoute, jsonBody, jsonResponse, openApiApp } from "../../http/openapi";
import { problemResponses } from "../../errors/problem";
import { getSigner } from "../../signing/signer";
import { toChangeRequest } from "../orders/change-request-view";
import type { DeskCtx } from "./desk.access";
import { OrderIdParam } from "./desk.schemas";
import { ChangeRequest, ChangeRequestIdParam, ChangeRequestInput, ChangeRequestList, WithdrawInput } from "./change-requests.schemas";
import { listOrderChangeRequests, proposeChange, withdrawChangeRequest } from "./change-requests.service";

/*
 * The pharmacy's side of a change request (the doctor's side is
 * prescriptions/change-requests.routes.ts): propose for an order in review, list an
 * order's requests, withdraw one the doctor has not decided yet.
 */

const TAGS = ["Pharmacy desk"];

async function deskContext(c: Context<AppEnv>): Promise<DeskCtx> {
  return { ...serviceContext(c), queue: c.env.ORDER_QUEUE, signer: await getSigner(c.env) };
}

export const changeRequestDeskRoutes = openApiApp()
  .openapi(
    guardedRoute(["pharmacist"], {
      method: "post",
      path: "/orders/{id}/change-requests",
      tags: TAGS,
      summary: "Propose a change to the prescription (a 集采 generic, another strength or pack size) to its doctor",
      description:
        "Licensed pharmacists (药师 or above) of the order's desk pharmacy, for an order in pending_review. The proposal is the signed prescription with the changes " +
        "applied, checked by every rule with the prescriber's context as of today; any error finding: 422 with the findings (nothing is sent). " +
        "A substitution must keep the medicine (same ATC code). The order waits in change_requested and the prescribing doctor gets an inbox notice.",
      request: { params: OrderIdParam, body: jsonBody(ChangeRequestInput) },
      responses: { 201: jsonResponse(ChangeRequest, "Proposed; the doctor decides"), ...problemResponses(404, 409, 422) },
    }),
    async (c) => c.json(toChangeRequest(await proposeChange(await deskContext(c), c.req.valid("param").id, c.req.valid("json"))), 201),
  )
  .openapi(
    guardedRoute(["pharmacist", "admin"], {
      method: "get",
      path: "/orders/{id}/change-requests",
      tags: TAGS,
      summary: "An order's change requests, oldest first, with their decisions",
      request: { params: OrderIdParam },
      responses: { 200: jsonResponse(ChangeRequestList, "The order's change requests"), ...problemResponses(404) },
    }),
    async (c) => c.json({ items: (await listOrderChangeRequests(await deskContext(c), c.req.valid("param").id)).map(toChangeRequest) }, 200),
  )
  .openapi(
    guardedRoute(["pharmacist"], {
      method: "post",
      path: "/change-requests/{id}/withdraw",
      tags: TAGS,
      summary: "Withdraw an open change request: the order goes back to review",
      description: "Licensed pharmacists of the proposing pharmacy, while the doctor has not decided (a decision that comes first wins: 409).",
      request: { params: ChangeRequestIdParam, body: jsonBody(WithdrawInput) },
      responses: { 200: jsonResponse(ChangeRequest, "Withdrawn"), ...problemResponses(404, 409) },
    }),
    async (c) => c.json(toChangeRequest(await withdrawChangeRequest(await deskContext(c), c.req.valid("param").id, c.req.valid("json").note ?? null)), 200),
  );
