import { OpenAPIHono } from "@hono/zod-openapi";
import { HTTPException } from "hono/http-exception";
import { secureHeaders } from "hono/secure-headers";
import { formularyRoutes } from "./formulary/formulary.routes";
import { devLoginRoutes } from "./http/dev-login";
import { devPhoneRoutes } from "./pharmacy/notifications/dev-phone.routes";
import { deskRoutes } from "./pharmacy/desk/desk.routes";
import { returnRoutes } from "./pharmacy/desk/returns.routes";
import { settingsRoutes } from "./settings/settings.routes";
import { callbackRoutes } from "./pharmacy/callbacks/callbacks.routes";
import { pharmacyRoutes } from "./pharmacy/pharmacies/pharmacies.routes";
import { memberRoutes } from "./members/members.routes";
import { patientRoutes } from "./members/patients.routes";
import { followUpRoutes } from "./follow-up/follow-up.routes";
import { pharmacistRoutes } from "./members/pharmacists.routes";
import { patientStatusRoutes } from "./pharmacy/patient-status/patient-status.routes";
import { referenceRoutes } from "./reference/reference.routes";
import { prescriptionRoutes } from "./prescriptions/prescriptions.routes";
import { changeRequestRoutes } from "./prescriptions/change-requests.routes";
import { inboxRoutes } from "./prescriptions/inbox.routes";
import { changeRequestDeskRoutes } from "./pharmacy/desk/change-requests.routes";
import { reportRoutes } from "./reports/reports.routes";
import { reviewRoutes } from "./reviews/reviews.routes";
import { auditRoutes } from "./audit/audit.routes";
import { apiDocs } from "./ui/api-docs";
import type { AppEnv } from "./http/context";
import { limitBody } from "./http/limits";
import { noStoreByDefault } from "./http/cache-control";
import { serverRequestId } from "./http/request-id";
import { serverTiming } from "./http/server-timing";
import { RateLimited } from "./http/rate-limit";
import { ApiError, Misconfigured, problemResponse, StoredProblem } from "./errors/problem";
import { uiRoutes } from "./ui/ui.routes";
import { tenancy } from "./db/tenancy";

export const API_BASE = "/api/v1";

/** Maps anything thrown to problem+json; unknown errors are logged and answered without internals. */
export function toProblem(err: unknown, reqId: string): Response {
  if (err instanceof Misconfigured) console.error(JSON.stringify({ level: "error", requestId: reqId, error: `misconfigured: ${err.reason}` }));
  // every 429, whichever route refused it, says when to come back
  if (err instanceof RateLimited) return problemResponse(err, reqId, { "Retry-After": String(err.retryAfter) });
  if (err instanceof ApiError) return problemResponse(err, reqId);
  if (err instanceof StoredProblem) return err.toResponse(reqId);
  if (err instanceof HTTPException && err.status < 500) {
    const code = err.status === 413 ? "payload-too-large" : err.status === 401 ? "unauthorized" : "bad-request";
    return problemResponse(new ApiError(code, err.message || undefined), reqId);
  }
  console.error(JSON.stringify({ level: "error", requestId: reqId, error: err instanceof Error ? `${err.name}: ${err.message}` : "unknown", stack: err instanceof Error ? err.stack : undefined }));
  return problemResponse(new ApiError("internal-error", "an unexpected error occurred; quote the requestId when reporting it"), reqId);
}

export function createApp() {
  const app = new OpenAPIHono<AppEnv>();
  // outermost, so that its time is the whole of the worker's (SERVER_TIMING=1 only)
  app.use("*", serverTiming);
  app.use("*", serverRequestId);
  // the host's consortium (its database, its queue stamp) and the D1 bookmark on the way out
  app.use("*", tenancy);
  app.use("*", secureHeaders({ contentSecurityPolicy: undefined }));
  app.use(`${API_BASE}/*`, noStoreByDefault);
  app.use(`${API_BASE}/*`, limitBody);

  app.get("/health", (c) => c.json({ ok: true }));
  app.route(API_BASE, formularyRoutes);
  app.route(API_BASE, prescriptionRoutes);
  app.route(API_BASE, devLoginRoutes);
  app.route(API_BASE, devPhoneRoutes);
  app.get("/", (c) => c.redirect("/ui/formulary"));
  app.route("/ui", uiRoutes);
  app.route(API_BASE, memberRoutes);
  app.route(API_BASE, patientRoutes);
  app.route(API_BASE, followUpRoutes);
  app.route(API_BASE, referenceRoutes);
  app.route(API_BASE, reportRoutes);
  app.route(API_BASE, reviewRoutes);
  // before the desk: its GET /orders/{id} would take /orders/return-reasons for an id
  app.route(API_BASE, returnRoutes);
  app.route(API_BASE, deskRoutes);
  app.route(API_BASE, pharmacyRoutes);
  app.route(API_BASE, callbackRoutes);
  app.route(API_BASE, changeRequestDeskRoutes);
  app.route(API_BASE, changeRequestRoutes);
  app.route(API_BASE, inboxRoutes);
  app.route(API_BASE, settingsRoutes);
  app.route(API_BASE, pharmacistRoutes);
  app.route(API_BASE, patientStatusRoutes);
  app.route(API_BASE, auditRoutes);

  app.openAPIRegistry.registerComponent("securitySchemes", "bearerAuth", { type: "http", scheme: "bearer", bearerFormat: "JWT" });
  app.doc31(`${API_BASE}/openapi.json`, {
    openapi: "3.1.0",
    info: {
      title: "YaoLian 药联 API",
      version: "1.0.0",
      description:
        "Shared formulary, prescription checks and cloud-pharmacy routing for a medical consortium. " +
        "Every route lists the roles allowed to call it in `x-roles`. Errors are RFC 9457 problem+json.",
    },
    servers: [{ url: "/" }],
  });
  app.get("/api/docs", apiDocs(`${API_BASE}/openapi.json`));

  app.notFound((c) => problemResponse(new ApiError("not-found", `no route for ${c.req.method} ${c.req.path}`), c.get("requestId")));
  app.onError((err, c) => toProblem(err, c.get("requestId") ?? "unknown"));
  return app;
}
