import { describe, expect, it } from "vitest";
import { oidcLogin, oidcOrigin } from "../../worker/http/oidc-login";

/** A deployment's settings with a provider; each case changes one. */
const BASE = {
  ENVIRONMENT: "production",
  AUTH_ISSUER: "https://idp.example.org/",
  AUTH_AUDIENCE: "yaolian",
  AUTH_JWKS_URL: "https://idp.example.org/jwks",
  OIDC_CLIENT_ID: "yaolian-web",
};

describe("oidcLogin: which provider the login page signs in with", () => {
  it("an https issuer with a client: the page's settings, scope defaulted", () => {
    expect(oidcLogin(BASE)).toEqual({ issuer: "https://idp.example.org/", clientId: "yaolian-web", scope: "openid profile" });
    expect(oidcLogin({ ...BASE, OIDC_SCOPE: "openid profile api" })?.scope).toBe("openid profile api");
    expect(oidcOrigin(BASE)).toBe("https://idp.example.org");
  });

  it.each([
    ["no client id", { OIDC_CLIENT_ID: undefined }],
    ["no issuer", { AUTH_ISSUER: undefined }],
    ["no audience", { AUTH_AUDIENCE: undefined }],
    ["no JWKS", { AUTH_JWKS_URL: undefined }],
    ["an issuer that is not a URL", { AUTH_ISSUER: "idp" }],
    ["a plain http issuer", { AUTH_ISSUER: "http://idp.example.org/" }],
    ["a plain http loopback issuer in production", { AUTH_ISSUER: "http://127.0.0.1:9000" }],
    ["a plain http issuer outside production that is not loopback", { ENVIRONMENT: "development", AUTH_ISSUER: "http://10.0.0.5:9000" }],
  ])("none with %s (the page then offers no provider button)", (_case, change) => {
    expect(oidcLogin({ ...BASE, ...change })).toBeNull();
    expect(oidcOrigin({ ...BASE, ...change })).toBeNull();
  });

  it.each(["http://127.0.0.1:9000", "http://localhost:9000", "http://[::1]:9000"])("plain http only for a loopback issuer outside production: %s", (issuer) => {
    expect(oidcLogin({ ...BASE, ENVIRONMENT: "development", AUTH_ISSUER: issuer })?.issuer).toBe(issuer);
  });
});
