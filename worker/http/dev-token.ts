import { SignJWT } from "jose";
import type { Principal } from "./auth";

/**
 * An HS256 token for local development and tests (production uses the identity provider's
 * JWKS). `consortium` becomes the `cons` claim (db/tenancy.ts); without it the token is
 * accepted only by a deployment of one consortium.
 */
export async function signDevToken(secret: string, claims: Principal, expiresIn = "12h", consortium?: string): Promise<string> {
  return new SignJWT({ role: claims.role, org: claims.org, name: claims.name, ...(consortium ? { cons: consortium } : {}) })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setSubject(claims.sub)
    .setIssuedAt()
    .setExpirationTime(expiresIn)
    .sign(new TextEncoder().encode(secret));
}
