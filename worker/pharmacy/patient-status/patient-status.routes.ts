import { createRoute } from "@hono/zod-openapi";
import type { Context, MiddlewareHandler } from "hono";
import { requestDb } from "../../db/tenancy";
import type { AppEnv } from "../../http/context";
import { jsonBody, jsonResponse, openApiApp } from "../../http/openapi";
import { Problem } from "../../errors/problem";
import { rateLimiterFor, retryAfterHeader } from "../../http/rate-limit";
import { PatientOrderView, StatusLookup, StatusLookupQuery } from "./patient-status.schemas";
import { CLIENT_LOOKUPS, lookUpOrderStatus, REFERENCE_FAILURES } from "./patient-status.service";

/*
 * The patient's status lookup: public on purpose (patients have no account), guarded by
 * what the patient holds instead of a token. GET for links and simple pages; POST keeps the
 * reference and the check out of URLs, and so out of access logs and browser history.
 */

const TAGS = ["Patients (public)"];

const DESCRIPTION = [
  "`reference` is the order reference in the patient's SMS or on the pickup slip (case, spaces and hyphens ignored);",
  "`check` is the last four digits of the patient's phone or, for a delivery, of the delivery phone.",
  "An unknown reference, a wrong check and a patient without a phone on record all answer the same 404.",
  `Rate-limited: ${REFERENCE_FAILURES.limit} wrong checks per reference per ${REFERENCE_FAILURES.windowSeconds / 60} minutes`,
  "(then 429 even with the right check until the window ends), and",
  `${CLIENT_LOOKUPS.limit} lookups per client address per ${CLIENT_LOOKUPS.windowSeconds} seconds; a 429 carries Retry-After.`,
  "Answers are never cached (Cache-Control: no-store). Nothing medical is shown: no drug names, no diagnosis, no pickup code.",
].join(" ");

const problem = (description: string) => ({ description, content: { "application/problem+json": { schema: Problem } } });

const responses = {
  200: jsonResponse(PatientOrderView, "The order's status, logistics and instalment schedule"),
  400: problem("The request is not valid"),
  404: problem("No order with this reference and check"),
  429: problem("Too many lookups or wrong checks: see Retry-After"),
};

/** A patient's answer stays on the patient's device: no shared or browser cache keeps it. */
const noStore: MiddlewareHandler = async (c, next) => {
  await next();
  c.res.headers.set("Cache-Control", "no-store");
};

const PUBLIC = { tags: TAGS, security: [], "x-roles": ["public"], middleware: [noStore, retryAfterHeader] };

/** The client's address as Cloudflare's edge sets it; without one (local runs) every caller shares one bucket. */
function statusContext(c: Context<AppEnv>) {
  const db = requestDb(c);
  return { ctx: { db, limiter: rateLimiterFor(c.env, db), now: new Date() }, client: c.req.header("cf-connecting-ip") ?? "unknown" };
}

export const patientStatusRoutes = openApiApp()
  .openapi(
    createRoute({
      ...PUBLIC,
      method: "get",
      path: "/order-status",
      summary: "A patient's view of their order and its instalments, with the reference and the phone's last four digits; no login",
      description: DESCRIPTION,
      request: { query: StatusLookupQuery },
      responses,
    }),
    async (c) => {
      const { ctx, client } = statusContext(c);
      return c.json(await lookUpOrderStatus(ctx, c.req.valid("query"), client), 200);
    },
  )
  .openapi(
    createRoute({
      ...PUBLIC,
      method: "post",
      path: "/order-status",
      summary: "The same lookup with the reference and check in the body (kept out of URLs and access logs)",
      description: DESCRIPTION,
      request: { body: jsonBody(StatusLookup) },
      responses,
    }),
    async (c) => {
      const { ctx, client } = statusContext(c);
      return c.json(await lookUpOrderStatus(ctx, c.req.valid("json"), client), 200);
    },
  );
