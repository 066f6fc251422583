import { env } from "cloudflare:workers";

/**
 * D1 for `n` racing callers whose first batch (their read) completes for all of them before
 * any continues: each then writes from the same, soon stale, state. Call the returned
 * function once per caller.
 */
export function readBarrier(n: number): () => D1Database {
  let arrived = 0;
  let open: () => void = () => {};
  const gate = new Promise<void>((resolve) => {
    open = resolve;
  });
  return () => {
    let first = true;
    const db = Object.create(env.DB) as D1Database;
    Object.assign(db, {
      prepare: (query: string) => env.DB.prepare(query),
      batch: async (statements: D1PreparedStatement[]) => {
        const results = await env.DB.batch(statements);
        if (first) {
          first = false;
          if (++arrived === n) open();
          await gate;
        }
        return results;
      },
    });
    return db;
  };
}
