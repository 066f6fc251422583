/**
 * Wraps a D1 binding and counts round trips: each batch() is one, and each first/all/run/raw
 * of a prepared statement outside a batch is one. The cost of a request is its round trips.
 * Statements are patched in place (not proxied) so batch() still accepts them.
 */
export function countingD1(inner: D1Database): { db: D1Database; count: () => number } {
  let trips = 0;
  const counted = <A extends unknown[], R>(fn: (...args: A) => R) =>
    (...args: A): R => {
      trips++;
      return fn(...args);
    };
  const patch = (stmt: D1PreparedStatement): D1PreparedStatement => {
    const bind = stmt.bind.bind(stmt);
    Object.assign(stmt, {
      bind: (...values: unknown[]) => patch(bind(...values)),
      first: counted(stmt.first.bind(stmt)),
      all: counted(stmt.all.bind(stmt)),
      run: counted(stmt.run.bind(stmt)),
      raw: counted(stmt.raw.bind(stmt)),
    });
    return stmt;
  };
  // a session (the worker opens one per request, worker/db/session.ts) counts the same way: withSession adds no trip
  const session = (real: D1DatabaseSession): D1DatabaseSession => {
    const wrapped = Object.create(real) as D1DatabaseSession;
    Object.assign(wrapped, {
      prepare: (sql: string) => patch(real.prepare(sql)),
      batch: counted(real.batch.bind(real)),
      getBookmark: () => real.getBookmark(),
    });
    return wrapped;
  };
  const db = Object.create(inner) as D1Database;
  Object.assign(db, {
    prepare: (sql: string) => patch(inner.prepare(sql)),
    batch: counted(inner.batch.bind(inner)),
    exec: counted(inner.exec.bind(inner)),
    withSession: (constraintOrBookmark?: string) => session(inner.withSession(constraintOrBookmark)),
  });
  return { db, count: () => trips };
}
