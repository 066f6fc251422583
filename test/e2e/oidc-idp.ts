/**
 * A real OpenID Connect provider (the `oidc-provider` package, its own login and consent
 * pages) on a loopback port, for the production sign-in tests: nothing of the protocol is
 * mocked. Its users carry the claims the worker reads from an access token (role, org, name,
 * with `sub` the practitioner or pharmacist id, as a consortium's provider would map them),
 * and it issues JWT access tokens for the worker's audience to a public client with PKCE.
 */
import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import { exportJWK, generateKeyPair, type JWTPayload, SignJWT } from "jose";
import Provider from "oidc-provider";
import { freePort } from "./stack";

export const CLIENT_ID = "yaolian-web";
/** RFC 8707 resource indicators are absolute URIs, so the test audience is one. */
export const AUDIENCE = "urn:yaolian:api";

/** The provider's accounts: its login name is the `sub`; any password is accepted by its development pages. */
export const ACCOUNTS: Record<string, { role: string; org: string; name: string }> = {
  "doc-fenglin-village": { role: "doctor", org: "inst-fenglin", name: "曹德贵" },
};

export interface Idp {
  issuer: string;
  jwksUrl: string;
  /** a token signed with the provider's own key, for the cases its pages never issue (expired, another audience) */
  signToken(claims: JWTPayload): Promise<string>;
  stop(): Promise<void>;
}

export async function startIdp(appUrl: string): Promise<Idp> {
  const port = await freePort();
  const issuer = `http://127.0.0.1:${port}`;
  const { privateKey } = await generateKeyPair("ES256", { extractable: true });
  const jwk = { ...(await exportJWK(privateKey)), kid: "test-es256", alg: "ES256", use: "sig" };
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: CLIENT_ID,
        token_endpoint_auth_method: "none",
        id_token_signed_response_alg: "ES256",
        grant_types: ["authorization_code"],
        response_types: ["code"],
        redirect_uris: [`${appUrl}/ui/login`],
        post_logout_redirect_uris: [`${appUrl}/ui/login`],
      },
    ],
    jwks: { keys: [jwk] },
    cookies: { keys: ["yaolian-test-idp-cookie-key"] },
    claims: { openid: ["sub"], profile: ["name"] },
    // the page exchanges the code from its own origin: allow exactly the client's origin
    clientBasedCORS: (_ctx, origin) => origin === new URL(appUrl).origin,
    findAccount: (_ctx, sub) => {
      const account = ACCOUNTS[sub];
      if (!account) return undefined;
      return { accountId: sub, claims: () => ({ sub, name: account.name }) };
    },
    features: {
      devInteractions: { enabled: true },
      rpInitiatedLogout: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => AUDIENCE,
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx, resource) => {
          if (resource !== AUDIENCE) throw new Error(`unknown resource ${resource}`);
          return { scope: "api", audience: AUDIENCE, accessTokenTTL: 60 * 60, accessTokenFormat: "jwt", jwt: { sign: { alg: "ES256" } } };
        },
      },
    },
    // the worker's claims, in the access token (the API reads only that token)
    extraTokenClaims: (_ctx, token) => {
      const account = "accountId" in token && typeof token.accountId === "string" ? ACCOUNTS[token.accountId] : undefined;
      return account ? { role: account.role, org: account.org, name: account.name } : undefined;
    },
    pkce: { required: () => true },
    ttl: { Interaction: 600, Session: 3600, Grant: 3600, AccessToken: 3600, IdToken: 3600 },
  });
  const server: Server = provider.listen(port, "127.0.0.1");
  await new Promise<void>((resolve) => server.once("listening", () => resolve()));
  const address = server.address() as AddressInfo;
  return {
    issuer,
    jwksUrl: `http://127.0.0.1:${address.port}/jwks`,
    signToken: (claims) => new SignJWT(claims).setProtectedHeader({ alg: "ES256", kid: jwk.kid }).sign(privateKey),
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
