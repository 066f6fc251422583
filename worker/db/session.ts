import { ApiError } from "../errors/problem";

/*
 * Read replicas through D1's Sessions API. Each request runs in one session:
 *   - a write (any method but GET/HEAD) starts at the primary ("first-primary");
 *   - a read starts at the client's bookmark when it sends one (x-d1-bookmark), so it sees
 *     at least what that client last saw or wrote, else anywhere ("first-unconstrained");
 *   - every query after the first is served by a replica at least as new as the session.
 * Every response carries the session's latest bookmark (tenancy middleware), which the
 * pages keep and send back: a user reads their own writes across pages and requests.
 * A read that writes (an audit row of a patient read) is forwarded by D1 to the primary.
 *
 * withSession adds no round trip: the constraint travels with the first query.
 */

export const BOOKMARK_HEADER = "x-d1-bookmark";

/**
 * What a bookmark may look like before D1 sees it. D1 calls bookmarks opaque (today four
 * dash-separated hex groups), so the check is only of the alphabet and length, loose
 * enough for a future format and strict enough that no header junk reaches the database.
 */
const BOOKMARK = /^[0-9A-Za-z][0-9A-Za-z._:-]{0,255}$/;

/**
 * A D1 session as the D1Database drizzle expects: queries and batches go through the
 * session, the rest of D1Database's surface is answered honestly (exec and dump bypass
 * sessions in D1's API, and nothing here uses them: they refuse rather than silently lose
 * the session's ordering).
 */
export class D1SessionDatabase implements D1Database {
  constructor(
    private readonly session: D1DatabaseSession,
    private readonly database: D1Database,
    /** the constraint or bookmark the session started from (what the tests inspect) */
    readonly startedAt: string,
  ) {}

  prepare(query: string): D1PreparedStatement {
    return this.session.prepare(query);
  }

  batch<T = unknown>(statements: D1PreparedStatement[]): Promise<D1Result<T>[]> {
    return this.session.batch<T>(statements);
  }

  exec(): Promise<D1ExecResult> {
    return Promise.reject(new Error("exec is not available inside a D1 session"));
  }

  dump(): Promise<ArrayBuffer> {
    return Promise.reject(new Error("dump is not available inside a D1 session"));
  }

  withSession(constraintOrBookmark?: D1SessionBookmark | D1SessionConstraint): D1DatabaseSession {
    return this.database.withSession(constraintOrBookmark);
  }

  /** The latest bookmark of the session, null before its first query (and where D1 has none to give). */
  getBookmark(): string | null {
    return this.session.getBookmark();
  }
}

/** Whether a request only reads (by its method: a GET that audits still writes, and D1 forwards that write to the primary). */
export function isRead(method: string): boolean {
  return method === "GET" || method === "HEAD";
}

/** The session a request runs in; a malformed bookmark is a 400 (the client holds a broken one: better said than silently losing read-your-writes). */
export function sessionFor(database: D1Database, method: string, bookmark: string | undefined): D1SessionDatabase {
  if (bookmark !== undefined && !BOOKMARK.test(bookmark)) throw new ApiError("bad-request", `the ${BOOKMARK_HEADER} header is not a bookmark this service gave out; send it back unchanged or leave it out`);
  const start = !isRead(method) ? "first-primary" : (bookmark ?? "first-unconstrained");
  return new D1SessionDatabase(database.withSession(start), database, start);
}
