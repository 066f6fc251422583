/** The bearer token lives in this tab's sessionStorage only; closing the tab signs out. */
import type { LABELS } from "../../labels";

const TOKEN_KEY = "yaolian.token";
/** the identity provider's end-session URL for this sign-in (with its id_token_hint), when it has one */
const LOGOUT_KEY = "yaolian.logout";
/** the name of the token's institution or pharmacy, when the sign-in knew it (the header shows it instead of the id) */
const ORG_NAME_KEY = "yaolian.orgName";

export type Role = keyof typeof LABELS.role;

/** The token's claims, for display; the server verifies the token on every call. */
export interface Principal {
  sub: string;
  role: string;
  org: string;
  name: string;
  /** the org's display name as the sign-in gave it; "" when unknown (the header then shows `org`) */
  orgName: string;
}

export function token(): string | null {
  return sessionStorage.getItem(TOKEN_KEY);
}

export function signIn(value: string, opts: { providerLogout?: string; orgName?: string } = {}): void {
  sessionStorage.setItem(TOKEN_KEY, value);
  keepOrForget(LOGOUT_KEY, opts.providerLogout);
  keepOrForget(ORG_NAME_KEY, opts.orgName);
}

/** A sign-in's optional value: stored when given, else the previous sign-in's removed. */
function keepOrForget(key: string, value: string | undefined): void {
  if (value) sessionStorage.setItem(key, value);
  else sessionStorage.removeItem(key);
}

/** Forgets the token; returns where to end the identity provider's session too, if it has one (the logout button goes there). */
export function signOut(): string | null {
  const providerLogout = sessionStorage.getItem(LOGOUT_KEY);
  sessionStorage.removeItem(TOKEN_KEY);
  sessionStorage.removeItem(LOGOUT_KEY);
  sessionStorage.removeItem(ORG_NAME_KEY);
  return providerLogout;
}

function decodeBase64Url(text: string): string {
  let b64 = text.replace(/-/g, "+").replace(/_/g, "/");
  while (b64.length % 4) b64 += "=";
  return new TextDecoder().decode(Uint8Array.from(atob(b64), (ch) => ch.charCodeAt(0)));
}

/** Who is signed in, or null (an unreadable or expired token is dropped). */
export function principal(): Principal | null {
  const jwt = token();
  if (!jwt) return null;
  try {
    const claims: unknown = JSON.parse(decodeBase64Url(jwt.split(".")[1] ?? ""));
    if (typeof claims !== "object" || claims === null) throw new Error("no claims");
    const claim = (name: string): unknown => Reflect.get(claims, name);
    const exp = claim("exp");
    if (typeof exp === "number" && exp * 1000 < Date.now()) {
      signOut();
      return null;
    }
    const text = (name: string) => String(claim(name) || "");
    return { sub: text("sub"), role: text("role"), org: text("org"), name: text("name"), orgName: sessionStorage.getItem(ORG_NAME_KEY) ?? "" };
  } catch {
    signOut();
    return null;
  }
}

/** The login page, coming back here afterwards. */
export function loginHref(): string {
  return `/ui/login?next=${encodeURIComponent(location.pathname + location.search)}`;
}
