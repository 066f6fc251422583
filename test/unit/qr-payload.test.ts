import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { toBase64Url } from "../../worker/lib/encoding";
import { decodeQrPayload, encodeQrPayload, type QrFields, type QrPublicJwk, type QrSigner, verifyQrPayload } from "../../worker/signing/qr-payload";
import { getSigner } from "../../worker/signing/signer";

const FIELDS: QrFields = {
  id: "rx_20261205_abc",
  w: "2026-12-05T01:30:00.000Z",
  k: "long_term",
  o: "枫林村卫生室",
  d: "曹德贵",
  p: ["张桂兰", "F", "68岁"],
  x: ["I10", "E11.9"],
  r: [
    ["氨氯地平片", "5mg", 3, "5mg qd"],
    ["二甲双胍片", "0.5g", 6, "0.5g tid"],
  ],
  h: "0123456789abcdef",
};

async function aKeyPair(kid: string): Promise<{ signer: QrSigner; jwk: QrPublicJwk }> {
  const pair = (await crypto.subtle.generateKey({ name: "Ed25519" }, true, ["sign", "verify"])) as CryptoKeyPair;
  const exported = (await crypto.subtle.exportKey("jwk", pair.publicKey)) as JsonWebKey;
  return {
    signer: { keyId: kid, signBytes: (bytes) => crypto.subtle.sign({ name: "Ed25519" }, pair.privateKey, bytes) as Promise<ArrayBuffer> },
    jwk: { kid, kty: exported.kty, crv: exported.crv, x: exported.x },
  };
}

/** The payload with one character of its JSON part changed (still base64url, so it decodes or not, but never verifies). */
function tamper(text: string): string {
  const [v, body, kid, sig] = text.split(".") as [string, string, string, string];
  const decoded = JSON.parse(new TextDecoder().decode(Uint8Array.from(atob(body.replaceAll("-", "+").replaceAll("_", "/")), (c) => c.charCodeAt(0))));
  decoded.r[0][2] = 30; // ten times the packages
  return [v, toBase64Url(new TextEncoder().encode(JSON.stringify(decoded))), kid, sig].join(".");
}

describe("QR payload", () => {
  it("round-trips: encode, decode and verify with the published key", async () => {
    const { signer, jwk } = await aKeyPair("k1");
    const text = await encodeQrPayload(FIELDS, signer);
    expect(text).toMatch(/^YL1\.[A-Za-z0-9_-]+\.k1\.[A-Za-z0-9_-]{86}$/);
    const decoded = decodeQrPayload(text);
    expect(decoded.ok && decoded.fields).toEqual(FIELDS);
    expect(await verifyQrPayload(text, { keys: [jwk] })).toEqual({ valid: true, fields: FIELDS });
    // a bare key array works too, and so do whitespace and line breaks a scanner or a paste adds
    expect((await verifyQrPayload(`  ${text.slice(0, 40)}\n${text.slice(40)}\n`, [jwk])).valid).toBe(true);
  });

  it("keeps non-ASCII names intact (UTF-8, not Latin-1)", async () => {
    const { signer, jwk } = await aKeyPair("k1");
    const fields: QrFields = { ...FIELDS, o: "青溪县人民医院（总院）", d: "欧阳·娜娜", p: ["𠮷野 翠花", "F", "8月"], r: [["复方丹参滴丸", "27mg", 1, "270mg tid"]] };
    const result = await verifyQrPayload(await encodeQrPayload(fields, signer), { keys: [jwk] });
    expect(result).toEqual({ valid: true, fields });
  });

  it("rejects a tampered payload", async () => {
    const { signer, jwk } = await aKeyPair("k1");
    const text = await encodeQrPayload(FIELDS, signer);
    expect(await verifyQrPayload(tamper(text), { keys: [jwk] })).toEqual({ valid: false, reason: "bad-signature" });
    // a swapped signature of another payload under the same key
    const other = await encodeQrPayload({ ...FIELDS, id: "rx_other" }, signer);
    const swapped = [...text.split(".").slice(0, 3), other.split(".")[3]].join(".");
    expect(await verifyQrPayload(swapped, { keys: [jwk] })).toEqual({ valid: false, reason: "bad-signature" });
  });

  it("rejects a signature by another key published under the same kid", async () => {
    const signed = await aKeyPair("k1");
    const impostor = await aKeyPair("k1");
    const text = await encodeQrPayload(FIELDS, impostor.signer);
    expect(await verifyQrPayload(text, { keys: [signed.jwk] })).toEqual({ valid: false, reason: "bad-signature" });
  });

  it("rejects an unknown kid, and a published key that is not an Ed25519 public key", async () => {
    const { signer, jwk } = await aKeyPair("k1");
    const text = await encodeQrPayload(FIELDS, signer);
    expect(await verifyQrPayload(text, { keys: [{ ...jwk, kid: "k2" }] })).toEqual({ valid: false, reason: "unknown-key" });
    expect(await verifyQrPayload(text, { keys: [] })).toEqual({ valid: false, reason: "unknown-key" });
    expect(await verifyQrPayload(text, { keys: [{ ...jwk, crv: "P-256" }] })).toEqual({ valid: false, reason: "unknown-key" });
    expect(await verifyQrPayload(text, { keys: [{ ...jwk, x: "AAAA" }] })).toEqual({ valid: false, reason: "unknown-key" });
  });

  it.each([
    ["empty", ""],
    ["plain text", "hello"],
    ["a URL", "https://example.com/rx/1"],
    ["another version", "YL2.e30.k1.AAAA"],
    ["too few parts", "YL1.e30.k1"],
    ["too many parts", "YL1.e30.k1.AAAA.AAAA"],
    ["body not base64url", "YL1.e3+0.k1.AAAA"],
    ["short signature", "YL1.e30.k1.AAAA"],
  ])("rejects malformed text: %s", async (_, text) => {
    expect(decodeQrPayload(text)).toEqual({ ok: false, reason: "malformed" });
    expect(await verifyQrPayload(text, { keys: [] })).toEqual({ valid: false, reason: "malformed" });
  });

  it.each([
    ["not JSON", new TextEncoder().encode("not json")],
    ["invalid UTF-8", Uint8Array.of(0x7b, 0xff, 0x7d)],
    ["a JSON array", new TextEncoder().encode("[]")],
    ["a field missing", new TextEncoder().encode(JSON.stringify({ ...FIELDS, h: undefined }))],
    ["an unknown kind", new TextEncoder().encode(JSON.stringify({ ...FIELDS, k: "veterinary" }))],
    ["a gender letter", new TextEncoder().encode(JSON.stringify({ ...FIELDS, p: ["张桂兰", "X", "68岁"] }))],
    ["a short hash", new TextEncoder().encode(JSON.stringify({ ...FIELDS, h: "0123" }))],
    ["an item line of three", new TextEncoder().encode(JSON.stringify({ ...FIELDS, r: [["a", "b", 1]] }))],
    ["packages as text", new TextEncoder().encode(JSON.stringify({ ...FIELDS, r: [["a", "b", "1", "c"]] }))],
  ])("rejects a body that is %s, before any key is looked at", async (_, body) => {
    const { signer, jwk } = await aKeyPair("k1");
    const signedText = `YL1.${toBase64Url(body)}`;
    const text = `${signedText}.k1.${toBase64Url(await signer.signBytes(new TextEncoder().encode(signedText)))}`;
    expect(decodeQrPayload(text)).toEqual({ ok: false, reason: "malformed" });
    expect(await verifyQrPayload(text, { keys: [jwk] })).toEqual({ valid: false, reason: "malformed" });
  });

  it("is signed by the deployment's prescription signer and verifies against its published keys", async () => {
    const signer = await getSigner(env);
    const text = await encodeQrPayload(FIELDS, signer);
    expect(text.split(".")[2]).toBe(signer.keyId);
    expect(await verifyQrPayload(text, { keys: signer.publicKeys })).toEqual({ valid: true, fields: FIELDS });
  });
});
