import { fromBase64Url, toBase64Url } from "../lib/encoding";

/*
 * The compact signed payload a printed prescription (处方笺) carries in its QR code, so that
 * anyone holding the paper can check it offline against the public keys of
 * GET /prescription-signing-keys, without asking the server about the prescription:
 *
 *   YL1.<base64url(UTF-8 JSON)>.<kid>.<base64url(Ed25519 signature)>
 *
 * The signature covers the UTF-8 bytes of `YL1.<base64url(JSON)>`: exactly the characters
 * scanned, so no canonical re-encoding is needed to verify. The JSON repeats what the paper
 * shows (short keys keep the code small enough to scan from A5), plus the first 16 hex of
 * the prescription's content hash, which ties the paper to the full signed record.
 *
 * PURE and browser-safe: the worker (GET /prescriptions/{id}/print) and the /ui/verify page
 * both import it, so it uses only WebCrypto, TextEncoder and the dependency-free encoding
 * helpers; no hono, drizzle, cloudflare or env imports.
 */

export const QR_VERSION = "YL1";

export type QrKind = "normal" | "emergency" | "long_term";
export type QrGender = "F" | "M";

/** One Rp line: generic name, strength text (e.g. "5mg"), packages, dose + frequency text (e.g. "5mg qd"). */
export type QrItem = [genericName: string, strength: string, packages: number, dosage: string];

export interface QrFields {
  id: string;
  /** writtenAt (ISO) */
  w: string;
  k: QrKind;
  /** institution name */
  o: string;
  /** prescriber name */
  d: string;
  /** patient: name, gender, age text ("68岁" / "8月" / "20天") */
  p: [name: string, gender: QrGender, age: string];
  /** diagnoses, ICD-10 codes */
  x: string[];
  r: QrItem[];
  /** first 16 hex digits of the content hash */
  h: string;
}

/** What signs the payload: the prescription signer (worker/signing/signer.ts) fits as it is. */
export interface QrSigner {
  keyId: string;
  signBytes(bytes: Uint8Array): Promise<ArrayBuffer | Uint8Array>;
}

/** A public key as GET /prescription-signing-keys lists it. */
export interface QrPublicJwk {
  kid?: string;
  kty?: string;
  crv?: string;
  x?: string;
}

export type QrFailure = "malformed" | "unknown-key" | "bad-signature";

export type DecodedQr =
  | { ok: true; fields: QrFields; kid: string; signedText: string; signature: Uint8Array }
  | { ok: false; reason: "malformed" };

export interface QrVerification {
  valid: boolean;
  reason?: QrFailure;
  /** only when valid: unverified claims are never handed out as facts */
  fields?: QrFields;
}

const encoder = new TextEncoder();
const KID = /^[A-Za-z0-9_-]{1,64}$/;
const HASH16 = /^[0-9a-f]{16}$/;
const SIGNATURE_BYTES = 64;

export async function encodeQrPayload(fields: QrFields, signer: QrSigner): Promise<string> {
  if (!KID.test(signer.keyId)) throw new Error("a QR key id is base64url characters only");
  const signedText = `${QR_VERSION}.${toBase64Url(encoder.encode(JSON.stringify(fields)))}`;
  const signature = await signer.signBytes(encoder.encode(signedText));
  return `${signedText}.${signer.keyId}.${toBase64Url(signature)}`;
}

/** Splits and reads a payload without checking its signature (see verifyQrPayload). */
export function decodeQrPayload(text: string): DecodedQr {
  const malformed = { ok: false, reason: "malformed" } as const;
  // scanners and copy-paste add whitespace around (and sometimes inside line breaks of) the text
  const parts = text.replace(/\s+/g, "").split(".");
  if (parts.length !== 4) return malformed;
  const [version, body, kid, sig] = parts as [string, string, string, string];
  if (version !== QR_VERSION || !KID.test(kid)) return malformed;
  const bodyBytes = fromBase64Url(body);
  const signature = fromBase64Url(sig);
  if (!bodyBytes || !signature || signature.length !== SIGNATURE_BYTES) return malformed;
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bodyBytes));
  } catch {
    return malformed;
  }
  const fields = readFields(json);
  if (!fields) return malformed;
  return { ok: true, fields, kid, signedText: `${version}.${body}`, signature };
}

/**
 * Valid when the payload is well formed, its kid is one of the published keys and the
 * Ed25519 signature checks. `jwks` is the body of GET /prescription-signing-keys (or its
 * `keys`); `subtle` defaults to the global WebCrypto (workerd, browsers, Node ≥ 20).
 */
export async function verifyQrPayload(
  text: string,
  jwks: { keys: readonly QrPublicJwk[] } | readonly QrPublicJwk[],
  subtle: SubtleCrypto = crypto.subtle,
): Promise<QrVerification> {
  const decoded = decodeQrPayload(text);
  if (!decoded.ok) return { valid: false, reason: "malformed" };
  // (not `"keys" in jwks`: every array has a keys() method)
  const keys = isKeyList(jwks) ? jwks : jwks.keys;
  const jwk = keys.find((k) => k.kid === decoded.kid);
  if (jwk?.kty !== "OKP" || jwk.crv !== "Ed25519" || typeof jwk.x !== "string") return { valid: false, reason: "unknown-key" };
  let ok: boolean;
  try {
    // only the public members: other members (kid, key_ops) of a published key must not veto the import
    const key = await subtle.importKey("jwk", { kty: "OKP", crv: "Ed25519", x: jwk.x }, { name: "Ed25519" }, false, ["verify"]);
    ok = await subtle.verify({ name: "Ed25519" }, key, copy(decoded.signature), copy(encoder.encode(decoded.signedText)));
  } catch {
    // a published key that does not import cannot vouch for anything
    return { valid: false, reason: "unknown-key" };
  }
  return ok ? { valid: true, fields: decoded.fields } : { valid: false, reason: "bad-signature" };
}

/** A fresh ArrayBuffer-backed copy: WebCrypto's typings (DOM lib) take no views of shared buffers. */
function copy(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(bytes.length);
  out.set(bytes);
  return out;
}

function isKeyList(jwks: { keys: readonly QrPublicJwk[] } | readonly QrPublicJwk[]): jwks is readonly QrPublicJwk[] {
  return Array.isArray(jwks);
}

const isString = (v: unknown): v is string => typeof v === "string";

/** The fields when the JSON has exactly the payload's shape, else null. */
function readFields(json: unknown): QrFields | null {
  if (typeof json !== "object" || json === null || Array.isArray(json)) return null;
  const o = json as Record<string, unknown>;
  const { id, w, k, o: institution, d, p, x, r, h } = o;
  if (!isString(id) || !isString(w) || !isString(institution) || !isString(d)) return null;
  if (k !== "normal" && k !== "emergency" && k !== "long_term") return null;
  if (!isString(h) || !HASH16.test(h)) return null;
  if (!Array.isArray(p) || p.length !== 3 || !isString(p[0]) || (p[1] !== "F" && p[1] !== "M") || !isString(p[2])) return null;
  if (!Array.isArray(x) || !x.every(isString)) return null;
  if (!Array.isArray(r)) return null;
  const items: QrItem[] = [];
  for (const line of r) {
    if (!Array.isArray(line) || line.length !== 4) return null;
    const [name, strength, packages, dosage] = line;
    if (!isString(name) || !isString(strength) || typeof packages !== "number" || !Number.isFinite(packages) || !isString(dosage)) return null;
    items.push([name, strength, packages, dosage]);
  }
  return { id, w, k, o: institution, d, p: [p[0], p[1], p[2]], x: [...x], r: items, h };
}
