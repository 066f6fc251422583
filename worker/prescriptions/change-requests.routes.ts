import { z } from "@hono/zod-openapi";
import { serviceContext } from "../context";
import { parseIdempotencyKey } from "../http/idempotency";
import { guardedRoute, jsonBody, jsonResponse, openApiApp } from "../http/openapi";
import { decodeCursor, pageOf } from "../http/pagination";
import { problemResponses, StoredProblem } from "../errors/problem";
import { AcceptedChange, AcceptInput, ChangeRequest, ChangeRequestCursor, ChangeRequestIdParam, ChangeRequestListQuery, ChangeRequestPage, DeclineInput } from "./change-requests.schemas";
import { acceptChangeRequest, declineChangeRequest, getChangeRequest, listChangeRequests } from "./change-requests.service";
import { rxContext } from "./prescriptions.routes";
import { toChangeRequest } from "../pharmacy/fulfilment";

/*
 * The doctor's side of a pharmacy's change request (the pharmacy's side is
 * pharmacy/desk/change-requests.routes.ts). Decisions: the prescribing doctor only.
 */

const TAGS = ["Change requests"];

export const changeRequestRoutes = openApiApp()
  .openapi(
    guardedRoute(["doctor", "admin"], {
      method: "get",
      path: "/change-requests",
      tags: TAGS,
      summary: "The pharmacies' change requests to the institution's prescriptions, oldest first",
      description: "Doctors: their own institution's. Admins: every institution's, or one with `institutionId`. `status=open`: waiting for a decision.",
      request: { query: ChangeRequestListQuery },
      responses: { 200: jsonResponse(ChangeRequestPage, "A page of change requests"), ...problemResponses() },
    }),
    async (c) => {
      const { status, institutionId, limit, cursor } = c.req.valid("query");
      const after = cursor ? decodeCursor(cursor, ChangeRequestCursor) : undefined;
      const rows = await listChangeRequests(serviceContext(c), { status, institutionId, limit, after: after && { createdAt: after.c, id: after.i } });
      const page = pageOf(rows, limit, (r) => ({ c: r.createdAt, i: r.id }));
      return c.json({ items: page.items.map(toChangeRequest), nextCursor: page.nextCursor }, 200);
    },
  )
  .openapi(
    guardedRoute(["doctor", "admin", "pharmacist"], {
      method: "get",
      path: "/change-requests/{id}",
      tags: TAGS,
      summary: "A change request with the proposal, its findings and the item diff",
      description: "Doctors of the prescription's institution, the proposing pharmacy's pharmacists and admins; others 404.",
      request: { params: ChangeRequestIdParam },
      responses: { 200: jsonResponse(ChangeRequest, "The change request"), ...problemResponses(404) },
    }),
    async (c) => c.json(await getChangeRequest(serviceContext(c), c.req.valid("param").id), 200),
  )
  .openapi(
    guardedRoute(["doctor"], {
      method: "post",
      path: "/change-requests/{id}/accept",
      tags: TAGS,
      summary: "Accept: sign the proposal as a new prescription that replaces the old one; needs Idempotency-Key",
      description:
        "The prescribing doctor only. The proposal is validated again against today's formulary and rules (errors: 422 with the findings, nothing changes). " +
        "The new prescription is signed like POST /prescriptions, `replaces` the old one (now `replaced`, with `replacedBy`), and takes over the requested order " +
        "(back in the pharmacy's review) and the later instalments nobody has worked on yet; supplied orders stay with the old one. " +
        "Same key and body: the stored response again. A concurrent withdrawal or decision: 409, nothing written.",
      request: {
        params: ChangeRequestIdParam,
        headers: z.object({ "idempotency-key": z.string().optional().openapi({ description: "unique per intended acceptance" }) }),
        body: jsonBody(AcceptInput),
      },
      responses: { 201: jsonResponse(AcceptedChange, "Accepted and signed"), ...problemResponses(404, 409, 422) },
    }),
    async (c) => {
      const key = parseIdempotencyKey(c.req.header("idempotency-key"));
      const outcome = await acceptChangeRequest(await rxContext(c), c.req.valid("param").id, key, c.req.valid("json"));
      if (outcome.replayed) c.header("Idempotent-Replayed", "true");
      // a 422 with rule findings (fresh or replayed) is a problem+json built by the service
      if (outcome.status >= 400) throw new StoredProblem(outcome.status, outcome.body);
      return c.json(outcome.body as AcceptedChange, 201);
    },
  )
  .openapi(
    guardedRoute(["doctor"], {
      method: "post",
      path: "/change-requests/{id}/decline",
      tags: TAGS,
      summary: "Decline: the order goes back to the pharmacy's review with the note on its timeline",
      description: "The prescribing doctor only. The pharmacist then approves the prescription as it is or rejects it.",
      request: { params: ChangeRequestIdParam, body: jsonBody(DeclineInput) },
      responses: { 200: jsonResponse(ChangeRequest, "Declined"), ...problemResponses(404, 409) },
    }),
    async (c) => c.json(await declineChangeRequest(await rxContext(c), c.req.valid("param").id, c.req.valid("json").note), 200),
  );
