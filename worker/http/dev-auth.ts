import type { Bindings } from "../env";
import { Misconfigured } from "../errors/problem";

/*
 * Which way a request's token is verified: the identity provider's JWKS, or (on a developer's
 * machine only) HS256 with the dev secret. Both ways share the time bounds below.
 *
 * The dev way is an explicit local opt-in, never a default: DEV_LOGIN must be exactly "1"
 * (written into .dev.vars by `npm start` from .dev.vars.example, set by the test configs;
 * .dev.vars is never uploaded, so a plain `wrangler deploy` ships without it), the
 * environment must not be production, and no JWKS may be configured. The dev secret of
 * .dev.vars.example is public, so with it only requests to this machine (a loopback host)
 * are served: a deployment that copied it stays closed. Cloudflare routes a request by its
 * host name, so a deployed worker never sees a loopback host.
 */

/** The secret published in .dev.vars.example (a test keeps the two equal). */
export const PUBLISHED_DEV_SECRET = "yaolian-dev-secret-change-me-0123456789abcdef";

/** Longest a token is accepted after its `iat`, whatever its `exp` says (one clinic shift plus margin). */
export const TOKEN_MAX_AGE_SECONDS = 12 * 60 * 60;
/** Clock difference tolerated between the token's issuer and the worker (`iat` ahead, `exp` past). */
export const TOKEN_CLOCK_SKEW_SECONDS = 60;

type AuthBindings = Pick<Bindings, "ENVIRONMENT" | "DEV_LOGIN" | "AUTH_DEV_SECRET" | "AUTH_JWKS_URL" | "AUTH_ISSUER" | "AUTH_AUDIENCE">;

const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

function isLoopback(url: string): boolean {
  try {
    return LOOPBACK_HOSTS.has(new URL(url).hostname);
  } catch {
    return false;
  }
}

/** Whether dev tokens are accepted and the dev login offered, for a request to `url`. */
export function devAuthEnabled(env: AuthBindings, url: string): boolean {
  if (env.ENVIRONMENT === "production" || env.DEV_LOGIN !== "1" || !env.AUTH_DEV_SECRET || env.AUTH_JWKS_URL) return false;
  return env.AUTH_DEV_SECRET !== PUBLISHED_DEV_SECRET || isLoopback(url);
}

export interface IdentityProvider {
  jwksUrl: URL;
  issuer: string;
  audience: string;
}

/**
 * The identity provider's settings, all three required: without an issuer or audience a
 * token minted by the same provider for another application would pass. The JWKS must be
 * https (plain http only to a loopback host outside production: a provider started by the
 * tests). Anything missing is a misconfiguration (500, named only in the log).
 */
export function identityProvider(env: AuthBindings): IdentityProvider {
  const missing = (["AUTH_JWKS_URL", "AUTH_ISSUER", "AUTH_AUDIENCE"] as const).filter((name) => !env[name]);
  if (missing.length > 0) throw new Misconfigured(`authentication: ${missing.join(", ")} not set and the dev login is not enabled for this request`);
  let jwksUrl: URL;
  try {
    jwksUrl = new URL(env.AUTH_JWKS_URL ?? "");
  } catch {
    throw new Misconfigured("authentication: AUTH_JWKS_URL is not a URL");
  }
  const localHttp = jwksUrl.protocol === "http:" && env.ENVIRONMENT !== "production" && LOOPBACK_HOSTS.has(jwksUrl.hostname);
  if (jwksUrl.protocol !== "https:" && !localHttp) throw new Misconfigured("authentication: AUTH_JWKS_URL is not https");
  return { jwksUrl, issuer: env.AUTH_ISSUER ?? "", audience: env.AUTH_AUDIENCE ?? "" };
}
