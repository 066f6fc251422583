import { z } from "@hono/zod-openapi";
import { sha256Hex } from "../lib/encoding";
import type { Signer } from "./signer";

/** The stored facts a signed prescription is verified from. */
export interface SignedRecord {
  content: string;
  contentHash: string;
  signature: string;
  signatureKeyId: string;
}

export const Verification = z.object({ contentHashValid: z.boolean(), signatureValid: z.boolean(), keyId: z.string() }).openapi("Verification");
export type Verification = z.infer<typeof Verification>;

/** Recomputes the content hash and checks the Ed25519 signature over it. */
export async function verifyPrescription(signer: Signer, row: SignedRecord): Promise<Verification> {
  const contentHashValid = (await sha256Hex(row.content)) === row.contentHash;
  const signatureValid = await signer.verify(row.contentHash, row.signature, row.signatureKeyId);
  return { contentHashValid, signatureValid, keyId: row.signatureKeyId };
}

export function verified(v: Verification): boolean {
  return v.contentHashValid && v.signatureValid;
}
