import { Hono } from "hono";
import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import { html } from "hono/html";
import type { Child } from "hono/jsx";
import { requestDb } from "../db/tenancy";
import type { AppEnv } from "../http/context";
import { devLoginEnabled, listDevUsers } from "../http/dev-login";
import { oidcLogin, oidcOrigin } from "../http/oidc-login";
import { ApiError } from "../errors/problem";
import { getSigner } from "../signing/signer";
import { ASSETS } from "./assets";
import { AdminPage, isAdminView } from "./pages/admin";
import { EntryPage } from "./pages/entry";
import { FormularyPage } from "./pages/formulary";
import { FollowUpPage } from "./pages/follow-up";
import { ImportPage } from "./pages/import";
import { LoginPage } from "./pages/login";
import { PatientPage } from "./pages/patient";
import { DeskPage } from "./pages/desk";
import { PhonePage } from "./pages/phone";
import { PrescribePage } from "./pages/prescribe";
import { PrescriptionsPage } from "./pages/prescriptions";
import { ReportsPage } from "./pages/reports";
import { LabelsPage, labelSize, SlipPage } from "./pages/print";
import { RxPrintPage } from "./pages/rx-print";
import { ReviewFeedbackPage, ReviewsPage } from "./pages/reviews";
import { StatusPage } from "./pages/status";
import { VerifyPage } from "./pages/verify";
import { listPickupSites } from "./ui.repo";

/**
 * Everything the pages run comes from this worker, so the policy allows nothing else:
 * no inline script or style, no other origin, no framing.
 */
function csp(idpOrigin: string | null): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    // the login page fetches the identity provider's discovery document and token endpoint (http/oidc-login.ts)
    idpOrigin ? `connect-src 'self' ${idpOrigin}` : "connect-src 'self'",
    "form-action 'self'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join("; ");
}

const contentSecurityPolicy = createMiddleware<AppEnv>(async (c, next) => {
  await next();
  c.header("Content-Security-Policy", csp(oidcOrigin(c.env)));
});

function page(c: Context<AppEnv>, node: Child) {
  // The HTML holds no user data (that arrives through the API with the token), but keep it out of shared caches anyway.
  c.header("Cache-Control", "no-store");
  return c.html(html`<!DOCTYPE html>${node}`);
}

/** Server-rendered pages (hono/jsx escapes every value) and their assets, mounted at /ui. */
export const uiRoutes = new Hono<AppEnv>()
  .use("*", contentSecurityPolicy)
  .get("/", (c) => c.redirect("/ui/formulary"))
  .get("/assets/:file", (c) => {
    const asset = ASSETS[c.req.param("file")];
    if (!asset) throw new ApiError("not-found", `no asset ${c.req.param("file")}`);
    return c.body(asset.body, 200, { "Content-Type": asset.type, "Cache-Control": "public, max-age=300" });
  })
  .get("/login", async (c) => {
    const devLogin = devLoginEnabled(c);
    const users = devLogin ? await listDevUsers(requestDb(c)) : [];
    return page(c, <LoginPage devLogin={devLogin} users={users} oidc={oidcLogin(c.env)} />);
  })
  .get("/formulary", (c) => page(c, <FormularyPage />))
  .get("/formulary/import", (c) => page(c, <ImportPage />))
  .get("/formulary/:code", (c) => page(c, <EntryPage code={c.req.param("code")} />))
  .get("/follow-up", (c) => page(c, <FollowUpPage />))
  .get("/patients/:id", (c) => page(c, <PatientPage patientId={c.req.param("id")} />))
  .get("/prescribe", async (c) => page(c, <PrescribePage sites={await listPickupSites(requestDb(c))} />))
  .get("/prescriptions", (c) => page(c, <PrescriptionsPage />))
  .get("/prescriptions/:id/print", (c) => page(c, <RxPrintPage id={c.req.param("id")} />))
  // the public keys go into the page, so the check needs no request and works offline once loaded
  .get("/verify", async (c) => page(c, <VerifyPage keys={(await getSigner(c.env)).publicKeys} />))
  .get("/desk", async (c) => page(c, <DeskPage sites={await listPickupSites(requestDb(c))} />))
  .get("/desk/orders/:id", async (c) => page(c, <DeskPage sites={await listPickupSites(requestDb(c))} orderId={c.req.param("id")} />))
  .get("/desk/orders/:id/labels", (c) => page(c, <LabelsPage orderId={c.req.param("id")} size={labelSize(c.req.query("size"))} />))
  .get("/desk/orders/:id/slip", (c) => page(c, <SlipPage orderId={c.req.param("id")} />))
  .get("/reviews", (c) => page(c, <ReviewsPage />))
  .get("/reviews/feedback", (c) => page(c, <ReviewFeedbackPage />))
  .get("/admin", (c) => page(c, <AdminPage view={null} />))
  .get("/admin/:view", (c) => {
    const view = c.req.param("view");
    if (!isAdminView(view)) throw new ApiError("not-found", `no route for ${c.req.method} ${c.req.path}`);
    return page(c, <AdminPage view={view} />);
  })
  .get("/reports", (c) => page(c, <ReportsPage />))
  .get("/status", (c) => page(c, <StatusPage />))
  .get("/dev/phone", (c) => {
    // the handset exists where the dev sign-in does (GET /api/v1/dev/sms): elsewhere, an unknown page
    if (!devLoginEnabled(c)) throw new ApiError("not-found", `no route for ${c.req.method} ${c.req.path}`);
    return page(c, <PhonePage />);
  });
