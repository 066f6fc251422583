/**
 * OpenID Connect authorization code flow with PKCE (S256), run by the login page as a
 * public client (worker/http/oidc-login.ts says why the token stays a Bearer token in
 * sessionStorage). The verifier, state and nonce live in this tab's sessionStorage for the
 * round trip only and are used once; the code is exchanged from this page directly with the
 * provider, so the token is never in a URL, a log or this worker.
 */

const PENDING_KEY = "yaolian.oidc";

export interface OidcConfig {
  issuer: string;
  clientId: string;
  scope: string;
}

interface Discovery {
  issuer: string;
  authorization_endpoint: string;
  token_endpoint: string;
  end_session_endpoint?: string;
}

interface Pending {
  state: string;
  nonce: string;
  verifier: string;
  next: string;
}

export interface OidcSignIn {
  accessToken: string;
  /** the provider's end-session URL for this sign-in, or null */
  logoutUrl: string | null;
  next: string;
}

/** A refusal the page shows as is (Chinese, no protocol detail beyond what helps). */
export class OidcError extends Error {}

function base64Url(bytes: Uint8Array): string {
  let text = "";
  for (const b of bytes) text += String.fromCharCode(b);
  return btoa(text).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function randomText(): string {
  return base64Url(crypto.getRandomValues(new Uint8Array(32)));
}

function redirectUri(): string {
  return `${location.origin}/ui/login`;
}

function str(value: unknown, name: string): string {
  if (typeof value !== "string" || !value) throw new OidcError(`身份提供方的应答缺少 ${name}`);
  return value;
}

async function discover(issuer: string): Promise<Discovery> {
  const res = await fetch(`${issuer.replace(/\/$/, "")}/.well-known/openid-configuration`);
  if (!res.ok) throw new OidcError("无法读取身份提供方的配置");
  const doc: unknown = await res.json();
  const get = (name: string): unknown => (typeof doc === "object" && doc !== null ? Reflect.get(doc, name) : undefined);
  // OpenID Connect Discovery 1.0 §4.3: the document must name the issuer it was fetched for
  if (get("issuer") !== issuer) throw new OidcError("身份提供方的配置与设定的签发方不符");
  const end = get("end_session_endpoint");
  return {
    issuer,
    authorization_endpoint: str(get("authorization_endpoint"), "authorization_endpoint"),
    token_endpoint: str(get("token_endpoint"), "token_endpoint"),
    end_session_endpoint: typeof end === "string" ? end : undefined,
  };
}

/** Goes to the provider's sign-in page; `next` is where to land afterwards. */
export async function beginSignIn(config: OidcConfig, next: string): Promise<void> {
  const provider = await discover(config.issuer);
  const pending: Pending = { state: randomText(), nonce: randomText(), verifier: randomText(), next };
  const challenge = base64Url(new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(pending.verifier))));
  sessionStorage.setItem(PENDING_KEY, JSON.stringify(pending));
  const url = new URL(provider.authorization_endpoint);
  url.search = new URLSearchParams({
    response_type: "code",
    client_id: config.clientId,
    redirect_uri: redirectUri(),
    scope: config.scope,
    state: pending.state,
    nonce: pending.nonce,
    code_challenge: challenge,
    code_challenge_method: "S256",
  }).toString();
  location.assign(url.href);
}

/** Whether this page load is the provider's answer (a code or an error, with a state). */
export function isCallback(params: URLSearchParams): boolean {
  return params.has("state") && (params.has("code") || params.has("error"));
}

function readPending(): Pending | null {
  const text = sessionStorage.getItem(PENDING_KEY);
  sessionStorage.removeItem(PENDING_KEY); // one use, whatever happens next
  if (!text) return null;
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== "object" || value === null) return null;
    const field = (name: string) => Reflect.get(value, name);
    const [state, nonce, verifier, next] = ["state", "nonce", "verifier", "next"].map(field);
    if (typeof state !== "string" || typeof nonce !== "string" || typeof verifier !== "string" || typeof next !== "string") return null;
    return { state, nonce, verifier, next };
  } catch {
    return null;
  }
}

function jwtClaims(jwt: string): Record<string, unknown> {
  const part = (jwt.split(".")[1] ?? "").replace(/-/g, "+").replace(/_/g, "/");
  const json = new TextDecoder().decode(Uint8Array.from(atob(part.padEnd(Math.ceil(part.length / 4) * 4, "=")), (ch) => ch.charCodeAt(0)));
  const value: unknown = JSON.parse(json);
  if (typeof value !== "object" || value === null) throw new OidcError("身份令牌无法读取");
  return value as Record<string, unknown>;
}

/**
 * Completes the flow: the state must be the one this tab sent (else a forged or replayed
 * answer: refused), the code is exchanged with the verifier, and the ID token must carry
 * this tab's nonce, the issuer and this client. The ID token comes straight from the
 * provider's token endpoint over TLS, so its signature is not checked here (OpenID Connect
 * Core §3.1.3.7); the API verifies the access token's signature on every call.
 */
export async function completeSignIn(config: OidcConfig, params: URLSearchParams): Promise<OidcSignIn> {
  const pending = readPending();
  if (!pending || params.get("state") !== pending.state) throw new OidcError("登录应答无效（state 不符），请重新登录");
  // RFC 9207: a provider that names itself must be the one we asked
  const iss = params.get("iss");
  if (iss !== null && iss !== config.issuer) throw new OidcError("登录应答来自其他签发方，已拒绝");
  if (params.has("error")) throw new OidcError(`身份提供方拒绝了登录：${params.get("error")}`);
  const provider = await discover(config.issuer);
  const res = await fetch(provider.token_endpoint, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: "authorization_code",
      code: params.get("code") ?? "",
      redirect_uri: redirectUri(),
      client_id: config.clientId,
      code_verifier: pending.verifier,
    }),
  });
  if (!res.ok) throw new OidcError("身份提供方未能签发令牌，请重新登录");
  const body: unknown = await res.json();
  const field = (name: string): unknown => (typeof body === "object" && body !== null ? Reflect.get(body, name) : undefined);
  const accessToken = str(field("access_token"), "access_token");
  const idToken = str(field("id_token"), "id_token");
  const claims = jwtClaims(idToken);
  const aud = claims.aud;
  const audOk = aud === config.clientId || (Array.isArray(aud) && aud.includes(config.clientId));
  if (claims.nonce !== pending.nonce || claims.iss !== config.issuer || !audOk) throw new OidcError("身份令牌与本次登录不符，已拒绝");
  let logoutUrl: string | null = null;
  if (provider.end_session_endpoint) {
    const url = new URL(provider.end_session_endpoint);
    url.search = new URLSearchParams({ id_token_hint: idToken, post_logout_redirect_uri: redirectUri(), client_id: config.clientId }).toString();
    logoutUrl = url.href;
  }
  return { accessToken, logoutUrl, next: pending.next };
}
