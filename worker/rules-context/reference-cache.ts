import type { ConsortiumPolicy, Interaction } from "../rules/types";

/**
 * The reference data every rule check reads, kept per isolate (issue 12: signing at a
 * province's peak). Interactions, specialty relations and the consortium's policy settings
 * were ~60 rows of every validate and sign, two thirds of the values its read batch carried,
 * yet they change a few times a year.
 *
 * Correct by construction, not by expiry: reference_meta holds a token that the triggers of
 * migration 0014 replace in the statement that changes any of those tables. The rule
 * context's read batch (one round trip, as before) reads the token and asks for those
 * tables' rows only WHERE the token is not one this isolate holds; a batch is one
 * transaction, so the token and the rows it returns are of the same moment. A token held
 * means the rows held are exactly the database's; a token not held brings the rows, which
 * are kept under it. Tokens are random, so one isolate serving several consortia (several
 * databases) keeps each one's data apart without knowing which database it asked.
 */
export interface ReferenceData {
  interactions: Interaction[];
  relatedSpecialties: Record<string, string[]>;
  policy: ConsortiumPolicy;
}

/** Tokens kept at most: a few consortia per isolate, and an edit or two between them. */
const MAX_ENTRIES = 16;

const held = new Map<string, ReferenceData>();

/** What this isolate holds now: its tokens go into the query, its entries answer when no rows come back. */
export function heldReferenceData(): ReadonlyMap<string, ReferenceData> {
  return new Map(held);
}

export function keepReferenceData(token: string, data: ReferenceData): void {
  held.delete(token);
  held.set(token, data);
  for (const oldest of held.keys()) {
    if (held.size <= MAX_ENTRIES) break;
    held.delete(oldest);
  }
}

/** For tests: forget everything (the next check reads the tables). */
export function forgetReferenceData(): void {
  held.clear();
}
