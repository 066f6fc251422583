import type { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { serviceContext } from "../../context";
import type { AppEnv } from "../../http/context";
import { guardedRoute, jsonBody, jsonResponse, openApiApp } from "../../http/openapi";
import { decodeCursor, pageOf } from "../../http/pagination";
import { problemResponses } from "../../errors/problem";
import { getSigner } from "../../signing/signer";
import { cancelDeskOrder } from "./cancel.service";
import { deliverOrder, shipOrder } from "./delivery.service";
import { countDeskOrders, type DeskCtx, getDeskOrder, listDeskOrders, reviewReasons, toDeskOrder } from "./desk.service";
import {
  CancelInput,
  DeskOrder,
  DeskOrderDetail,
  DispenseInput,
  HandoverInput,
  OrderCounts,
  OrderCountsQuery,
  OrderCursor,
  OrderIdParam,
  OrderListQuery,
  OrderPage,
  ReissueInput,
  ReviewInput,
  ReviewReasonList,
  ShipInput,
} from "./desk.schemas";
import { dispenseOrder } from "./dispense.service";
import { MAX_PICKUP_CODE_REISSUES } from "./pickup-limits";
import { handOverOrder, readyOrder, reissuePickupCode } from "./pickup.service";
import { reviewOrder } from "./review.service";

/*
 * The pharmacy desk (API.md "Orders"). Reads: the pharmacy's pharmacists, and admins for
 * consortium oversight; writes: pharmacists of a desk-integrated pharmacy only. Review and
 * hand-over (and reissuing a pickup code) additionally need a licensed pharmacist (药师 or
 * above). No answer carries a pickup code: it reaches the patient by SMS only.
 */

const READERS = ["pharmacist", "admin"] as const;
const TAGS = ["Pharmacy desk"];

async function deskContext(c: Context<AppEnv>): Promise<DeskCtx> {
  return { ...serviceContext(c), queue: c.env.ORDER_QUEUE, signer: await getSigner(c.env) };
}

const actionResponses = { 200: jsonResponse(DeskOrder, "The order after the change"), ...problemResponses(404, 409) };

/** A status change on the desk: pharmacists only, 404 for another pharmacy's order, 409 when illegal or raced. */
function deskAction<P extends string>(path: P, summary: string, description?: string) {
  return guardedRoute(["pharmacist"], {
    method: "post",
    path,
    tags: TAGS,
    summary,
    ...(description ? { description } : {}),
    request: { params: OrderIdParam },
    responses: actionResponses,
  });
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
      path: "/orders/counts",
      tags: TAGS,
      summary: "How many orders per status (and per status, pickup site and mode): the queue's tabs",
      description: "Pharmacists: their own pharmacy. Admins: every pharmacy, or one with `pharmacyId`. Takes the queue's site, mode and instalment filters. One round trip.",
      request: { query: OrderCountsQuery },
      responses: { 200: jsonResponse(OrderCounts, "The counts"), ...problemResponses() },
    }),
    async (c) => c.json(await countDeskOrders(await deskContext(c), c.req.valid("query")), 200),
  )
  .openapi(
    guardedRoute(READERS, {
      method: "get",
      path: "/orders",
      tags: TAGS,
      summary: "The pharmacy's orders, oldest first (a work queue), each with its review due time",
      description:
        "Pharmacists: their own pharmacy only. Admins: every pharmacy, or one with `pharmacyId`. Without `status`, the desk's open work " +
        "(scheduled instalments and finished orders are not work). `q` finds the patient at the window among them (name or pinyin " +
        "prefix, the phone's last four digits, the order id or reference); each row names the patient masked (郑*梅). " +
        "`reviewDueAt` is pendingSince + the consortium's review target " +
        "(setting reviewTargetMinutes): shown, never enforced; nothing approves by itself.",
      request: { query: OrderListQuery },
      responses: { 200: jsonResponse(OrderPage, "A page of orders"), ...problemResponses() },
    }),
    async (c) => {
      const { status, limit, cursor, ...filter } = c.req.valid("query");
      const after = cursor ? decodeCursor(cursor, OrderCursor) : undefined;
      const rows = await listDeskOrders(await deskContext(c), { ...filter, statuses: status, limit, after: after && { createdAt: after.c, id: after.i } });
      return c.json(pageOf(rows, limit, (r) => ({ c: r.createdAt, i: r.id })), 200);
    },
  )
  .openapi(
    guardedRoute(READERS, {
      method: "get",
      path: "/orders/{id}",
      tags: TAGS,
      summary: "An order's page: the signed prescription (verified), the warnings stored at signing, the patient's allergies and active supply, the instalments, the lots dispensed, the timeline",
      description: "Shows patient data to pharmacy staff: every read is audited. One round trip (plus the audit row).",
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
  .openapi(
    guardedRoute(["pharmacist"], {
      method: "post",
      path: "/orders/{id}/dispense",
      tags: TAGS,
      summary: "调配: dispense per item and lot (an approved order, or the held rest of one awaiting stock)",
      description:
        "A 药士 may dispense. Per item the packages taken from each lot, with its lot number and expiry; several lines may name one item. " +
        "An item left out (or with 0 packages) is held: the patient is told by SMS that part is out of stock, and the order shows `partial`. " +
        "422 when an item gets more than remains to supply, when nothing at all is dispensed, or when a lot expired before today.",
      request: { params: OrderIdParam, body: jsonBody(DispenseInput) },
      responses: { 200: jsonResponse(DeskOrder, "Dispensing"), ...problemResponses(404, 409, 422) },
    }),
    async (c) => c.json(toDeskOrder(await dispenseOrder(await deskContext(c), c.req.valid("param").id, c.req.valid("json"))), 200),
  )
  .openapi(
    deskAction(
      "/orders/{id}/ready",
      "Pickup orders: ready at the window; the patient gets a new 6-digit pickup code by SMS",
      "The code is never in a response: it goes to the patient's SMS only; the server keeps its salted SHA-256.",
    ),
    async (c) => c.json(toDeskOrder(await readyOrder(await deskContext(c), c.req.valid("param").id)), 200),
  )
  .openapi(
    deskActionWith(
      "/orders/{id}/reissue-pickup-code",
      "A new pickup code for a ready order (the old one is void or lost), sent to the patient by SMS",
      ReissueInput,
      `Licensed pharmacists only, with a reason (kept in the audit trail). The new code is not in the response. Wrong attempts stay counted: ` +
        `the lifetime count is never reset, and after ${MAX_PICKUP_CODE_REISSUES} reissues further ones are refused (409 \`too-many-attempts\`): the patient is seen in person.`,
    ),
    async (c) => c.json(toDeskOrder(await reissuePickupCode(await deskContext(c), c.req.valid("param").id, c.req.valid("json").reason)), 200),
  )
  .openapi(
    deskActionWith(
      "/orders/{id}/handover",
      "Hand a ready order over at the window against its pickup code",
      HandoverInput,
      "Licensed pharmacists only. Moves the dispensed packages into supplied: `picked_up` when nothing remains, else `awaiting_stock` (the held rest is dispensed again when stock arrives). " +
        "A wrong code: 409 `conflict`, counted; the fifth wrong one since the code's issue voids it: 409 `too-many-attempts` until it is reissued.",
    ),
    async (c) => c.json(toDeskOrder(await handOverOrder(await deskContext(c), c.req.valid("param").id, c.req.valid("json").pickupCode)), 200),
  )
  .openapi(deskActionWith("/orders/{id}/ship", "Delivery orders: hand to the carrier", ShipInput), async (c) =>
    c.json(toDeskOrder(await shipOrder(await deskContext(c), c.req.valid("param").id, c.req.valid("json"))), 200),
  )
  .openapi(deskAction("/orders/{id}/deliver", "Delivery orders: delivered to the patient", "`delivered` when nothing remains, else `awaiting_stock` for the held rest."), async (c) =>
    c.json(toDeskOrder(await deliverOrder(await deskContext(c), c.req.valid("param").id)), 200),
  )
  .openapi(deskActionWith("/orders/{id}/cancel", "Pharmacy-side cancellation before the last hand-over (what was supplied stays supplied)", CancelInput), async (c) =>
    c.json(toDeskOrder(await cancelDeskOrder(await deskContext(c), c.req.valid("param").id, c.req.valid("json").reason)), 200),
  );
