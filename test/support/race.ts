import { env } from "cloudflare:workers";
import { ApiError } from "../../worker/errors/problem";

/**
 * D1 bindings for `n` callers whose first batch (a service's read) completes for all of
 * them before any goes on: each then writes from the same, soon stale, read, the worst
 * interleaving two requests can have. Only the batch guards can keep all but one from
 * committing.
 */
export function readTogether(n: number, /** the batch all wait after (1: the first; 2 when a claim of an Idempotency-Key comes first) */ atBatch = 1): () => D1Database {
  let arrived = 0;
  let open: () => void = () => {};
  const gate = new Promise<void>((resolve) => {
    open = resolve;
  });
  return () => {
    let batches = 0;
    const db = Object.create(env.DB) as D1Database;
    Object.assign(db, {
      prepare: (query: string) => env.DB.prepare(query),
      batch: async (statements: D1PreparedStatement[]) => {
        const results = await env.DB.batch(statements);
        if (++batches === atBatch) {
          if (++arrived === n) open();
          await gate;
        }
        return results;
      },
    });
    return db;
  };
}

/** Each call's outcome: "ok", or the problem code and detail it was refused with. */
export async function outcomes(calls: Promise<unknown>[]): Promise<string[]> {
  return (await Promise.allSettled(calls)).map((r) => {
    if (r.status === "fulfilled") return "ok";
    return r.reason instanceof ApiError ? `${r.reason.code}: ${r.reason.detail}` : String(r.reason);
  });
}
