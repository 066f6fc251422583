import { fromBase64Url, fromHex, sha256Hex, toBase64Url } from "../lib/encoding";
import type { Bindings } from "../env";
import { Misconfigured } from "../errors/problem";

/**
 * Prescription signatures: Ed25519 (WebCrypto) over the SHA-256 of the canonical content.
 * The private key is a per-deployment secret (RX_SIGNING_KEY, a JWK with a kid); older
 * public keys stay verifiable through RX_VERIFY_KEYS (a JSON array of public JWKs).
 */

interface KeyJwk extends JsonWebKey {
  kid?: string;
}

export interface Signer {
  keyId: string;
  publicKeys: KeyJwk[];
  sign(hashHex: string): Promise<string>;
  /** Ed25519 over the bytes as given (the printed prescription's QR payload, signing/qr-payload.ts). */
  signBytes(bytes: Uint8Array): Promise<ArrayBuffer>;
  verify(hashHex: string, signature: string, keyId: string): Promise<boolean>;
}

const ALGORITHM = { name: "Ed25519" } as const;
const signers = new Map<string, Promise<Signer>>();

/** The 32 bytes of a SHA-256 hex digest (content hashes are always written by sha256Hex). */
function hashBytes(hashHex: string): Uint8Array {
  return fromHex(hashHex) ?? new Uint8Array();
}

function parseJwk(text: string, what: string): KeyJwk {
  try {
    const jwk = JSON.parse(text) as KeyJwk;
    if (jwk.kty === "OKP" && jwk.crv === "Ed25519" && typeof jwk.x === "string") return jwk;
  } catch {
    // reported below without echoing the secret
  }
  throw new Misconfigured(`${what} is not an Ed25519 JWK`);
}

/** RX_VERIFY_KEYS: a JSON array of public Ed25519 JWKs with their kid. */
function parseOlderKeys(text: string): KeyJwk[] {
  let list: unknown;
  try {
    list = JSON.parse(text);
  } catch {
    throw new Misconfigured("RX_VERIFY_KEYS is not JSON");
  }
  if (!Array.isArray(list)) throw new Misconfigured("RX_VERIFY_KEYS is not a JSON array");
  return list.map((item: unknown) => parseJwk(JSON.stringify(item), "an RX_VERIFY_KEYS entry"));
}

async function createSigner(env: Bindings): Promise<Signer> {
  if (!env.RX_SIGNING_KEY) throw new Misconfigured("RX_SIGNING_KEY is not set");
  const jwk = parseJwk(env.RX_SIGNING_KEY, "RX_SIGNING_KEY");
  const keyId = jwk.kid ?? `ed25519-${(await sha256Hex(jwk.x ?? "")).slice(0, 12)}`;
  const { d: _private, ...publicJwk } = jwk;
  const older = env.RX_VERIFY_KEYS ? parseOlderKeys(env.RX_VERIFY_KEYS) : [];
  const publicKeys: KeyJwk[] = [{ ...publicJwk, kid: keyId, key_ops: ["verify"] }, ...older];
  const privateKey = await crypto.subtle.importKey("jwk", { ...jwk, key_ops: ["sign"] }, ALGORITHM, false, ["sign"]);
  const verifiers = new Map<string, Promise<CryptoKey>>();
  const verifierFor = (kid: string) => {
    const publicKey = publicKeys.find((k) => k.kid === kid);
    if (!publicKey) return null;
    let key = verifiers.get(kid);
    if (!key) {
      const { kid: _kid, ...material } = publicKey;
      key = crypto.subtle.importKey("jwk", material, ALGORITHM, false, ["verify"]);
      verifiers.set(kid, key);
    }
    return key;
  };
  return {
    keyId,
    publicKeys,
    async sign(hashHex) {
      return toBase64Url(await crypto.subtle.sign(ALGORITHM, privateKey, hashBytes(hashHex)));
    },
    signBytes(bytes) {
      return crypto.subtle.sign(ALGORITHM, privateKey, bytes);
    },
    async verify(hashHex, signature, kid) {
      const key = verifierFor(kid);
      const bytes = fromBase64Url(signature);
      if (!key || !bytes || bytes.length !== 64) return false;
      return crypto.subtle.verify(ALGORITHM, await key, bytes, hashBytes(hashHex));
    },
  };
}

/** One signer per isolate and key: importing keys costs more than signing. */
export function getSigner(env: Bindings): Promise<Signer> {
  const cacheKey = `${env.RX_SIGNING_KEY ?? ""}|${env.RX_VERIFY_KEYS ?? ""}`;
  let signer = signers.get(cacheKey);
  if (!signer) {
    signer = createSigner(env);
    signer.catch(() => signers.delete(cacheKey));
    signers.set(cacheKey, signer);
  }
  return signer;
}
