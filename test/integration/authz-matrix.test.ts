import { env } from "cloudflare:workers";
import { exportJWK, generateKeyPair, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createApp } from "../../worker/app";
import type { Principal, Role } from "../../worker/http/auth";
import { signDevToken } from "../../worker/http/dev-token";
import { loadDemoSeed } from "../support/seed";
import { type Fx, fixtures } from "./authz/fixtures";
import { type Entry, isOpen, MATRIX, type Req } from "./authz/matrix";

/*
 * Issue 11: the authorization matrix (test/integration/authz/matrix.ts) run against the
 * real worker. The routes come from the app itself: a route without an entry, or an entry
 * without a route, fails the first test. Tokens are forged against the path the tests use
 * (HS256 dev tokens, DEV_LOGIN=1; they carry no issuer or audience, so those forgeries are
 * tried on the other path) and, in the last block, against the identity provider's path
 * (RS256 via a JWKS served by a stub of fetch) with the app run under production-like bindings.
 * Requests go to the worker's handler in this isolate: through exports.default.fetch every
 * request of the file took longer than the one before (6 minutes for the file, 30 s this way).
 */

const SECRET = env.AUTH_DEV_SECRET ?? "";
const HOME: Record<Role, Principal> = {
  doctor: { sub: "doc-shimen-gp-intermediate", role: "doctor", org: "inst-shimen", name: "" },
  pharmacist: { sub: "ph-cloud-1", role: "pharmacist", org: "pharm-cloud", name: "" },
  admin: { sub: "admin-county", role: "admin", org: "inst-county", name: "" },
};
const FOREIGN: Record<"doctor" | "pharmacist", Principal> = {
  doctor: { sub: "doc-county-cardio-senior", role: "doctor", org: "inst-county", name: "" },
  pharmacist: { sub: "ph-second-1", role: "pharmacist", org: "pharm-second", name: "" },
};
const UNREGISTERED: Record<"doctor" | "pharmacist", Principal> = {
  doctor: { ...FOREIGN.doctor, org: HOME.doctor.org },
  pharmacist: { ...FOREIGN.pharmacist, org: HOME.pharmacist.org },
};
const ROLES: readonly Role[] = ["doctor", "pharmacist", "admin"];

const b64 = (value: unknown) => btoa(JSON.stringify(value)).replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_");
const now = () => Math.floor(Date.now() / 1000);
const claimsOf = (p: Principal) => ({ role: p.role, org: p.org, name: p.name });

/** Tokens that must never authenticate on the dev path, each named for the failure message. */
async function forgedDevTokens(): Promise<[string, string | null][]> {
  const admin = HOME.admin;
  const key = new TextEncoder().encode(SECRET);
  return [
    ["no token", null],
    ["not a JWT", "not.a.token"],
    ["expired", await new SignJWT(claimsOf(admin)).setProtectedHeader({ alg: "HS256" }).setSubject(admin.sub).setIssuedAt(now() - 7200).setExpirationTime(now() - 3600).sign(key)],
    ["another key", await signDevToken("an-attacker-secret-0123456789abcdef", admin)],
    ["alg none", `${b64({ alg: "none", typ: "JWT" })}.${b64({ ...claimsOf(admin), sub: admin.sub, iat: now(), exp: now() + 3600 })}.`],
    ["unknown role", await new SignJWT({ ...claimsOf(admin), role: "superuser" }).setProtectedHeader({ alg: "HS256" }).setSubject(admin.sub).setIssuedAt().setExpirationTime("1h").sign(key)],
  ];
}

interface Answer {
  status: number;
  type: string;
  body: { code?: string };
}

/** The worker's own handler (worker/index.ts exports createApp().fetch), called in this isolate. */
const worker = createApp();
const viaWorker = { fetch: (r: Request) => Promise.resolve(worker.fetch(r, env)) };

async function send(method: string, req: Req, token: string | null, app = viaWorker): Promise<Answer> {
  const headers = new Headers(req.headers);
  if (token) headers.set("authorization", `Bearer ${token}`);
  if (req.body !== undefined && !headers.has("content-type")) headers.set("content-type", "application/json");
  const request = new Request(`http://yaolian.test${req.path}`, { method, headers, body: req.body === undefined ? undefined : JSON.stringify(req.body), redirect: "manual" });
  const res = await app.fetch(request);
  const text = await res.text();
  const type = res.headers.get("content-type") ?? "";
  return { status: res.status, type, body: type.includes("json") && text.startsWith("{") ? JSON.parse(text) : {} };
}

const token = (p: Principal) => signDevToken(SECRET, p);

/**
 * What a refused call must leave as it was: every table's row count (the rate-limit counters
 * aside: a refused caller may use up their own allowance), the audit trail's last id (every
 * write leaves an audit row in its batch), the orders' versions, and the fixtures' objects.
 */
async function digest(fx: Fx): Promise<string> {
  const tables = await env.DB.prepare(
    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%' AND name NOT IN ('rate_limits', 'd1_migrations') ORDER BY name",
  ).all<{ name: string }>();
  const orderIds = Object.values(fx.orders);
  const crIds = Object.values(fx.crs);
  const marks = (n: number) => Array.from({ length: n }, () => "?").join(", ");
  const rows = await env.DB.batch([
    ...tables.results.map((t) => env.DB.prepare(`SELECT count(*) AS n FROM "${t.name}"`)),
    env.DB.prepare("SELECT max(id) AS last FROM audit_events"),
    env.DB.prepare("SELECT total(version) AS v FROM orders"),
    env.DB.prepare(`SELECT * FROM orders WHERE id IN (${marks(orderIds.length)}) ORDER BY id`).bind(...orderIds),
    env.DB.prepare(`SELECT * FROM change_requests WHERE id IN (${marks(crIds.length)}) ORDER BY id`).bind(...crIds),
    env.DB.prepare("SELECT * FROM prescriptions WHERE id IN (?, ?) ORDER BY id").bind(fx.rxId, fx.cancelRxId),
    env.DB.prepare("SELECT * FROM patients WHERE id = ?").bind(fx.patientId),
    env.DB.prepare("SELECT * FROM patient_conditions WHERE patient_id = ? ORDER BY id").bind(fx.patientId),
    env.DB.prepare("SELECT * FROM consortium_settings ORDER BY key"),
  ]);
  return JSON.stringify(rows.map((r) => r.results));
}

function split(key: string): [string, string] {
  const [method = "", path = ""] = key.split(" ");
  return [method, path];
}

function expectProblem(answer: Answer, status: number, what: string) {
  expect(answer.status, what).toBe(status);
  expect(answer.type, what).toContain("application/problem+json");
}

describe("authorization matrix", { timeout: 30_000 }, () => {
  let fx: Fx;
  let forged: [string, string | null][] = [];
  beforeAll(async () => {
    await loadDemoSeed();
    fx = await fixtures();
    forged = await forgedDevTokens();
  }, 120_000);

  it("has exactly one entry per route of the app", () => {
    const routes = new Set<string>();
    for (const r of createApp().routes) if (r.method !== "ALL") routes.add(`${r.method} ${r.path}`);
    const entries = new Set(Object.keys(MATRIX));
    expect([...routes].filter((r) => !entries.has(r)), "routes without a matrix entry").toEqual([]);
    expect([...entries].filter((e) => !routes.has(e)), "matrix entries without a route").toEqual([]);
  });

  it("answers the open routes without a token as the table says, and ignores any bearer token there", async () => {
    const adminToken = await token(HOME.admin);
    for (const [key, entry] of Object.entries(MATRIX)) {
      if (!isOpen(entry)) continue;
      const [method, path] = split(key);
      for (const [name, t] of [...forged, ["a valid admin token", adminToken] as [string, string]]) {
        const before = await digest(fx);
        const answer = await send(method, entry.req(fx), t);
        expect(answer.status, `${key} with ${name} (${path})`).toBe(entry.status);
        if (entry.open === "pharmacy-hmac") expect(await digest(fx), `${key} with ${name}: nothing changed`).toBe(before);
      }
    }
  });

  for (const [key, entry] of Object.entries(MATRIX)) {
    if (isOpen(entry)) continue;
    const [method] = split(key);
    it(`${key}: ${entry.roles.join("/")} (${entry.scope}${entry.registered ? ", registration checked" : ""})`, async () => {
      const before = await digest(fx);
      for (const [name, t] of forged) expectProblem(await send(method, entry.req(fx), t), 401, `${key} with ${name}`);
      for (const role of ROLES.filter((r) => !entry.roles.includes(r))) {
        const answer = await send(method, entry.req(fx), await token(HOME[role]));
        expectProblem(answer, 403, `${key} as a ${role}`);
        expect(answer.body.code).toBe("forbidden");
      }
      for (const role of ["doctor", "pharmacist"] as const) {
        if (!entry.roles.includes(role) || !entry.registered) continue;
        expectProblem(await send(method, entry.req(fx), await token(UNREGISTERED[role])), 403, `${key} as a ${role} not registered at the token's org`);
      }
      if (entry.foreign) {
        const answer = await send(method, entry.req(fx), await token(FOREIGN[entry.foreign.as]));
        expectProblem(answer, entry.foreign.status, `${key} as another organisation's ${entry.foreign.as}`);
      }
      expect(await digest(fx), `${key}: the refused calls changed nothing`).toBe(before);
      for (const role of ["doctor", "pharmacist"] as const) {
        if (!entry.roles.includes(role) || entry.registered) continue;
        // not checked: reference data every authenticated member reads alike
        const answer = await send(method, entry.req(fx), await token(UNREGISTERED[role]));
        expect(answer.status, `${key} as an unregistered ${role}`).toBeLessThan(500);
        expect([401, 403]).not.toContain(answer.status);
      }
      if (entry.hides) {
        const answer = await send(method, entry.req(fx), await token(FOREIGN[entry.hides.as]));
        expect(answer.status, `${key} as another organisation's ${entry.hides.as}`).toBe(200);
        const shown = JSON.stringify(answer.body);
        for (const id of entry.hides.ids(fx)) expect(shown, `${key} shows ${id} to another organisation's ${entry.hides.as}`).not.toContain(id);
      }
      if (entry.ok) {
        const answer = await send(method, entry.req(fx), await token(HOME[entry.ok.as]));
        expect(answer.status, `${key} as the home ${entry.ok.as}: ${JSON.stringify(answer.body)}`).toBe(entry.ok.status);
        if (entry.hides?.as === entry.ok.as) for (const id of entry.hides.ids(fx)) expect(JSON.stringify(answer.body), `${key}: the home ${entry.ok.as} sees ${id}`).toContain(id);
      }
    });
  }
});

describe("the identity provider's path (RS256 via its JWKS)", () => {
  const JWKS_URL = "https://idp.authz-matrix.test/jwks.json";
  const ISSUER = "https://idp.authz-matrix.test/";
  const AUDIENCE = "yaolian-authz";
  const idpEnv = { ...env, DEV_LOGIN: undefined, AUTH_JWKS_URL: JWKS_URL, AUTH_ISSUER: ISSUER, AUTH_AUDIENCE: AUDIENCE };
  const app = createApp();
  const viaIdp = { fetch: (r: Request) => Promise.resolve(app.fetch(r, idpEnv)) };
  let forged: [string, string][] = [];
  let sign: (claims: { iss?: string; aud?: string; iat?: number; exp?: number }, key?: CryptoKey, kid?: string) => Promise<string>;

  beforeAll(async () => {
    await loadDemoSeed();
    const idp = await generateKeyPair("RS256", { extractable: true });
    const attacker = await generateKeyPair("RS256");
    const jwk = { ...(await exportJWK(idp.publicKey)), kid: "idp-1", alg: "RS256", use: "sig" };
    const realFetch = globalThis.fetch;
    // the JWKS is served here; any other outbound request goes on as before
    vi.stubGlobal("fetch", (input: RequestInfo | URL, init?: RequestInit) =>
      String(input instanceof Request ? input.url : input) === JWKS_URL ? Promise.resolve(Response.json({ keys: [jwk] })) : realFetch(input, init),
    );
    sign = (claims, key = idp.privateKey, kid = "idp-1") =>
      new SignJWT({ ...claimsOf(HOME.admin) })
        .setProtectedHeader({ alg: "RS256", kid })
        .setSubject(HOME.admin.sub)
        .setIssuer(claims.iss ?? ISSUER)
        .setAudience(claims.aud ?? AUDIENCE)
        .setIssuedAt(claims.iat ?? now())
        .setExpirationTime(claims.exp ?? now() + 3600)
        .sign(key);
    const attackerSign = (kid: string) => sign({}, attacker.privateKey, kid);
    forged = [
      ["another key, the provider's kid", await attackerSign("idp-1")],
      ["another key, an unknown kid", await attackerSign("attacker-1")],
      ["alg none", `${b64({ alg: "none", typ: "JWT" })}.${b64({ ...claimsOf(HOME.admin), sub: HOME.admin.sub, iss: ISSUER, aud: AUDIENCE, iat: now(), exp: now() + 3600 })}.`],
      ["another audience", await sign({ aud: "another-app" })],
      ["another issuer", await sign({ iss: "https://evil.example/" })],
      ["expired", await sign({ iat: now() - 7200, exp: now() - 3600 })],
      ["HS256 with the dev secret", await token(HOME.admin)],
    ];
  });
  afterAll(() => {
    vi.unstubAllGlobals();
  });

  it("accepts the provider's own token (so the refusals below are about the forgery)", async () => {
    const answer = await send("GET", { path: "/api/v1/formulary/version" }, await sign({}), viaIdp);
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  });

  it("refuses every forged token on every guarded route (401 problem+json), and the dev-only routes do not exist there", async () => {
    const fake: Fx = {
      patientId: "pat-001",
      conditionId: "c",
      rxId: "rx",
      cancelRxId: "rx",
      orders: { view: "o", review: "o", dispense: "o", ready: "o", reissue: "o", handover: "o", ship: "o", deliver: "o", cancel: "o", return: "o", changeSite: "o", propose: "o" },
      dispenseBody: {},
      pickupCode: "000000",
      vbpCode: "W185-01",
      crs: { view: "c", withdraw: "c", accept: "c", decline: "c" },
      noticeId: "n",
      interactionId: "i",
      drugCode: "W185-01",
      pharmacistId: "ph-cloud-2",
      practitionerId: "doc-shimen-gp-junior",
    };
    const checks: Promise<void>[] = [];
    for (const [key, entry] of Object.entries(MATRIX) as [string, Entry][]) {
      const [method] = split(key);
      if (isOpen(entry)) {
        if (entry.open === "dev-only") checks.push(send(method, entry.req(fake), null, viaIdp).then((a) => expect(a.status, `${key} with an identity provider`).toBe(404)));
        continue;
      }
      for (const [name, t] of forged) checks.push(send(method, entry.req(fake), t, viaIdp).then((a) => expectProblem(a, 401, `${key} with ${name}`)));
    }
    await Promise.all(checks);
  });
});
