import { env } from "cloudflare:workers";
import { SignJWT } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../worker/app";
import type { Bindings } from "../../worker/env";
import { PUBLISHED_DEV_SECRET, TOKEN_MAX_AGE_SECONDS } from "../../worker/http/dev-auth";
import { signDevToken } from "../../worker/http/dev-token";
import devVarsExample from "../../.dev.vars.example?raw";
import { loadDemoSeed } from "../support/seed";

/*
 * Issue 11, found by the review: tokens without exp or of unbounded age, an identity
 * provider configured without issuer or audience, the dev login shipped by a plain deploy,
 * and a misconfigured deployment answering with its configuration.
 */

const SECRET = env.AUTH_DEV_SECRET ?? "";
const CLAIMS = { role: "admin", org: "inst-county", name: "admin" };
const now = () => Math.floor(Date.now() / 1000);

/** An HS256 token with exactly the time claims given (none added). */
function rawToken(times: { iat?: number; exp?: number }, secret = SECRET): Promise<string> {
  return new SignJWT({ ...CLAIMS, ...times }).setProtectedHeader({ alg: "HS256", typ: "JWT" }).setSubject("admin-county").sign(new TextEncoder().encode(secret));
}

type Overrides = Partial<Record<keyof Bindings, string | undefined>>;

/** One request through a fresh app, with the test bindings changed by `overrides`. */
async function call(path: string, overrides: Overrides = {}, init: RequestInit = {}, origin = "http://yaolian.test") {
  const res = await createApp().request(`${origin}${path}`, init, { ...env, ...overrides });
  const text = await res.text();
  return { status: res.status, type: res.headers.get("content-type") ?? "", text, json: (text.startsWith("{") ? JSON.parse(text) : {}) as { code?: string; detail?: string } };
}

const bearer = (token: string): RequestInit => ({ headers: { authorization: `Bearer ${token}` } });
const devToken = (secret = SECRET) => signDevToken(secret, { sub: "admin-county", ...CLAIMS, role: "admin" });
const postLogin: RequestInit = { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ role: "admin", sub: "admin-county", org: "inst-county" }) };

describe("tokens need exp and a bounded age", () => {
  it("refuses a token without exp (401)", async () => {
    const res = await call("/api/v1/formulary/version", {}, bearer(await rawToken({ iat: now() })));
    expect(res.status).toBe(401);
    expect(res.json.code).toBe("unauthorized");
  });

  it(`refuses a token issued more than ${TOKEN_MAX_AGE_SECONDS / 3600} h ago even when exp lies ahead, and one issued in the future`, async () => {
    const old = await rawToken({ iat: now() - TOKEN_MAX_AGE_SECONDS - 120, exp: now() + 3600 });
    const future = await rawToken({ iat: now() + 600, exp: now() + 3600 });
    const noIat = await rawToken({ exp: now() + 3600 });
    for (const token of [old, future, noIat]) {
      expect((await call("/api/v1/formulary/version", {}, bearer(token))).status).toBe(401);
    }
  });

  it("accepts a token within the bounds, a few seconds of clock skew included", async () => {
    const fresh = await rawToken({ iat: now() + 20, exp: now() + 3600 });
    const oldButValid = await rawToken({ iat: now() - TOKEN_MAX_AGE_SECONDS + 300, exp: now() + 60 });
    for (const token of [fresh, oldButValid, await devToken()]) {
      expect((await call("/api/v1/formulary/version", {}, bearer(token))).status).toBe(200);
    }
  });
});

describe("an identity provider is configured completely or not at all", () => {
  const idp = { AUTH_JWKS_URL: "https://idp.internal.example/jwks.json", AUTH_ISSUER: "https://idp.internal.example/", AUTH_AUDIENCE: "yaolian-secret-audience" };

  it("answers a 500-class misconfigured problem, naming no setting or value, without issuer, audience or an https JWKS", async () => {
    for (const overrides of [
      { ENVIRONMENT: "production", ...idp, AUTH_ISSUER: undefined },
      { ENVIRONMENT: "production", ...idp, AUTH_AUDIENCE: undefined },
      { ENVIRONMENT: "production", ...idp, AUTH_JWKS_URL: "http://idp.internal.example/jwks.json" },
      { ENVIRONMENT: "production", ...idp, AUTH_JWKS_URL: "not a url" },
      { ENVIRONMENT: "production", AUTH_JWKS_URL: undefined },
      { ...idp, AUTH_ISSUER: undefined },
    ]) {
      const res = await call("/api/v1/formulary/version", overrides, bearer(await devToken()));
      expect(res.status, JSON.stringify(overrides)).toBe(500);
      expect(res.type).toContain("application/problem+json");
      expect(res.json.code).toBe("misconfigured");
      for (const secret of ["idp.internal.example", "yaolian-secret-audience", "AUTH_", "JWKS", SECRET]) expect(res.text).not.toContain(secret);
    }
  });

  it("asks a misconfigured deployment for a token first (401 without one), so nothing is told to anonymous callers but that", async () => {
    const res = await call("/api/v1/formulary/version", { ENVIRONMENT: "production", AUTH_JWKS_URL: undefined });
    expect(res.status).toBe(401);
  });

  it("never echoes the signing key's configuration either", async () => {
    for (const overrides of [{ RX_SIGNING_KEY: undefined }, { RX_SIGNING_KEY: "{not json" }, { RX_VERIFY_KEYS: "[oops" }]) {
      const res = await call("/api/v1/prescription-signing-keys", overrides);
      expect(res.status, JSON.stringify(overrides)).toBe(500);
      expect(res.json.code).toBe("misconfigured");
      for (const leak of ["RX_", "JWK", "not json", "oops"]) expect(res.text).not.toContain(leak);
    }
  });
});

describe("the dev login is an explicit local opt-in", () => {
  beforeAll(loadDemoSeed);

  it("is off unless DEV_LOGIN is exactly 1: no dev token accepted, no dev login route (404)", async () => {
    for (const DEV_LOGIN of [undefined, "", "0", "true", "yes"]) {
      const api = await call("/api/v1/formulary/version", { DEV_LOGIN }, bearer(await devToken()));
      expect(api.status, `DEV_LOGIN=${DEV_LOGIN}`).toBe(500);
      expect(api.json.code).toBe("misconfigured");
      expect((await call("/api/v1/dev/token", { DEV_LOGIN }, postLogin)).status).toBe(404);
      expect((await call("/api/v1/dev/sms?patientId=pat-009", { DEV_LOGIN })).status).toBe(404);
      const login = await call("/ui/login", { DEV_LOGIN });
      expect(login.text).not.toContain("data-sub=");
    }
  });

  it("refuses the secret published in .dev.vars.example unless the request is to this machine (loopback)", async () => {
    expect(devVarsExample).toContain(`AUTH_DEV_SECRET=${PUBLISHED_DEV_SECRET}\n`);
    const published = { AUTH_DEV_SECRET: PUBLISHED_DEV_SECRET };
    const token = await devToken(PUBLISHED_DEV_SECRET);
    const remote = await call("/api/v1/formulary/version", published, bearer(token), "https://yaolian.example.org");
    expect(remote.status).toBe(500);
    expect(remote.json.code).toBe("misconfigured");
    expect(remote.text).not.toContain(PUBLISHED_DEV_SECRET);
    expect((await call("/api/v1/dev/token", published, postLogin, "https://yaolian.example.org")).status).toBe(404);
    for (const origin of ["http://localhost:8787", "http://127.0.0.1:8787", "http://[::1]:8787"]) {
      expect((await call("/api/v1/formulary/version", published, bearer(token), origin)).status, origin).toBe(200);
      expect((await call("/api/v1/dev/token", published, postLogin, origin)).status, origin).toBe(200);
    }
  });

  it("is on with DEV_LOGIN=1 and a private secret, from anywhere (the test stack)", async () => {
    expect(env.DEV_LOGIN).toBe("1");
    expect((await call("/api/v1/dev/token", {}, postLogin, "https://yaolian.example.org")).status).toBe(200);
    expect((await call("/api/v1/formulary/version", {}, bearer(await devToken()), "https://yaolian.example.org")).status).toBe(200);
  });
});
