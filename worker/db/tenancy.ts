import { z } from "@hono/zod-openapi";
import { createMiddleware } from "hono/factory";
import type { Bindings, OutboxMessage } from "../env";
import { ApiError, Misconfigured } from "../errors/problem";
import { type Db, getDb } from "./index";
import { BOOKMARK_HEADER, type D1SessionDatabase, sessionFor } from "./session";

/*
 * Many consortia, one D1 database each (D1's unit of 10 GB and of one query at a time).
 * The registry (wrangler.toml var CONSORTIA) names each consortium's D1 binding and the
 * host names its pages are served at. Without CONSORTIA the worker serves one consortium,
 * the demo, from the binding DB, at any host: `npm start` is unchanged.
 *
 * Everything that touches a database goes through here. A request enters its consortium
 * once (by host in the app's middleware, by the token's claim in authenticate), which
 * replaces the request's env by the consortium's view of it (consortiumEnv: DB is its
 * database, ORDER_QUEUE stamps its id on every message); the queue consumers and the cron
 * build the same view per consortium. So env.DB below the entry points always means "this
 * consortium's database", and no code path can reach another consortium's rows.
 */

export const DEFAULT_CONSORTIUM: Consortium = { id: "demo", name: "演示医联体", binding: "DB", hosts: [] };
/** The token claim naming the consortium unless CONSORTIUM_CLAIM says otherwise (an identity provider's custom claim). */
export const DEFAULT_CONSORTIUM_CLAIM = "cons";

const Id = z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, "lower-case letters, digits and dashes");
const ConsortiumSchema = z
  .object({
    id: Id,
    name: z.string().min(1).max(100),
    binding: z.string().regex(/^[A-Z][A-Z0-9_]{0,62}$/, "a D1 binding name such as DB_HUBEI_01"),
    hosts: z.array(z.string().min(1).max(253).transform((h) => h.toLowerCase())).default([]),
  })
  .strict();
export type Consortium = z.infer<typeof ConsortiumSchema>;

const Registry = z
  .array(ConsortiumSchema)
  .min(1)
  .superRefine((list, ctx) => {
    const seen = new Map<string, string>();
    for (const c of list) {
      for (const key of [`id ${c.id}`, `binding ${c.binding}`, ...c.hosts.map((h) => `host ${h}`)]) {
        if (seen.has(key)) ctx.addIssue({ code: "custom", message: `${key} appears twice` });
        seen.set(key, c.id);
      }
    }
  });

const parsed = new Map<string, Consortium[]>();

/** The consortia this deployment serves (parsed once per isolate and value); a broken registry is a 500 misconfigured, named in the log. */
export function consortia(env: Pick<Bindings, "CONSORTIA">): Consortium[] {
  const raw = env.CONSORTIA?.trim();
  if (!raw) return [DEFAULT_CONSORTIUM];
  let list = parsed.get(raw);
  if (!list) {
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      throw new Misconfigured("CONSORTIA is not JSON");
    }
    const result = Registry.safeParse(json);
    if (!result.success) throw new Misconfigured(`CONSORTIA: ${result.error.issues.map((i) => `${i.path.join(".")} ${i.message}`).join("; ")}`);
    list = result.data;
    parsed.set(raw, list);
  }
  return list;
}

/** The consortium with this id, or null. */
export function consortiumById(env: Pick<Bindings, "CONSORTIA">, id: string): Consortium | null {
  return consortia(env).find((c) => c.id === id) ?? null;
}

/**
 * The consortium served at the request's host: the one listing the host, else the only
 * one when there is one. Null when several are configured and none lists this host (an
 * API host shared by all: there only the token decides).
 */
export function consortiumOfHost(env: Pick<Bindings, "CONSORTIA">, url: string): Consortium | null {
  const list = consortia(env);
  const host = new URL(url).hostname.toLowerCase();
  return list.find((c) => c.hosts.includes(host)) ?? (list.length === 1 ? (list[0] ?? null) : null);
}

function isD1(value: unknown): value is D1Database {
  return typeof value === "object" && value !== null && "prepare" in value && "batch" in value && "withSession" in value;
}

/** The consortium's D1 binding; a registry naming a binding the worker does not have is a misconfiguration. */
export function databaseOf(env: Bindings, consortium: Consortium): D1Database {
  const value: unknown = Object.getOwnPropertyDescriptor(env, consortium.binding)?.value;
  if (!isD1(value)) throw new Misconfigured(`consortium ${consortium.id}: no D1 binding ${consortium.binding}`);
  return value;
}

/** The queue producer as one consortium sees it: every message carries the consortium's id, so its consumer opens the right database. */
function stampedQueue(queue: Queue<OutboxMessage>, consortium: string): Queue<OutboxMessage> {
  return {
    metrics: () => queue.metrics(),
    send: (body, options) => queue.send({ ...body, consortium }, options),
    sendBatch: (messages, options) => queue.sendBatch([...messages].map((m) => ({ ...m, body: { ...m.body, consortium } })), options),
  };
}

/** The env as one consortium sees it: DB is its database, ORDER_QUEUE stamps its id. */
export function consortiumEnv<E extends Bindings>(env: E, consortium: Consortium): E {
  return { ...env, DB: databaseOf(env, consortium), ORDER_QUEUE: stampedQueue(env.ORDER_QUEUE, consortium.id) };
}

/** Runs `work` once per consortium with its view of env, one after the other (the cron, the backfill); one consortium's failure does not stop the next. */
export async function forEachConsortium<T>(env: Bindings, work: (env: Bindings, consortium: Consortium) => Promise<T>): Promise<{ consortium: string; result: T | null }[]> {
  const out: { consortium: string; result: T | null }[] = [];
  for (const consortium of consortia(env)) {
    try {
      out.push({ consortium: consortium.id, result: await work(consortiumEnv(env, consortium), consortium) });
    } catch (err) {
      console.error(JSON.stringify({ level: "error", msg: "consortium run failed", consortium: consortium.id, error: err instanceof Error ? err.message : "unknown" }));
      out.push({ consortium: consortium.id, result: null });
    }
  }
  return out;
}

/** The consortium a queue message belongs to: its stamp, or the default consortium for a message sent before messages carried one. */
export function messageConsortium(env: Pick<Bindings, "CONSORTIA">, body: unknown): Consortium | null {
  const stamp = typeof body === "object" && body !== null && "consortium" in body ? body.consortium : undefined;
  if (stamp === undefined) return consortia(env)[0] ?? null;
  return typeof stamp === "string" ? consortiumById(env, stamp) : null;
}

// ---------------------------------------------------------------------------------------
// Per request
// ---------------------------------------------------------------------------------------

/** What tenancy adds to a request's context. */
export interface TenancyVariables {
  consortium?: Consortium;
  d1Session?: { db: Db; database: D1SessionDatabase };
}

/** The part of a Hono context tenancy uses: any app whose variables include TenancyVariables passes. */
interface TenancyContext {
  env: Bindings;
  req: { url: string; method: string; header(name: string): string | undefined };
  get<K extends keyof TenancyVariables>(key: K): TenancyVariables[K];
  set<K extends keyof TenancyVariables>(key: K, value: TenancyVariables[K]): void;
}

/** Enters the request into its consortium: from here on c.env is the consortium's view. */
function enter(c: TenancyContext, consortium: Consortium): void {
  c.set("consortium", consortium);
  c.env = consortiumEnv(c.env, consortium);
}

/** The app's first step: a request to a consortium's host enters it (pages, callbacks and public lookups carry no token). */
export function enterByHost(c: TenancyContext): void {
  const consortium = consortiumOfHost(c.env, c.req.url);
  if (consortium) enter(c, consortium);
}

/**
 * Authentication's step: the token names its consortium in the claim (CONSORTIUM_CLAIM,
 * default `cons`). A deployment of one consortium accepts tokens without the claim (an
 * identity provider that knows no consortia); with several the claim is required, as a
 * token valid everywhere would open every database. A token of one consortium presented at
 * another's host is refused.
 */
export function enterByToken(c: TenancyContext, payload: Record<string, unknown>): void {
  const claim = c.env.CONSORTIUM_CLAIM || DEFAULT_CONSORTIUM_CLAIM;
  const named = payload[claim];
  const list = consortia(c.env);
  let consortium: Consortium | null;
  if (named === undefined && list.length === 1) consortium = list[0] ?? null;
  else if (typeof named !== "string") throw new ApiError("forbidden", `the token names no consortium (claim ${claim}) and this deployment serves several`);
  else {
    consortium = consortiumById(c.env, named);
    if (!consortium) throw new ApiError("forbidden", `the token's consortium ${named} is not served by this deployment`);
  }
  if (!consortium) throw new ApiError("forbidden", "no consortium is configured");
  const entered = c.get("consortium");
  if (entered && entered.id !== consortium.id) throw new ApiError("forbidden", `this token belongs to consortium ${consortium.id}; this host serves consortium ${entered.id}`);
  if (!entered) enter(c, consortium);
}

/** The consortium the request entered, or a 404 naming the host when none is served there. */
export function requestConsortium(c: TenancyContext): Consortium {
  const consortium = c.get("consortium");
  if (!consortium) throw new ApiError("not-found", `no consortium is served at ${new URL(c.req.url).hostname}`);
  return consortium;
}

/**
 * The request's database: one D1 session per request (session.ts: reads may go to a
 * replica at the client's bookmark, writes start at the primary), opened on first use.
 */
export function requestDb(c: TenancyContext): Db {
  requestConsortium(c);
  let open = c.get("d1Session");
  if (!open) {
    const database = sessionFor(c.env.DB, c.req.method, c.req.header(BOOKMARK_HEADER));
    open = { db: getDb(database), database };
    c.set("d1Session", open);
  }
  return open.db;
}

/**
 * The app's middleware: enters the host's consortium before any route runs, and answers
 * the request's D1 bookmark on the way out (also on errors: a refused write still moved
 * the session), so the client can send it back on its next request.
 */
export const tenancy = createMiddleware<{ Bindings: Bindings; Variables: TenancyVariables }>(async (c, next) => {
  enterByHost(c);
  await next();
  const bookmark = c.get("d1Session")?.database.getBookmark();
  if (bookmark) c.res.headers.set(BOOKMARK_HEADER, bookmark);
});

/**
 * Splits a queue batch by consortium and hands each part, with its consortium's view of
 * env, to `consume`. A message naming a consortium this deployment does not serve is
 * acknowledged and logged: its row lives in a database not reachable from here, and that
 * consortium's own cron sweep sends the row again once the registry lists it.
 */
export async function forEachConsortiumBatch<E extends Bindings>(batch: MessageBatch<unknown>, env: E, consume: (part: MessageBatch<unknown>, env: E) => Promise<void>): Promise<void> {
  const parts = new Map<Consortium, Message<unknown>[]>();
  for (const message of batch.messages) {
    const consortium = messageConsortium(env, message.body);
    if (!consortium) {
      console.error(JSON.stringify({ level: "error", msg: "queue message for a consortium not served here: dropped", queue: batch.queue, messageId: message.id }));
      message.ack();
      continue;
    }
    parts.set(consortium, [...(parts.get(consortium) ?? []), message]);
  }
  const runs = [...parts].map(([consortium, messages]) => {
    const part: MessageBatch<unknown> = {
      queue: batch.queue,
      messages,
      metadata: batch.metadata,
      retryAll: (options) => {
        for (const m of messages) m.retry(options);
      },
      ackAll: () => {
        for (const m of messages) m.ack();
      },
    };
    return consume(part, consortiumEnv(env, consortium));
  });
  // each consortium's part is independent (its own database): delivered side by side
  await Promise.all(runs);
}
