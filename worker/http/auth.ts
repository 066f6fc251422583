import { z } from "@hono/zod-openapi";
import { createMiddleware } from "hono/factory";
import { createRemoteJWKSet, type JWTPayload, type JWTVerifyGetKey, jwtVerify } from "jose";
import { enterByToken, type TenancyVariables } from "../db/tenancy";
import type { Bindings } from "../env";
import { ApiError } from "../errors/problem";
import { devAuthEnabled, identityProvider, TOKEN_CLOCK_SKEW_SECONDS, TOKEN_MAX_AGE_SECONDS } from "./dev-auth";

export const Role = z.enum(["doctor", "pharmacist", "admin"]);
export type Role = z.infer<typeof Role>;

const Claims = z.object({
  sub: z.string().min(1).max(64),
  role: Role,
  /** institution id of a doctor or admin, pharmacy id of a pharmacist */
  org: z.string().min(1).max(64),
  name: z.string().max(100).default(""),
});
export type Principal = z.infer<typeof Claims>;

/** What authentication adds to a request's context; the app's context (context.ts) composes it, as Hono's own middleware export their Variables. */
export interface AuthEnv {
  Bindings: Bindings;
  Variables: { principal: Principal } & TenancyVariables;
}

const jwksByUrl = new Map<string, JWTVerifyGetKey>();
const devKeys = new Map<string, Promise<CryptoKey>>();

/** Importing the HMAC key costs more than verifying a token: once per isolate and secret. */
function devKey(secret: string): Promise<CryptoKey> {
  let key = devKeys.get(secret);
  if (!key) {
    key = crypto.subtle.importKey("raw", new TextEncoder().encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["verify"]);
    devKeys.set(secret, key);
  }
  return key;
}

function jwks(url: URL): JWTVerifyGetKey {
  let set = jwksByUrl.get(url.href);
  if (!set) {
    set = createRemoteJWKSet(url);
    jwksByUrl.set(url.href, set);
  }
  return set;
}

/** Every token, whoever issued it: `exp` present, `iat` present, not ahead and at most TOKEN_MAX_AGE_SECONDS old. */
const TIME_BOUNDS = { requiredClaims: ["exp"], maxTokenAge: TOKEN_MAX_AGE_SECONDS, clockTolerance: TOKEN_CLOCK_SKEW_SECONDS };

/**
 * The identity provider's RS256/ES256 tokens, checked against its JWKS, issuer and
 * audience; HS256 tokens signed with the dev secret only where devAuthEnabled (dev-auth.ts).
 * A deployment with neither answers 500 misconfigured, before any key is fetched.
 */
async function verifyToken(token: string, env: Bindings, url: string): Promise<JWTPayload> {
  if (devAuthEnabled(env, url) && env.AUTH_DEV_SECRET) {
    const { payload } = await jwtVerify(token, await devKey(env.AUTH_DEV_SECRET), { ...TIME_BOUNDS, algorithms: ["HS256"] });
    return payload;
  }
  const idp = identityProvider(env);
  const { payload } = await jwtVerify(token, jwks(idp.jwksUrl), { ...TIME_BOUNDS, issuer: idp.issuer, audience: idp.audience, algorithms: ["RS256", "ES256"] });
  return payload;
}

export const authenticate = createMiddleware<AuthEnv>(async (c, next) => {
  const header = c.req.header("authorization") ?? "";
  const match = /^Bearer\s+([A-Za-z0-9._~+/=-]+)$/i.exec(header);
  if (!match?.[1]) throw new ApiError("unauthorized", "a Bearer token is required");
  let payload: JWTPayload;
  try {
    payload = await verifyToken(match[1], c.env, c.req.url);
  } catch (err) {
    if (err instanceof ApiError) throw err;
    throw new ApiError("unauthorized", "the token is invalid or expired");
  }
  const claims = Claims.safeParse(payload);
  if (!claims.success) throw new ApiError("unauthorized", "the token lacks the sub, role or org claim");
  // the consortium before the principal: a token for another consortium's host reads nothing
  enterByToken(c, payload);
  c.set("principal", claims.data);
  await next();
});

/** Route guard: the caller's role must be one of `roles`. */
export function requireRole(...roles: Role[]) {
  return createMiddleware<AuthEnv>(async (c, next) => {
    const principal = c.get("principal");
    if (!roles.includes(principal.role)) {
      throw new ApiError("forbidden", `this action needs the role ${roles.join(" or ")}`);
    }
    await next();
  });
}
