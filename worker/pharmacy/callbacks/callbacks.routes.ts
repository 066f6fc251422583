import { createRoute, z } from "@hono/zod-openapi";
import { createMiddleware } from "hono/factory";
import { serviceContext } from "../../context";
import { requestDb } from "../../db/tenancy";
import type { AppEnv } from "../../http/context";
import { CALLBACK_BODY_LIMIT, readBodyCapped } from "../../http/limits";
import { openApiApp } from "../../http/openapi";
import { ApiError, problemResponses } from "../../errors/problem";
import { SIGNATURE_HEADER } from "../../lib/hmac";
import { CallbackEvent, CallbackResult } from "./callbacks.schemas";
import { authenticateCallback, identifyCallbackSender, receiveCallback } from "./callbacks.service";

/**
 * The pharmacy's counterpart of `authenticate`: the caller is authenticated by the HMAC of
 * the raw body with its shared secret, before the body is parsed or validated. Nothing of
 * the body is read until the pharmacy is known and its signature header is well-formed and
 * current; then at most CALLBACK_BODY_LIMIT bytes are (the global body limit skips this
 * route, limits.ts). The bytes read become the request's body, which the JSON validator
 * parses afterwards.
 */
const pharmacySignature = createMiddleware<AppEnv>(async (c, next) => {
  const pharmacyId = c.req.param("pharmacyId");
  if (!pharmacyId) throw new ApiError("not-found", "no pharmacy in the path");
  const sender = await identifyCallbackSender(requestDb(c), pharmacyId, c.req.header(SIGNATURE_HEADER), new Date());
  const body = await readBodyCapped(c.req.raw, CALLBACK_BODY_LIMIT);
  c.req.raw = new Request(c.req.raw, { body });
  c.set("principal", await authenticateCallback(sender, new TextDecoder().decode(body)));
  await next();
});

const PharmacyParam = z.object({ pharmacyId: z.string().min(1).max(64).openapi({ param: { name: "pharmacyId", in: "path" }, example: "pharm-renhe" }) });

const callbackRoute = createRoute({
  method: "post",
  path: "/pharmacy-callbacks/{pharmacyId}",
  tags: ["Pharmacy integration"],
  summary: "Status report from an external pharmacy, signed with its shared secret (no bearer token)",
  description:
    "Authenticated by `X-Signature: t=<unix>,v1=<hex HMAC-SHA256(secret, t + \".\" + raw body)>` with the pharmacy's shared secret. " +
    "404: unknown or non-external pharmacy, or an order of another pharmacy. 401: missing, malformed or wrong signature, or a timestamp more than 300 s old or ahead. " +
    "A replayed eventId changes nothing and answers 200 with `duplicate: true` (409 if it was used for another order). " +
    "A status that is not a legal next step of the order: 409. The timeline records the receipt time; the pharmacy's `at` is kept in the event's note.",
  middleware: [pharmacySignature] as const,
  security: [],
  "x-roles": ["pharmacy-hmac"],
  request: {
    params: PharmacyParam,
    headers: z.object({ "x-signature": z.string().optional().openapi({ description: "t=<unix seconds>,v1=<hex HMAC-SHA256>" }) }),
    body: { content: { "application/json": { schema: CallbackEvent } }, required: true },
  },
  responses: {
    200: { description: "Applied, or a replay that changed nothing", content: { "application/json": { schema: CallbackResult } } },
    ...problemResponses(404, 409, 413),
  },
});

export const callbackRoutes = openApiApp().openapi(callbackRoute, async (c) =>
  c.json(await receiveCallback({ ...serviceContext(c), queue: c.env.ORDER_QUEUE }, c.req.valid("param").pharmacyId, c.req.valid("json")), 200),
);
