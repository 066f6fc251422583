import { z } from "@hono/zod-openapi";
import type { MiddlewareHandler } from "hono";
import type { Db } from "../db/index";
import { sha256Hex } from "../lib/encoding";
import { ApiError } from "../errors/problem";
import { countHitStatement, peekHitStatement, refundHitStatement } from "./rate-limit.repo";

/*
 * Rate limits in fixed windows. Callers speak to the small RateLimiter interface; the D1
 * implementation below counts in the rate_limits table with statements that ride in the
 * caller's own batch, so a limited lookup costs no extra round trip. Cloudflare's
 * rate-limiting binding (`limit({ key })`, per-location, 10 or 60 s periods, no refunds)
 * can replace it behind the same interface: its `count` calls the binding and returns no
 * statements, its `refund` does nothing.
 */

/** Cloudflare rate-limiting bindings (wrangler.toml [env.production], type "ratelimit") a rule may be counted by. */
export type RateBindingName = "RATE_LIMIT_SIGN_USER" | "RATE_LIMIT_PICKUP_ORDER" | "RATE_LIMIT_PICKUP_USER" | "RATE_LIMIT_STATUS_CLIENT";

/** At most `limit` hits per key in each fixed window of `windowSeconds`. */
export interface RateRule {
  /** stable name, part of the stored key */
  readonly name: string;
  readonly limit: number;
  readonly windowSeconds: number;
  /**
   * The binding that counts this rule where one is configured (its `simple = { limit,
   * period }` must equal limit and windowSeconds, 10 or 60 s); elsewhere the D1 table does.
   * Rules that refund (a right answer gives its attempt back) have none: bindings cannot.
   */
  readonly binding?: RateBindingName;
}

export interface RateHit {
  readonly rule: RateRule;
  /** what is limited: a client address, a reference… (stored hashed, never in clear) */
  readonly key: string;
}

export interface RateVerdict {
  readonly allowed: boolean;
  /** seconds until the hit's window ends (the Retry-After of a refusal) */
  readonly retryAfter: number;
}

/** No window is longer: counters of windows that started longer ago than this are finished (purgeRateLimits). */
export const MAX_WINDOW_SECONDS = 3600;

export type RateCountStatement = ReturnType<typeof countHitStatement>;

/** Hits being counted: statements for the caller's batch, and the verdicts once it ran. */
export interface RateCounting {
  readonly statements: RateCountStatement[];
  /** one verdict per hit, in order, from the results of `statements` */
  settle(results: readonly unknown[]): RateVerdict[];
}

export type RatePeekStatement = ReturnType<typeof peekHitStatement>;

/**
 * Hits counted only for a caller found entitled (a refused caller must not use up what an
 * order allows its own pharmacy): the current counts ride in the read batch, the counting
 * statements in the caller's write batch. Concurrent callers may read the same count; a
 * write that is versioned (one of them commits, the others roll back with their count)
 * keeps the limit exact for what actually happens.
 */
export interface RateDeferred {
  /** read-only: the hits' current counts, for the read batch */
  readonly statements: RatePeekStatement[];
  /** Once the caller is authorized: a verdict per hit (from `statements`' results) and the statements counting the hits, for the write batch. */
  settle(results: readonly unknown[]): Promise<{ verdicts: RateVerdict[]; statements: RateCountStatement[] }>;
}

export interface RateLimiter {
  count(hits: readonly RateHit[], now: Date): Promise<RateCounting>;
  /** Hits to count later, once the caller is authorized (RateDeferred). */
  defer(hits: readonly RateHit[], now: Date): Promise<RateDeferred>;
  /** Takes a counted hit back (e.g. a check that turned out right does not count as a failure). */
  refund(hit: RateHit, now: Date): Promise<void>;
}

/** A refusal: 429 with Retry-After (set by the retryAfterHeader middleware). */
export class RateLimited extends ApiError {
  constructor(readonly retryAfter: number) {
    super("too-many-requests", `too many requests; try again in ${retryAfter} s`);
  }
}

/** Throws RateLimited when any verdict refuses, with the longest wait among them. */
export function enforce(verdicts: readonly RateVerdict[]): void {
  const refused = verdicts.filter((v) => !v.allowed);
  if (refused.length > 0) throw new RateLimited(Math.max(...refused.map((v) => v.retryAfter)));
}

/** Route middleware: a RateLimited error's answer carries its Retry-After. */
export const retryAfterHeader: MiddlewareHandler = async (c, next) => {
  await next();
  if (c.error instanceof RateLimited) c.res.headers.set("Retry-After", String(c.error.retryAfter));
};

function windowOf(rule: RateRule, now: Date): { start: string; retryAfter: number } {
  // a longer window would be purged while still counting
  if (rule.windowSeconds > MAX_WINDOW_SECONDS) throw new Error(`rate rule ${rule.name}: window longer than ${MAX_WINDOW_SECONDS} s`);
  const ms = rule.windowSeconds * 1000;
  const start = Math.floor(now.getTime() / ms) * ms;
  return { start: new Date(start).toISOString(), retryAfter: Math.max(1, Math.ceil((start + ms - now.getTime()) / 1000)) };
}

/** The stored key: the rule's name and a digest of the value, so no address or reference is kept in clear. */
async function storedKey(hit: RateHit): Promise<string> {
  return `${hit.rule.name}:${(await sha256Hex(hit.key)).slice(0, 32)}`;
}

const Counted = z.array(z.object({ count: z.number().int() })).length(1);
const Peeked = z.array(z.object({ count: z.number().int() })).max(1);

export function d1RateLimiter(db: Db): RateLimiter {
  return {
    async count(hits, now) {
      // keys first: a drizzle statement is thenable, so an async callback returning one would run it
      const keys = await Promise.all(hits.map(storedKey));
      const statements = hits.map((hit, i) => countHitStatement(db, keys[i] ?? "", windowOf(hit.rule, now).start));
      return {
        statements,
        settle: (results) =>
          hits.map((hit, i) => {
            const [row] = Counted.parse(results[i]);
            return { allowed: (row?.count ?? 0) <= hit.rule.limit, retryAfter: windowOf(hit.rule, now).retryAfter };
          }),
      };
    },
    async defer(hits, now) {
      const keys = await Promise.all(hits.map(storedKey));
      const windows = hits.map((hit) => windowOf(hit.rule, now));
      return {
        statements: hits.map((_, i) => peekHitStatement(db, keys[i] ?? "", windows[i]?.start ?? "")),
        settle: async (results) => ({
          // this hit would be the count + 1st of the window
          verdicts: hits.map((hit, i) => ({ allowed: (Peeked.parse(results[i])[0]?.count ?? 0) < hit.rule.limit, retryAfter: windows[i]?.retryAfter ?? 1 })),
          statements: hits.map((_, i) => countHitStatement(db, keys[i] ?? "", windows[i]?.start ?? "")),
        }),
      };
    },
    async refund(hit, now) {
      await refundHitStatement(db, await storedKey(hit), windowOf(hit.rule, now).start);
    },
  };
}

export type RateEnv = Partial<Record<RateBindingName, RateLimit>> & {
  /** JSON { "<rule name>": <limit> } raising (or lowering) a rule's limit in this deployment, e.g. a load test signing as one doctor */
  RATE_LIMIT_OVERRIDES?: string;
};

function overridesOf(env: RateEnv): ReadonlyMap<string, number> {
  try {
    const parsed: unknown = JSON.parse(env.RATE_LIMIT_OVERRIDES ?? "{}");
    if (typeof parsed !== "object" || parsed === null) return new Map();
    return new Map(Object.entries(parsed).filter((e): e is [string, number] => Number.isInteger(e[1]) && e[1] > 0));
  } catch {
    return new Map();
  }
}

/**
 * The limiter of a request: rules with a configured binding are counted by Cloudflare's
 * rate limiting (no statements, nothing in D1), the others in the D1 table; tests and local
 * runs have no bindings, so everything falls back to D1. Limits named in
 * RATE_LIMIT_OVERRIDES replace the rule's (D1-counted rules only: a binding's limit is its
 * own configuration).
 */
export function rateLimiterFor(env: RateEnv, db: Db): RateLimiter {
  const local = d1RateLimiter(db);
  const overrides = overridesOf(env);
  const bindingOf = (hit: RateHit) => (hit.rule.binding ? env[hit.rule.binding] : undefined);
  const effective = (hit: RateHit): RateHit => {
    const limit = overrides.get(hit.rule.name);
    return limit === undefined ? hit : { ...hit, rule: { ...hit.rule, limit } };
  };
  return {
    async count(hits, now) {
      const localHits = hits.filter((hit) => !bindingOf(hit)).map(effective);
      const counting = await local.count(localHits, now);
      // a binding's key is the rule's name and the value's digest, as the table's (nothing in clear)
      const remote = await Promise.all(
        hits.map(async (hit) => {
          const binding = bindingOf(hit);
          if (!binding) return null;
          const { success } = await binding.limit({ key: await storedKey(hit) });
          return { allowed: success, retryAfter: windowOf(hit.rule, now).retryAfter };
        }),
      );
      return {
        statements: counting.statements,
        settle(results) {
          const localVerdicts = counting.settle(results);
          let next = 0;
          return remote.map((verdict) => verdict ?? localVerdicts[next++] ?? { allowed: true, retryAfter: 1 });
        },
      };
    },
    async defer(hits, now) {
      const localHits = hits.filter((hit) => !bindingOf(hit)).map(effective);
      const deferred = await local.defer(localHits, now);
      return {
        statements: deferred.statements,
        async settle(results) {
          const settled = await deferred.settle(results);
          // a binding counts as it answers, so it is asked only now, for an authorized caller
          let next = 0;
          const verdicts = await Promise.all(
            hits.map(async (hit) => {
              const binding = bindingOf(hit);
              if (!binding) return settled.verdicts[next++] ?? { allowed: true, retryAfter: 1 };
              const { success } = await binding.limit({ key: await storedKey(hit) });
              return { allowed: success, retryAfter: windowOf(hit.rule, now).retryAfter };
            }),
          );
          return { verdicts, statements: settled.statements };
        },
      };
    },
    async refund(hit, now) {
      if (!bindingOf(hit)) await local.refund(effective(hit), now);
    },
  };
}
