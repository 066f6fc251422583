/** Bindings and variables of the worker (wrangler.toml, .dev.vars, secrets). */
export interface Bindings {
  DB: D1Database;
  ENVIRONMENT: string;
  AUTH_DEV_SECRET?: string;
  AUTH_JWKS_URL?: string;
  AUTH_ISSUER?: string;
  AUTH_AUDIENCE?: string;
  /** Ed25519 private key as JWK JSON (with kid) that signs prescriptions */
  RX_SIGNING_KEY?: string;
  /** JSON array of older public JWKs (with kid) still accepted when verifying */
  RX_VERIFY_KEYS?: string;
}

declare global {
  namespace Cloudflare {
    interface Env extends Bindings {}
  }
}
