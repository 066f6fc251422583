import { createRoute, type z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { serviceContext } from "../../context";
import { getDb } from "../../db";
import type { AppEnv } from "../../http/context";
import { guardedRoute, jsonBody, jsonResponse, openApiApp } from "../../http/openapi";
import { decodeCursor, pageOf } from "../../http/pagination";
import { Problem, problemResponses } from "../../http/problem";
import { getSigner } from "../../signing/signer";
import {
  CancelInput,
  DeskOrder,
  DeskOrderDetail,
  HandoverInput,
  OrderCursor,
  OrderIdParam,
  OrderListQuery,
  OrderPage,
  PatientOrderStatus,
  PickupCodeIssued,
  ReviewInput,
  ReviewReasonList,
  ShipInput,
  StatusQuery,
} from "./desk.schemas";
import {
  cancelDeskOrder,
  type DeskCtx,
  deliverOrder,
  dispenseOrder,
  getDeskOrder,
  handOverOrder,
  listDeskOrders,
  patientOrderStatus,
  readyOrder,
  reissuePickupCode,
  reviewOrder,
  reviewReasons,
  shipOrder,
  toDeskOrder,
} from "./desk.service";

/*
 * The pharmacy desk (API.md "Orders"). Reads: the pharmacy's pharmacists, and admins for
 * consortium oversight; writes: pharmacists of a desk-integrated pharmacy only. Review and
 * hand-over additionally need a licensed pharmacist (药师 or above). One public route, the
 * patient's status lookup, is guarded by the order's reference instead of a token.
 */

const READERS = ["pharmacist", "admin"] as const;
const TAGS = ["Pharmacy desk"];

async function deskContext(c: Context<AppEnv>): Promise<DeskCtx> {
  return { ...serviceContext(c), queue: c.env.ORDER_QUEUE, signer: await getSigner(c.env) };
}

const actionResponses = { 200: jsonResponse(DeskOrder, "The order after the change"), ...problemResponses(404, 409) };

/** A status change on the desk: pharmacists only, 404 for another pharmacy's order, 409 when illegal or raced. */
function deskAction<P extends string>(path: P, summary: string) {
  return guardedRoute(["pharmacist"], { method: "post", path, tags: TAGS, summary, request: { params: OrderIdParam }, responses: actionResponses });
}

function deskActionWith<P extends string, B extends z.ZodType>(path: P, summary: string, schema: B, description?: string) {
  return guardedRoute(["pharmacist"], {
    method: "post",
    path,
    tags: TAGS,
    summary,
    ...(description ? { description } : {}),
    request: { params: OrderIdParam, body: jsonBody(schema) },
    responses: actionResponses,
  });
}

export const deskRoutes = openApiApp()
  // registered before /orders/{id}: the router tries routes in order
  .openapi(
    guardedRoute(["pharmacist", "admin", "doctor"], {
      method: "get",
      path: "/orders/review-reasons",
      tags: TAGS,
      summary: "The 处方点评 reasons a rejection may give, with their Chinese labels",
      description: "Doctors read them too: a rejected order carries the code in rejectReason.",
      responses: { 200: jsonResponse(ReviewReasonList, "Categories 不规范 / 用药不适宜 / 超常 and their reasons") },
    }),
    (c) => c.json(reviewReasons(), 200),
  )
  .openapi(
    guardedRoute(READERS, {
      method: "get",
      path: "/orders",
      tags: TAGS,
      summary: "The pharmacy's orders, oldest first (a work queue)",
      description: "Pharmacists: their own pharmacy only. Admins: every pharmacy, or one with `pharmacyId`. Scheduled instalments appear only with `status=scheduled`.",
      request: { query: OrderListQuery },
      responses: { 200: jsonResponse(OrderPage, "A page of orders"), ...problemResponses() },
    }),
    async (c) => {
      const { status, pharmacyId, limit, cursor } = c.req.valid("query");
      const after = cursor ? decodeCursor(cursor, OrderCursor) : undefined;
      const rows = await listDeskOrders(await deskContext(c), { status, pharmacyId, limit, after: after && { createdAt: after.c, id: after.i } });
      const page = pageOf(rows, limit, (r) => ({ c: r.createdAt, i: r.id }));
      return c.json({ items: page.items.map(toDeskOrder), nextCursor: page.nextCursor }, 200);
    },
  )
  .openapi(
    guardedRoute(READERS, {
      method: "get",
      path: "/orders/{id}",
      tags: TAGS,
      summary: "An order with its timeline, the signed prescription (verified) and the warnings stored at signing",
      request: { params: OrderIdParam },
      responses: { 200: jsonResponse(DeskOrderDetail, "The order"), ...problemResponses(404) },
    }),
    async (c) => c.json(await getDeskOrder(await deskContext(c), c.req.valid("param").id), 200),
  )
  .openapi(
    guardedRoute(["pharmacist"], {
      method: "post",
      path: "/orders/{id}/review",
      tags: TAGS,
      summary: "处方审核: approve, or reject with a 处方点评 reason back to the doctor",
      description:
        "Licensed pharmacists (药师 or above) only. A rejection needs `reasonCode` (GET /orders/review-reasons). " +
        "An approval is refused (422) when the prescription's hash or signature no longer verifies. Nothing ever approves by timeout.",
      request: { params: OrderIdParam, body: jsonBody(ReviewInput) },
      responses: { 200: jsonResponse(DeskOrder, "Approved or rejected"), ...problemResponses(404, 409, 422) },
    }),
    async (c) => c.json(toDeskOrder(await reviewOrder(await deskContext(c), c.req.valid("param").id, c.req.valid("json"))), 200),
  )
  .openapi(deskAction("/orders/{id}/dispense", "Start dispensing an approved order (调配)"), async (c) =>
    c.json(toDeskOrder(await dispenseOrder(await deskContext(c), c.req.valid("param").id)), 200),
  )
  .openapi(
    guardedRoute(["pharmacist"], {
      method: "post",
      path: "/orders/{id}/ready",
      tags: TAGS,
      summary: "Pickup orders: ready at the window; issues the 6-digit pickup code",
      description: "The code is in this response only (and in the patient's SMS); the server keeps its salted SHA-256.",
      request: { params: OrderIdParam },
      responses: { 200: jsonResponse(PickupCodeIssued, "Ready, with the pickup code"), ...problemResponses(404, 409) },
    }),
    async (c) => {
      const { order, pickupCode } = await readyOrder(await deskContext(c), c.req.valid("param").id);
      c.header("Cache-Control", "no-store");
      return c.json({ order: toDeskOrder(order), pickupCode }, 200);
    },
  )
  .openapi(
    guardedRoute(["pharmacist"], {
      method: "post",
      path: "/orders/{id}/reissue-pickup-code",
      tags: TAGS,
      summary: "A new pickup code for a ready order (the old one is void, e.g. after 5 wrong attempts)",
      request: { params: OrderIdParam },
      responses: { 200: jsonResponse(PickupCodeIssued, "The new code"), ...problemResponses(404, 409) },
    }),
    async (c) => {
      const { order, pickupCode } = await reissuePickupCode(await deskContext(c), c.req.valid("param").id);
      c.header("Cache-Control", "no-store");
      return c.json({ order: toDeskOrder(order), pickupCode }, 200);
    },
  )
  .openapi(
    deskActionWith(
      "/orders/{id}/handover",
      "Hand a ready order over at the window against its pickup code",
      HandoverInput,
      "Licensed pharmacists only. A wrong code: 409 `conflict`, counted; the fifth wrong one voids the code: 409 `too-many-attempts` until it is reissued.",
    ),
    async (c) => c.json(toDeskOrder(await handOverOrder(await deskContext(c), c.req.valid("param").id, c.req.valid("json").pickupCode)), 200),
  )
  .openapi(deskActionWith("/orders/{id}/ship", "Delivery orders: hand to the carrier", ShipInput), async (c) =>
    c.json(toDeskOrder(await shipOrder(await deskContext(c), c.req.valid("param").id, c.req.valid("json"))), 200),
  )
  .openapi(deskAction("/orders/{id}/deliver", "Delivery orders: delivered to the patient"), async (c) =>
    c.json(toDeskOrder(await deliverOrder(await deskContext(c), c.req.valid("param").id)), 200),
  )
  .openapi(deskActionWith("/orders/{id}/cancel", "Pharmacy-side cancellation before hand-over", CancelInput), async (c) =>
    c.json(toDeskOrder(await cancelDeskOrder(await deskContext(c), c.req.valid("param").id, c.req.valid("json").reason)), 200),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/orders/{id}/status",
      tags: ["Patients (public)"],
      summary: "The patient's view of an order: status and logistics, nothing medical; no login",
      description: "`code` is the order's reference given to the patient. A wrong or missing code and an unknown order all answer the same 404.",
      // public on purpose: the order id plus its reference are the credential
      security: [],
      "x-roles": ["public"],
      request: { params: OrderIdParam, query: StatusQuery },
      responses: {
        200: jsonResponse(PatientOrderStatus, "The status"),
        400: { description: "The request is not valid", content: { "application/problem+json": { schema: Problem } } },
        404: { description: "No order with this id and code", content: { "application/problem+json": { schema: Problem } } },
      },
    }),
    async (c) => {
      const status = await patientOrderStatus({ db: getDb(c.env.DB) }, c.req.valid("param").id, c.req.valid("query").code);
      c.header("Cache-Control", "no-store");
      return c.json(status, 200);
    },
  );
