/**
 * The signature external pharmacies and YaoLian exchange (API.md "Orders"):
 * `X-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, t + "." + body)>`, over the
 * raw body bytes as sent. Several v1 values may be sent while a secret is being rotated;
 * one match is enough. WebCrypto only, so it runs in workerd and in Node alike.
 */

import { fromHex, toHex } from "./encoding";

export const SIGNATURE_HEADER = "X-Signature";
/** Older than this, or this far in the future, a signature is refused (clock skew included). */
export const SIGNATURE_TOLERANCE_SECONDS = 300;

const encoder = new TextEncoder();

async function hmacKey(secret: string): Promise<CryptoKey> {
  return crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign", "verify"]);
}


/** The hex HMAC-SHA256 of `t + "." + body`. */
export async function hmacHex(secret: string, timestamp: number, body: string): Promise<string> {
  const mac = await crypto.subtle.sign("HMAC", await hmacKey(secret), encoder.encode(`${timestamp}.${body}`));
  return toHex(mac);
}

/** The X-Signature header value for `body`, signed at `now`. */
export async function signBody(secret: string, body: string, now: Date = new Date()): Promise<string> {
  const t = Math.floor(now.getTime() / 1000);
  return `t=${t},v1=${await hmacHex(secret, t, body)}`;
}

export interface ParsedSignature {
  timestamp: number;
  v1: string[];
}

/** `t=…,v1=…[,v1=…]`; unknown schemes are ignored (a future v2 does not break v1 receivers). */
export function parseSignatureHeader(header: string | null | undefined): ParsedSignature | null {
  if (!header || header.length > 1024) return null;
  let timestamp: number | null = null;
  const v1: string[] = [];
  for (const part of header.split(",")) {
    const eq = part.indexOf("=");
    if (eq < 0) return null;
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (key === "t") {
      if (!/^\d{1,12}$/.test(value) || timestamp !== null) return null;
      timestamp = Number(value);
    } else if (key === "v1") v1.push(value);
  }
  if (timestamp === null || v1.length === 0 || v1.length > 5) return null;
  return { timestamp, v1 };
}

export type SignatureCheck =
  | { ok: true; timestamp: number }
  | { ok: false; reason: "malformed" | "expired" | "future" | "mismatch" };

/**
 * The header alone, before any body is read: well-formed, and its timestamp within the
 * window. Says nothing about the secret, so it may run before the MAC is checked.
 */
export function checkSignatureHeader(
  header: string | null | undefined,
  now: Date = new Date(),
  toleranceSeconds = SIGNATURE_TOLERANCE_SECONDS,
): { ok: true; signature: ParsedSignature } | { ok: false; reason: "malformed" | "expired" | "future" } {
  const parsed = parseSignatureHeader(header);
  if (!parsed) return { ok: false, reason: "malformed" };
  const nowSeconds = Math.floor(now.getTime() / 1000);
  if (parsed.timestamp < nowSeconds - toleranceSeconds) return { ok: false, reason: "expired" };
  if (parsed.timestamp > nowSeconds + toleranceSeconds) return { ok: false, reason: "future" };
  return { ok: true, signature: parsed };
}

/**
 * Whether one of the header's v1 MACs is the body's. The comparison is WebCrypto's HMAC
 * verify, which compares in constant time.
 */
export async function macMatches(secret: string, signature: ParsedSignature, body: string): Promise<boolean> {
  const key = await hmacKey(secret);
  const data = encoder.encode(`${signature.timestamp}.${body}`);
  let matched = false;
  for (const candidate of signature.v1) {
    const mac = candidate.length === 64 ? fromHex(candidate) : null;
    // every candidate is checked, so the time taken does not tell which one matched
    if (mac && (await crypto.subtle.verify("HMAC", key, mac, data))) matched = true;
  }
  return matched;
}

/** Verifies the header over the raw body: the header's checks, then the MAC. */
export async function verifySignature(
  secret: string,
  body: string,
  header: string | null | undefined,
  now: Date = new Date(),
  toleranceSeconds = SIGNATURE_TOLERANCE_SECONDS,
): Promise<SignatureCheck> {
  const checked = checkSignatureHeader(header, now, toleranceSeconds);
  if (!checked.ok) return checked;
  return (await macMatches(secret, checked.signature, body)) ? { ok: true, timestamp: checked.signature.timestamp } : { ok: false, reason: "mismatch" };
}
