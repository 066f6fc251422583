import { toHex } from "./encoding";

/**
 * Record ids: a kind prefix, the creation time in base 36 (so ids roughly sort by creation)
 * and 64 random bits, e.g. rx_mww9onp3a1b2c3d4e5f6a7b8.
 */
export function newId(prefix: string, now: Date): string {
  return `${prefix}_${now.getTime().toString(36)}${toHex(crypto.getRandomValues(new Uint8Array(8)))}`;
}

/** A random code for people to type or read out (no 0/O, 1/I); 32 letters, so bytes map without bias. */
export function randomToken(length: number, alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"): string {
  const bytes = crypto.getRandomValues(new Uint8Array(length));
  return [...bytes].map((b) => alphabet[b % alphabet.length]).join("");
}
