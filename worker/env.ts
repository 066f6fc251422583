/** Bindings and variables of the worker (wrangler.toml, .dev.vars, secrets). */
/** What travels on the outbox queue: only the outbox row id; the row is the truth. */
export interface OutboxMessage {
  outboxId: string;
  /** the consortium whose database holds the row (db/tenancy.ts); absent in messages sent before there were several: the default consortium */
  consortium?: string;
}

export interface Bindings {
  DB: D1Database;
  /** JSON [{ id, name, binding, hosts }]: the consortia served, each with its own D1 binding (db/tenancy.ts); absent: the demo consortium on DB */
  CONSORTIA?: string;
  /** the token claim naming the consortium (default "cons") */
  CONSORTIUM_CLAIM?: string;
  ORDER_QUEUE: Queue<OutboxMessage>;
  /** days before the previous instalment runs out that the next one is released (default 7) */
  INSTALMENT_LEAD_DAYS?: string;
  ENVIRONMENT: string;
  /** "1": every answer carries Server-Timing (http/server-timing.ts); the bench sets it */
  SERVER_TIMING?: string;
  AUTH_DEV_SECRET?: string;
  DEV_LOGIN?: string;
  AUTH_JWKS_URL?: string;
  AUTH_ISSUER?: string;
  AUTH_AUDIENCE?: string;
  /** the pages' OpenID Connect client (public, PKCE) at the AUTH_ISSUER provider; without it the login page only explains */
  OIDC_CLIENT_ID?: string;
  /** scopes the login page asks for (default "openid profile"); add the provider's API scope when it needs one */
  OIDC_SCOPE?: string;
  /** Ed25519 private key as JWK JSON (with kid) that signs prescriptions */
  RX_SIGNING_KEY?: string;
  /** JSON array of older public JWKs (with kid) still accepted when verifying */
  RX_VERIFY_KEYS?: string;
  /** Cloudflare rate-limiting bindings (production); without them the rate_limits table counts (http/rate-limit.ts) */
  RATE_LIMIT_SIGN_USER?: RateLimit;
  RATE_LIMIT_PICKUP_ORDER?: RateLimit;
  RATE_LIMIT_PICKUP_USER?: RateLimit;
  RATE_LIMIT_STATUS_CLIENT?: RateLimit;
  /** JSON { "<rule name>": <limit> } overriding table-counted limits (the tests sign hundreds of prescriptions as one doctor) */
  RATE_LIMIT_OVERRIDES?: string;
}

declare global {
  namespace Cloudflare {
    interface Env extends Bindings {}
  }
}
