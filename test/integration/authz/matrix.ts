import type { Role } from "../../../worker/http/auth";
import { aNormalPrescription } from "../../builders/prescriptions";
import type { Fx } from "./fixtures";

/*
 * The authorization matrix: every route of the app (worker/app.ts, enumerated from
 * createApp().routes by authz-matrix.test.ts, which fails on a route without an entry here
 * and on an entry without a route), who may call it and how far its objects reach.
 *
 * Callers (the runner's identities, demo seed):
 *   home     doctor doc-shimen-gp-intermediate @ inst-shimen, pharmacist ph-cloud-1 @ pharm-cloud,
 *            admin admin-county @ inst-county; the fixtures' objects belong to inst-shimen / pharm-cloud
 *   foreign  doctor doc-county-cardio-senior @ inst-county, pharmacist ph-second-1 @ pharm-second (a desk pharmacy)
 *   unregistered  the foreign callers' tokens naming the home organisations (inst-shimen, pharm-cloud),
 *            where they are not registered: the org claim is what a route must not trust alone
 *            (admins have no registration table: seeds/README.md "Admins")
 *
 * For every route with roles: no token, a malformed one, an expired one, one signed with
 * another key, `alg: none` and unknown claims answer 401 problem+json; a role not listed 403;
 * `registered` routes 403 to the unregistered callers; `foreign` routes answer the foreign
 * caller of that role with the status given; and none of those refused calls changes
 * anything. `ok` is what the home caller of that role gets (the request is valid, so the
 * refusals above are about the caller, not the request).
 */

export interface Req {
  path: string;
  body?: unknown;
  headers?: Record<string, string>;
}

export type Scope =
  /** the same data or action for every member of the consortium (reference data, the shared patient record, settings, reports) */
  | "consortium"
  /** objects of the caller's institution (doctors) / every institution (admins) */
  | "institution"
  /** orders and staff of the caller's pharmacy (pharmacists) / every pharmacy (admins) */
  | "pharmacy"
  /** the caller's own objects (inbox notices, review feedback) */
  | "own";

interface Guarded {
  roles: readonly Role[];
  scope: Scope;
  req: (fx: Fx) => Req;
  /** doctors / pharmacists must be registered at the organisation their token names (403) */
  registered?: boolean;
  /** the object belongs to the home organisation: the foreign caller of this role gets `status` */
  foreign?: { as: "doctor" | "pharmacist"; status: 403 | 404 };
  /** the home caller of `as` succeeds with `status` */
  ok?: { as: Role; status: number };
  /** a list: the foreign caller of `as` gets 200 without any of these home objects */
  hides?: { as: "doctor" | "pharmacist"; ids: (fx: Fx) => string[] };
}

/** No bearer token involved: `status` is the answer to an anonymous request (and to one with any bearer token, which such routes ignore). */
interface Open {
  open: "public" | "dev-only" | "pharmacy-hmac";
  /** why it needs no token */
  why: string;
  req: (fx: Fx) => Req;
  status: number;
}

export type Entry = Guarded | Open;

export const isOpen = (entry: Entry): entry is Open => "open" in entry;

const ALL: readonly Role[] = ["doctor", "pharmacist", "admin"];
const get = (path: string) => () => ({ path });
const page = (path: string): Open => ({ open: "public", why: "a page shell: no user data (that comes through the API with the token)", req: () => ({ path }), status: 200 });
const json = { "content-type": "application/json" };
/** A reference nobody holds, new on every call (the lookup limits wrong checks per reference). */
const aReference = () => `YL${crypto.randomUUID().replace(/-/g, "").slice(0, 10).toUpperCase()}`;

export const MATRIX: Record<string, Entry> = {
  // ---- open routes ------------------------------------------------------------------
  "GET /health": { open: "public", why: "liveness probe", req: get("/health"), status: 200 },
  "GET /": { open: "public", why: "redirect to the pages", req: get("/"), status: 302 },
  "GET /api/v1/openapi.json": { open: "public", why: "the API description", req: get("/api/v1/openapi.json"), status: 200 },
  "GET /api/docs": { open: "public", why: "the API reference page", req: get("/api/docs"), status: 200 },
  "GET /api/v1/prescription-signing-keys": { open: "public", why: "public keys that verify printed prescriptions offline", req: get("/api/v1/prescription-signing-keys"), status: 200 },
  "GET /api/v1/order-status": {
    open: "public",
    why: "the patient's lookup by reference and phone digits (rate-limited; unknown and wrong answer the same 404)",
    req: () => ({ path: `/api/v1/order-status?reference=${aReference()}&check=0000` }),
    status: 404,
  },
  "POST /api/v1/order-status": {
    open: "public",
    why: "the same lookup with the reference in the body",
    req: () => ({ path: "/api/v1/order-status", body: { reference: aReference(), check: "0000" } }),
    status: 404,
  },
  "POST /api/v1/dev/token": {
    open: "dev-only",
    why: "the dev login: only with DEV_LOGIN=1 outside production (404 with an identity provider); issues a token for a registered member only",
    req: () => ({ path: "/api/v1/dev/token", body: { role: "admin", sub: "nobody-registered", org: "inst-county" } }),
    status: 422,
  },
  "GET /api/v1/dev/sms": { open: "dev-only", why: "the dev handset: the patients' texts, dev login only (404 with an identity provider)", req: (fx) => ({ path: `/api/v1/dev/sms?patientId=${fx.patientId}` }), status: 200 },
  "POST /api/v1/pharmacy-callbacks/:pharmacyId": {
    open: "pharmacy-hmac",
    why: "an external pharmacy's status report, authenticated by the HMAC of its shared secret, never by a bearer token",
    req: () => ({ path: "/api/v1/pharmacy-callbacks/pharm-renhe", body: { eventId: "evt-authz", orderId: "ord-unknown", status: "dispensing", at: "2026-12-06T00:00:00.000Z" } }),
    status: 401,
  },
  "GET /ui": { open: "public", why: "redirect", req: get("/ui"), status: 302 },
  "GET /ui/assets/:file": { open: "public", why: "the pages' scripts and styles", req: get("/ui/assets/app.js"), status: 200 },
  "GET /ui/login": page("/ui/login"),
  "GET /ui/formulary": page("/ui/formulary"),
  "GET /ui/formulary/import": page("/ui/formulary/import"),
  "GET /ui/formulary/:code": page("/ui/formulary/W185-01"),
  "GET /ui/follow-up": page("/ui/follow-up"),
  "GET /ui/patients/:id": page("/ui/patients/pat-001"),
  "GET /ui/prescribe": page("/ui/prescribe"),
  "GET /ui/prescriptions": page("/ui/prescriptions"),
  "GET /ui/prescriptions/:id/print": page("/ui/prescriptions/rx-unknown/print"),
  "GET /ui/verify": page("/ui/verify"),
  "GET /ui/desk": page("/ui/desk"),
  "GET /ui/desk/orders/:id": page("/ui/desk/orders/ord-unknown"),
  "GET /ui/desk/orders/:id/labels": page("/ui/desk/orders/ord-unknown/labels"),
  "GET /ui/desk/orders/:id/slip": page("/ui/desk/orders/ord-unknown/slip"),
  "GET /ui/status": page("/ui/status"),
  "GET /ui/reports": page("/ui/reports"),
  "GET /ui/reviews": page("/ui/reviews"),
  "GET /ui/reviews/feedback": page("/ui/reviews/feedback"),
  "GET /ui/admin": page("/ui/admin"),
  "GET /ui/admin/:view": page("/ui/admin/audit"),
  "GET /ui/dev/phone": { open: "dev-only", why: "the dev handset page (dev login only)", req: get("/ui/dev/phone"), status: 200 },

  // ---- formulary (consortium-wide; admins edit) ------------------------------------------
  "GET /api/v1/formulary/drugs": { roles: ALL, scope: "consortium", req: get("/api/v1/formulary/drugs"), ok: { as: "doctor", status: 200 } },
  "GET /api/v1/formulary/version": { roles: ALL, scope: "consortium", req: get("/api/v1/formulary/version"), ok: { as: "pharmacist", status: 200 } },
  "GET /api/v1/formulary/drugs/:code": { roles: ALL, scope: "consortium", req: (fx) => ({ path: `/api/v1/formulary/drugs/${fx.drugCode}` }), ok: { as: "doctor", status: 200 } },
  "GET /api/v1/formulary/drugs/:code/history": { roles: ALL, scope: "consortium", req: (fx) => ({ path: `/api/v1/formulary/drugs/${fx.drugCode}/history` }), ok: { as: "admin", status: 200 } },
  "POST /api/v1/formulary/drugs": { roles: ["admin"], scope: "consortium", req: () => ({ path: "/api/v1/formulary/drugs", body: {} }) },
  "PATCH /api/v1/formulary/drugs/:code": { roles: ["admin"], scope: "consortium", req: (fx) => ({ path: `/api/v1/formulary/drugs/${fx.vbpCode}`, headers: { "if-match": '"1"' }, body: { price: 0.8 } }), ok: { as: "admin", status: 200 } },
  "POST /api/v1/formulary/imports": { roles: ["admin"], scope: "consortium", req: () => ({ path: "/api/v1/formulary/imports?dryRun=true", body: [], headers: json }) },
  // chunked import jobs (issue 12): admins only, each job its own admin's (another admin's job is a 404)
  "POST /api/v1/formulary/import-jobs": {
    roles: ["admin"],
    scope: "own",
    req: () => ({ path: "/api/v1/formulary/import-jobs", body: { fileName: "matrix.json", format: "json", expectedRows: 1, expectedChunks: 1, chunkRows: 1 } }),
    ok: { as: "admin", status: 201 },
  },
  "GET /api/v1/formulary/import-jobs/:id": { roles: ["admin"], scope: "own", req: () => ({ path: `/api/v1/formulary/import-jobs/${crypto.randomUUID()}` }), ok: { as: "admin", status: 404 } },
  "PUT /api/v1/formulary/import-jobs/:id/chunks/:seq": { roles: ["admin"], scope: "own", req: () => ({ path: `/api/v1/formulary/import-jobs/${crypto.randomUUID()}/chunks/1`, body: [], headers: json }) },
  "GET /api/v1/formulary/import-jobs/:id/rows": { roles: ["admin"], scope: "own", req: () => ({ path: `/api/v1/formulary/import-jobs/${crypto.randomUUID()}/rows` }), ok: { as: "admin", status: 404 } },
  "POST /api/v1/formulary/import-jobs/:id/publish": { roles: ["admin"], scope: "own", req: () => ({ path: `/api/v1/formulary/import-jobs/${crypto.randomUUID()}/publish` }), ok: { as: "admin", status: 404 } },
  "POST /api/v1/formulary/import-jobs/:id/abort": { roles: ["admin"], scope: "own", req: () => ({ path: `/api/v1/formulary/import-jobs/${crypto.randomUUID()}/abort` }), ok: { as: "admin", status: 404 } },

  // ---- prescriptions (the writing institution's) -----------------------------------------
  "POST /api/v1/prescriptions/validate": { roles: ["doctor"], scope: "institution", registered: true, req: (fx) => ({ path: "/api/v1/prescriptions/validate", body: aNormalPrescription(fx.patientId) }), ok: { as: "doctor", status: 200 } },
  "POST /api/v1/prescriptions": {
    roles: ["doctor"],
    scope: "institution",
    registered: true,
    req: (fx) => ({ path: "/api/v1/prescriptions", headers: { "idempotency-key": crypto.randomUUID() }, body: aNormalPrescription(fx.patientId) }),
    ok: { as: "doctor", status: 201 },
  },
  "GET /api/v1/prescriptions": {
    roles: ["doctor", "admin"],
    scope: "institution",
    registered: true,
    req: get("/api/v1/prescriptions?scope=institution"),
    hides: { as: "doctor", ids: (fx) => [fx.rxId, fx.cancelRxId] },
    ok: { as: "doctor", status: 200 },
  },
  "GET /api/v1/patients/:id/renewal": { roles: ["doctor"], scope: "consortium", registered: true, req: (fx) => ({ path: `/api/v1/patients/${fx.patientId}/renewal` }) },
  "GET /api/v1/prescriptions/:id/draft": {
    roles: ["doctor"],
    scope: "institution",
    registered: true,
    req: (fx) => ({ path: `/api/v1/prescriptions/${fx.rxId}/draft` }),
    foreign: { as: "doctor", status: 404 },
    ok: { as: "doctor", status: 200 },
  },
  "GET /api/v1/prescriptions/:id": {
    roles: ["doctor", "admin", "pharmacist"],
    scope: "institution",
    registered: true,
    req: (fx) => ({ path: `/api/v1/prescriptions/${fx.rxId}` }),
    foreign: { as: "doctor", status: 404 },
    ok: { as: "doctor", status: 200 },
  },
  "POST /api/v1/prescriptions/:id/cancel": {
    roles: ["doctor"],
    scope: "institution",
    registered: true,
    req: (fx) => ({ path: `/api/v1/prescriptions/${fx.cancelRxId}/cancel`, body: { reason: "开错药品" } }),
    foreign: { as: "doctor", status: 404 },
    ok: { as: "doctor", status: 200 },
  },
  "GET /api/v1/prescriptions/:id/print": {
    roles: ["doctor", "admin", "pharmacist"],
    scope: "institution",
    registered: true,
    req: (fx) => ({ path: `/api/v1/prescriptions/${fx.rxId}/print` }),
    foreign: { as: "pharmacist", status: 404 },
    ok: { as: "pharmacist", status: 200 },
  },

  // ---- members (consortium-wide; admins register) ---------------------------------------------
  "POST /api/v1/institutions": { roles: ["admin"], scope: "consortium", req: () => ({ path: "/api/v1/institutions", body: {} }) },
  "GET /api/v1/institutions": { roles: ALL, scope: "consortium", req: get("/api/v1/institutions"), ok: { as: "doctor", status: 200 } },
  "GET /api/v1/institutions/:id": { roles: ALL, scope: "consortium", req: get("/api/v1/institutions/inst-shimen"), ok: { as: "pharmacist", status: 200 } },
  "POST /api/v1/practitioners": { roles: ["admin"], scope: "consortium", req: () => ({ path: "/api/v1/practitioners", body: {} }) },
  "GET /api/v1/practitioners": { roles: ALL, scope: "consortium", req: get("/api/v1/practitioners"), ok: { as: "doctor", status: 200 } },
  "GET /api/v1/practitioners/:id": { roles: ALL, scope: "consortium", req: (fx) => ({ path: `/api/v1/practitioners/${fx.practitionerId}` }), ok: { as: "doctor", status: 200 } },
  "PATCH /api/v1/practitioners/:id": { roles: ["admin"], scope: "consortium", req: (fx) => ({ path: `/api/v1/practitioners/${fx.practitionerId}`, body: { name: "冯浩" } }), ok: { as: "admin", status: 200 } },
  "GET /api/v1/specialty-relations": { roles: ALL, scope: "consortium", req: get("/api/v1/specialty-relations"), ok: { as: "doctor", status: 200 } },
  "GET /api/v1/specialty-relations/:icd10Prefix": { roles: ALL, scope: "consortium", req: get("/api/v1/specialty-relations/I10"), ok: { as: "doctor", status: 200 } },
  "PUT /api/v1/specialty-relations/:icd10Prefix": { roles: ["admin"], scope: "consortium", req: () => ({ path: "/api/v1/specialty-relations/Z99", body: { specialties: ["other"] } }), ok: { as: "admin", status: 200 } },
  "POST /api/v1/pharmacists": { roles: ["admin"], scope: "consortium", req: () => ({ path: "/api/v1/pharmacists", body: {} }) },
  "GET /api/v1/pharmacists": {
    roles: ["pharmacist", "admin"],
    scope: "pharmacy",
    registered: true,
    req: get("/api/v1/pharmacists"),
    hides: { as: "pharmacist", ids: (fx) => [fx.pharmacistId] },
    ok: { as: "pharmacist", status: 200 },
  },
  "GET /api/v1/pharmacists/:id": {
    roles: ["pharmacist", "admin"],
    scope: "pharmacy",
    registered: true,
    req: (fx) => ({ path: `/api/v1/pharmacists/${fx.pharmacistId}` }),
    foreign: { as: "pharmacist", status: 404 },
    ok: { as: "pharmacist", status: 200 },
  },
  "PATCH /api/v1/pharmacists/:id": { roles: ["admin"], scope: "consortium", req: (fx) => ({ path: `/api/v1/pharmacists/${fx.pharmacistId}`, body: { name: "马俊" } }), ok: { as: "admin", status: 200 } },

  // ---- the shared patient record (every member institution) -----------------------------------
  "POST /api/v1/patients": { roles: ["doctor", "admin"], scope: "consortium", registered: true, req: () => ({ path: "/api/v1/patients", body: { id: `pat-authz-${crypto.randomUUID().slice(0, 8)}`, name: "矩阵", gender: "male", birthDate: "1960-01-01" } }), ok: { as: "doctor", status: 201 } },
  "GET /api/v1/patients": { roles: ["doctor", "admin"], scope: "consortium", registered: true, req: get("/api/v1/patients?q=pat-001"), ok: { as: "doctor", status: 200 } },
  "GET /api/v1/patients/:id": { roles: ["doctor", "admin"], scope: "consortium", registered: true, req: (fx) => ({ path: `/api/v1/patients/${fx.patientId}` }), ok: { as: "doctor", status: 200 } },
  "PATCH /api/v1/patients/:id": { roles: ["doctor", "admin"], scope: "consortium", registered: true, req: (fx) => ({ path: `/api/v1/patients/${fx.patientId}`, body: { phone: "13900001111" } }), ok: { as: "doctor", status: 200 } },
  "POST /api/v1/patients/:id/conditions": {
    roles: ["doctor", "admin"],
    scope: "consortium",
    registered: true,
    // graded by the diagnosing institution's doctors only: another institution's doctor is refused (conditions.security.test.ts)
    req: (fx) => ({ path: `/api/v1/patients/${fx.patientId}/conditions`, body: { icd10: "E11", name: "2型糖尿病", chronic: true, stable: true, diagnosedAt: "2024-01-01", diagnosedBy: "doc-shimen-gp-intermediate" } }),
    foreign: { as: "doctor", status: 403 },
    ok: { as: "doctor", status: 201 },
  },
  "PATCH /api/v1/patients/:id/conditions/:conditionId": {
    roles: ["doctor", "admin"],
    scope: "consortium",
    registered: true,
    req: (fx) => ({ path: `/api/v1/patients/${fx.patientId}/conditions/${fx.conditionId}`, body: { stable: false } }),
    ok: { as: "doctor", status: 200 },
  },
  "POST /api/v1/patients/:id/allergies": { roles: ["doctor", "admin"], scope: "consortium", registered: true, req: (fx) => ({ path: `/api/v1/patients/${fx.patientId}/allergies`, body: { substance: "青霉素" } }), ok: { as: "doctor", status: 201 } },
  "POST /api/v1/patients/:id/events": { roles: ["doctor", "admin"], scope: "consortium", registered: true, req: (fx) => ({ path: `/api/v1/patients/${fx.patientId}/events`, body: { type: "admission", at: "2026-11-01" } }), ok: { as: "doctor", status: 201 } },
  "GET /api/v1/patients/:id/overview": { roles: ["doctor", "admin"], scope: "consortium", registered: true, req: (fx) => ({ path: `/api/v1/patients/${fx.patientId}/overview` }), ok: { as: "admin", status: 200 } },
  "GET /api/v1/follow-up/due": { roles: ["doctor"], scope: "own", registered: true, req: get("/api/v1/follow-up/due"), ok: { as: "doctor", status: 200 } },

  // ---- reference data (consortium-wide; admins edit) -------------------------------------------
  "GET /api/v1/interactions": { roles: ALL, scope: "consortium", req: get("/api/v1/interactions"), ok: { as: "pharmacist", status: 200 } },
  "GET /api/v1/interactions/:id": { roles: ALL, scope: "consortium", req: (fx) => ({ path: `/api/v1/interactions/${fx.interactionId}` }), ok: { as: "doctor", status: 200 } },
  "POST /api/v1/interactions": { roles: ["admin"], scope: "consortium", req: () => ({ path: "/api/v1/interactions", body: {} }) },
  "PATCH /api/v1/interactions/:id": { roles: ["admin"], scope: "consortium", req: (fx) => ({ path: `/api/v1/interactions/${fx.interactionId}`, body: {} }) },
  "DELETE /api/v1/interactions/:id": { roles: ["admin"], scope: "consortium", req: () => ({ path: "/api/v1/interactions/ix-unknown" }), ok: { as: "admin", status: 404 } },
  "GET /api/v1/settings": { roles: ALL, scope: "consortium", req: get("/api/v1/settings"), ok: { as: "pharmacist", status: 200 } },
  "GET /api/v1/settings/:key": { roles: ALL, scope: "consortium", req: get("/api/v1/settings/reviewSampleSize"), ok: { as: "doctor", status: 200 } },
  "PUT /api/v1/settings/:key": { roles: ["admin"], scope: "consortium", req: () => ({ path: "/api/v1/settings/reviewSampleSize", headers: { "if-match": "0" }, body: { value: 120 } }), ok: { as: "admin", status: 200 } },
  "GET /api/v1/settings/:key/history": { roles: ["admin"], scope: "consortium", req: get("/api/v1/settings/reviewSampleSize/history"), ok: { as: "admin", status: 200 } },
  "GET /api/v1/pharmacies": { roles: ALL, scope: "consortium", req: get("/api/v1/pharmacies"), ok: { as: "doctor", status: 200 } },
  "GET /api/v1/pharmacies/:id": { roles: ALL, scope: "consortium", req: get("/api/v1/pharmacies/pharm-cloud"), ok: { as: "pharmacist", status: 200 } },
  "POST /api/v1/pharmacies": { roles: ["admin"], scope: "consortium", req: () => ({ path: "/api/v1/pharmacies", body: {} }) },
  "PATCH /api/v1/pharmacies/:id": { roles: ["admin"], scope: "consortium", req: () => ({ path: "/api/v1/pharmacies/pharm-second", body: { name: "青溪县第二药房" } }), ok: { as: "admin", status: 200 } },
  "POST /api/v1/pharmacies/:id/sites": { roles: ["admin"], scope: "consortium", req: () => ({ path: "/api/v1/pharmacies/pharm-second/sites", body: {} }) },

  // ---- reports and audit (admins) ---------------------------------------------------------------
  "GET /api/v1/reports/qualification-rate": { roles: ["admin"], scope: "consortium", req: get("/api/v1/reports/qualification-rate"), ok: { as: "admin", status: 200 } },
  "GET /api/v1/reports/long-prescriptions": { roles: ["admin"], scope: "consortium", req: get("/api/v1/reports/long-prescriptions"), ok: { as: "admin", status: 200 } },
  "GET /api/v1/reports/orders-by-state": { roles: ["admin"], scope: "consortium", req: get("/api/v1/reports/orders-by-state"), ok: { as: "admin", status: 200 } },
  "GET /api/v1/reports/turnaround": { roles: ["admin"], scope: "consortium", req: get("/api/v1/reports/turnaround"), ok: { as: "admin", status: 200 } },
  "GET /api/v1/reports/prescribing-indicators": { roles: ["admin"], scope: "consortium", req: get("/api/v1/reports/prescribing-indicators"), ok: { as: "admin", status: 200 } },
  "GET /api/v1/audit-events": { roles: ["admin"], scope: "consortium", req: get("/api/v1/audit-events"), ok: { as: "admin", status: 200 } },

  // ---- 处方点评 (admins review samples; doctors read the standard items and their own feedback) ----
  "GET /api/v1/reviews/items": { roles: ["admin", "doctor"], scope: "consortium", req: get("/api/v1/reviews/items"), ok: { as: "doctor", status: 200 } },
  "POST /api/v1/reviews/samples": { roles: ["admin"], scope: "consortium", req: () => ({ path: "/api/v1/reviews/samples", body: { month: "2026-10" } }) },
  "GET /api/v1/reviews/samples": { roles: ["admin"], scope: "consortium", req: get("/api/v1/reviews/samples"), ok: { as: "admin", status: 200 } },
  "GET /api/v1/reviews/samples/:id": { roles: ["admin"], scope: "consortium", req: get("/api/v1/reviews/samples/rs-unknown"), ok: { as: "admin", status: 404 } },
  "PUT /api/v1/reviews/samples/:id/items/:prescriptionId": {
    roles: ["admin"],
    scope: "consortium",
    req: (fx) => ({ path: `/api/v1/reviews/samples/rs-unknown/items/${fx.rxId}`, headers: { "if-match": '"1"' }, body: { problems: [] } }),
  },
  "POST /api/v1/reviews/samples/:id/close": { roles: ["admin"], scope: "consortium", req: () => ({ path: "/api/v1/reviews/samples/rs-unknown/close", body: {} }), ok: { as: "admin", status: 404 } },
  "GET /api/v1/reviews/feedback": {
    roles: ["admin", "doctor"],
    scope: "own",
    registered: true,
    req: () => ({ path: "/api/v1/reviews/feedback?prescriberId=doc-shimen-gp-intermediate" }),
    foreign: { as: "doctor", status: 403 },
    ok: { as: "doctor", status: 200 },
  },

  // ---- the pharmacy desk (the order's pharmacy; admins read) ----------------------------------
  "GET /api/v1/notifications": {
    roles: ["admin", "pharmacist"],
    scope: "pharmacy",
    registered: true,
    req: (fx) => ({ path: `/api/v1/notifications?orderId=${fx.orders.handover}` }),
    foreign: { as: "pharmacist", status: 404 },
    ok: { as: "pharmacist", status: 200 },
  },
  "GET /api/v1/orders/return-reasons": { roles: ALL, scope: "consortium", req: get("/api/v1/orders/return-reasons"), ok: { as: "pharmacist", status: 200 } },
  "GET /api/v1/orders/review-reasons": { roles: ALL, scope: "consortium", req: get("/api/v1/orders/review-reasons"), ok: { as: "doctor", status: 200 } },
  "GET /api/v1/orders/counts": { roles: ["pharmacist", "admin"], scope: "pharmacy", registered: true, req: get("/api/v1/orders/counts"), ok: { as: "pharmacist", status: 200 } },
  "GET /api/v1/orders": {
    roles: ["pharmacist", "admin"],
    scope: "pharmacy",
    registered: true,
    req: get("/api/v1/orders"),
    hides: { as: "pharmacist", ids: (fx) => Object.values(fx.orders) },
    ok: { as: "pharmacist", status: 200 },
  },
  "GET /api/v1/orders/:id": { roles: ["pharmacist", "admin"], scope: "pharmacy", registered: true, req: (fx) => ({ path: `/api/v1/orders/${fx.orders.view}` }), foreign: { as: "pharmacist", status: 404 }, ok: { as: "pharmacist", status: 200 } },
  ...desk("review", (fx) => ({ path: `/api/v1/orders/${fx.orders.review}/review`, body: { decision: "approve" } })),
  ...desk("dispense", (fx) => ({ path: `/api/v1/orders/${fx.orders.dispense}/dispense`, body: fx.dispenseBody })),
  ...desk("ready", (fx) => ({ path: `/api/v1/orders/${fx.orders.ready}/ready`, body: {} })),
  ...desk("reissue-pickup-code", (fx) => ({ path: `/api/v1/orders/${fx.orders.reissue}/reissue-pickup-code`, body: { reason: "患者未收到短信" } })),
  ...desk("handover", (fx) => ({ path: `/api/v1/orders/${fx.orders.handover}/handover`, body: { pickupCode: fx.pickupCode } })),
  ...desk("ship", (fx) => ({ path: `/api/v1/orders/${fx.orders.ship}/ship`, body: { carrier: "顺丰速运", trackingNo: "SF000222" } })),
  ...desk("deliver", (fx) => ({ path: `/api/v1/orders/${fx.orders.deliver}/deliver`, body: {} })),
  ...desk("cancel", (fx) => ({ path: `/api/v1/orders/${fx.orders.cancel}/cancel`, body: { reason: "患者要求取消" } })),
  ...desk("return", (fx) => ({ path: `/api/v1/orders/${fx.orders.return}/return`, body: { reasonCode: "out_of_stock_long" } })),
  ...desk("change-site", (fx) => ({ path: `/api/v1/orders/${fx.orders.changeSite}/change-site`, body: { pickupSiteId: "site-cloud-chengguan", consent: { method: "phone" } } })),
  ...desk("change-requests", (fx) => ({ path: `/api/v1/orders/${fx.orders.propose}/change-requests`, body: { reason: "集采中选产品替换", changes: [{ index: 0, drugCode: fx.vbpCode }] } }), 201),
  "GET /api/v1/orders/:id/change-requests": {
    roles: ["pharmacist", "admin"],
    scope: "pharmacy",
    registered: true,
    req: (fx) => ({ path: `/api/v1/orders/${fx.orders.view}/change-requests` }),
    foreign: { as: "pharmacist", status: 404 },
    ok: { as: "pharmacist", status: 200 },
  },

  // ---- change requests (the proposing pharmacy and the prescribing institution) ----------------
  "GET /api/v1/change-requests": {
    roles: ["doctor", "admin"],
    scope: "institution",
    registered: true,
    req: get("/api/v1/change-requests"),
    hides: { as: "doctor", ids: (fx) => Object.values(fx.crs) },
    ok: { as: "doctor", status: 200 },
  },
  "GET /api/v1/change-requests/:id": {
    roles: ["doctor", "admin", "pharmacist"],
    scope: "institution",
    registered: true,
    req: (fx) => ({ path: `/api/v1/change-requests/${fx.crs.view}` }),
    foreign: { as: "doctor", status: 404 },
    ok: { as: "doctor", status: 200 },
  },
  "POST /api/v1/change-requests/:id/withdraw": {
    roles: ["pharmacist"],
    scope: "pharmacy",
    registered: true,
    req: (fx) => ({ path: `/api/v1/change-requests/${fx.crs.withdraw}/withdraw`, body: {} }),
    foreign: { as: "pharmacist", status: 404 },
    ok: { as: "pharmacist", status: 200 },
  },
  "POST /api/v1/change-requests/:id/accept": {
    roles: ["doctor"],
    scope: "institution",
    registered: true,
    req: (fx) => ({ path: `/api/v1/change-requests/${fx.crs.accept}/accept`, headers: { "idempotency-key": crypto.randomUUID() }, body: {} }),
    foreign: { as: "doctor", status: 404 },
    ok: { as: "doctor", status: 201 },
  },
  "POST /api/v1/change-requests/:id/decline": {
    roles: ["doctor"],
    scope: "institution",
    registered: true,
    req: (fx) => ({ path: `/api/v1/change-requests/${fx.crs.decline}/decline`, body: { note: "患者长期服用原品种，不同意更换" } }),
    foreign: { as: "doctor", status: 404 },
    ok: { as: "doctor", status: 200 },
  },
  "GET /api/v1/inbox": { roles: ["doctor"], scope: "own", registered: true, req: get("/api/v1/inbox"), hides: { as: "doctor", ids: (fx) => [fx.noticeId] }, ok: { as: "doctor", status: 200 } },
  "POST /api/v1/inbox/:id/done": {
    roles: ["doctor"],
    scope: "own",
    registered: true,
    req: (fx) => ({ path: `/api/v1/inbox/${fx.noticeId}/done`, body: {} }),
    foreign: { as: "doctor", status: 404 },
    ok: { as: "doctor", status: 200 },
  },
};

/** A desk action: licensed pharmacists of the order's (desk) pharmacy; another pharmacy's is told the order does not exist. */
function desk(action: string, req: (fx: Fx) => Req, status = 200): Record<string, Guarded> {
  return {
    [`POST /api/v1/orders/:id/${action}`]: { roles: ["pharmacist"], scope: "pharmacy", registered: true, req, foreign: { as: "pharmacist", status: 404 }, ok: { as: "pharmacist", status } },
  };
}
