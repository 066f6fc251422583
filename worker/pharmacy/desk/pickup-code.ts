import { sha256Hex } from "../../lib/encoding";
import type { OrderRow } from "../orders/orders.repo";
import { MAX_PICKUP_ATTEMPTS } from "./pickup-limits";

/*
 * The pickup code: 6 digits that prove the patient is at the window. It travels only in the
 * patient's SMS (notifications.params.pickupCode, masked for staff); the order keeps its
 * salted hash. No response, page or log carries it.
 */

/** Uniform 6 digits: rejection sampling, since 2^32 is not a multiple of 10^6. */
export function newPickupCode(): string {
  const limit = 2 ** 32 - (2 ** 32 % 1_000_000);
  for (;;) {
    const [n = limit] = crypto.getRandomValues(new Uint32Array(1));
    if (n < limit) return String(n % 1_000_000).padStart(6, "0");
  }
}

/** Salted with the order id: equal codes of two orders hash differently, and a table of 10^6 hashes serves one order only. */
export function pickupCodeHash(orderId: string, code: string): Promise<string> {
  return sha256Hex(`${orderId}:${code}`);
}

export function pickupCodeUsable(o: Pick<OrderRow, "pickupCodeHash" | "pickupAttempts">): boolean {
  return o.pickupCodeHash !== null && o.pickupAttempts < MAX_PICKUP_ATTEMPTS;
}

/** Compares in constant time: digests have equal length whatever the inputs, so timing tells nothing. */
export async function sameSecret(a: string, b: string): Promise<boolean> {
  const enc = new TextEncoder();
  const [da, db] = await Promise.all([crypto.subtle.digest("SHA-256", enc.encode(a)), crypto.subtle.digest("SHA-256", enc.encode(b))]);
  return crypto.subtle.timingSafeEqual(da, db);
}
