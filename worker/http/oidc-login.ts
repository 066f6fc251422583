import type { Bindings } from "../env";

/*
 * Production sign-in for the pages: OpenID Connect authorization code with PKCE (S256),
 * run by the login page as a public client of the identity provider at AUTH_ISSUER. The
 * page keeps the provider's access token in sessionStorage and sends it as a Bearer
 * token, exactly as it does a dev token: no cookie carries authority to this worker, so
 * no write can be forged cross-site (no CSRF to defend), and the API verifies the token
 * as it verifies every token (auth.ts: JWKS, issuer, audience, exp, at most 12 h old).
 */

type OidcBindings = Pick<Bindings, "ENVIRONMENT" | "AUTH_ISSUER" | "AUTH_AUDIENCE" | "AUTH_JWKS_URL" | "OIDC_CLIENT_ID" | "OIDC_SCOPE">;

/** What the login page needs to start the flow; nothing secret (a public client has no secret). */
export interface OidcLogin {
  issuer: string;
  clientId: string;
  scope: string;
}

const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

/**
 * The provider the login page signs in with, or null when this deployment has none (the
 * page then says so). The issuer must be https; plain http only for a loopback issuer
 * outside production (the provider the tests start), as for the JWKS in dev-auth.ts.
 */
export function oidcLogin(env: OidcBindings): OidcLogin | null {
  if (!env.OIDC_CLIENT_ID || !env.AUTH_ISSUER || !env.AUTH_AUDIENCE || !env.AUTH_JWKS_URL) return null;
  let issuer: URL;
  try {
    issuer = new URL(env.AUTH_ISSUER);
  } catch {
    return null;
  }
  const localHttp = issuer.protocol === "http:" && env.ENVIRONMENT !== "production" && LOOPBACK_HOSTS.has(issuer.hostname);
  if (issuer.protocol !== "https:" && !localHttp) return null;
  return { issuer: env.AUTH_ISSUER, clientId: env.OIDC_CLIENT_ID, scope: env.OIDC_SCOPE || "openid profile" };
}

/** The origin the login page may fetch from (discovery, token endpoint), for the pages' CSP. */
export function oidcOrigin(env: OidcBindings): string | null {
  const login = oidcLogin(env);
  return login ? new URL(login.issuer).origin : null;
}
