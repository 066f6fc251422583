import { env } from "cloudflare:workers";
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { CLIENT_LOOKUPS, REFERENCE_FAILURES } from "../../worker/pharmacy/patient-status/patient-status.service";
import { api, asPharmacist } from "../support/api";
import { loadDemoSeed } from "../support/seed";
import { aClient, aPickup, lookUp, wrongCheck } from "./patient-status.fixtures";

const WINDOW_MS = REFERENCE_FAILURES.windowSeconds * 1000;
/** One minute into a quarter-hour window, at the start of a minute window: Retry-Afters are exact. */
const ONE_MINUTE_IN = 60_000;

/**
 * Rate limits are fixed windows, so the clock is frozen (the worker runs in this isolate and
 * reads the same Date): no test can straddle a window boundary, and Retry-After is exact.
 */
describe("status lookup rate limits", () => {
  let start: number;
  beforeAll(loadDemoSeed);
  beforeEach(() => {
    start = Math.floor(Date.now() / WINDOW_MS) * WINDOW_MS + ONE_MINUTE_IN;
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(start);
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("refuses a reference after five wrong checks with 429 and Retry-After, even with the right check, until the window ends", async () => {
    const order = await aPickup();
    const client = aClient();
    for (let i = 0; i < REFERENCE_FAILURES.limit; i++) expect((await lookUp(order.reference, wrongCheck(order.check), { client })).status).toBe(404);

    const right = await lookUp(order.reference, order.check, { client });
    expect(right.status).toBe(429);
    expect(right.body).toMatchObject({ status: 429, code: "too-many-requests" });
    expect(right.headers.get("retry-after")).toBe(String((WINDOW_MS - ONE_MINUTE_IN) / 1000));
    expect(right.headers.get("cache-control")).toBe("no-store");
    expect(right.headers.get("content-type")).toContain("application/problem+json");
    // attempts stay counted: still refused, the wait shrinking with the clock
    vi.setSystemTime(start + 10 * 60_000);
    const later = await lookUp(order.reference, order.check, { client: aClient() });
    expect(later.status).toBe(429);
    expect(later.headers.get("retry-after")).toBe(String((WINDOW_MS - ONE_MINUTE_IN - 10 * 60_000) / 1000));

    vi.setSystemTime(start - ONE_MINUTE_IN + WINDOW_MS);
    expect((await lookUp(order.reference, order.check, { client: aClient() })).status).toBe(200);
  });

  it("leaves other references alone while one is refused", async () => {
    const locked = await aPickup();
    const other = await aPickup();
    const client = aClient();
    for (let i = 0; i <= REFERENCE_FAILURES.limit; i++) await lookUp(locked.reference, wrongCheck(locked.check), { client });
    expect((await lookUp(locked.reference, locked.check, { client })).status).toBe(429);
    expect((await lookUp(other.reference, other.check, { client })).status).toBe(200);
  });

  it("does not count right checks as failures", async () => {
    const order = await aPickup();
    const client = aClient();
    for (let i = 0; i < REFERENCE_FAILURES.limit - 1; i++) await lookUp(order.reference, wrongCheck(order.check), { client });
    for (let i = 0; i < 5; i++) expect((await lookUp(order.reference, order.check, { client })).status, `right check ${i}`).toBe(200);
    expect((await lookUp(order.reference, wrongCheck(order.check), { client })).status).toBe(404);
    expect((await lookUp(order.reference, order.check, { client })).status).toBe(429);
  });

  it("treats an unknown reference exactly like a known one: same 404s, then the same 429", async () => {
    const known = await aPickup();
    const unknown = "QQQQ2222QQ";
    const client = aClient();
    const trail = async (reference: string, check: string) => {
      const out: [number, string | null][] = [];
      for (let i = 0; i <= REFERENCE_FAILURES.limit; i++) {
        const res = await lookUp(reference, check, { client });
        out.push([res.status, res.headers.get("retry-after")]);
      }
      return out;
    };
    const knownTrail = await trail(known.reference, wrongCheck(known.check));
    expect(await trail(unknown, "1234")).toEqual(knownTrail);
    expect(knownTrail.map(([status]) => status)).toEqual([404, 404, 404, 404, 404, 429]);
  });

  it("refuses a client after thirty lookups a minute, whatever the references, and not another client", async () => {
    const order = await aPickup();
    const client = aClient();
    for (let i = 0; i < CLIENT_LOOKUPS.limit; i++) {
      const res = await lookUp(`GUESS${String(i).padStart(5, "0")}`, "1234", { client });
      expect(res.status, `lookup ${i + 1}`).toBe(404);
    }
    const refused = await lookUp(order.reference, order.check, { client });
    expect(refused.status).toBe(429);
    expect(refused.headers.get("retry-after")).toBe(String(CLIENT_LOOKUPS.windowSeconds));
    expect((await lookUp(order.reference, order.check, { client: aClient() })).status).toBe(200);

    vi.setSystemTime(start + CLIENT_LOOKUPS.windowSeconds * 1000);
    expect((await lookUp(order.reference, order.check, { client })).status).toBe(200);
  });

  it("counts parallel guesses before comparing them: at most five wrong checks get an answer", async () => {
    const order = await aPickup();
    const guesses = await Promise.all(Array.from({ length: 12 }, () => lookUp(order.reference, wrongCheck(order.check), { client: aClient() })));
    const statuses = guesses.map((g) => g.status).sort();
    expect(statuses.filter((s) => s === 404)).toHaveLength(REFERENCE_FAILURES.limit);
    expect(statuses.filter((s) => s === 429)).toHaveLength(12 - REFERENCE_FAILURES.limit);
  });

  it("keeps neither the reference nor the client address in clear in the counters", async () => {
    const order = await aPickup();
    const client = aClient();
    await lookUp(order.reference, wrongCheck(order.check), { client });
    const rows = await env.DB.prepare("SELECT key FROM rate_limits").all<{ key: string }>();
    const keys = rows.results.map((r) => r.key).join("\n");
    expect(keys).toContain("order-status.reference:");
    expect(keys).toContain("order-status.client:");
    expect(keys).not.toContain(order.reference);
    expect(keys).not.toContain(client);
  });
});

describe("status lookup access", () => {
  beforeAll(loadDemoSeed);

  it("needs no token and gives a token no more than the reference and check give", async () => {
    const order = await aPickup();
    const client = aClient();
    const anonymous = await lookUp(order.reference, order.check, { client });
    expect(anonymous.status).toBe(200);
    const withToken = await api("GET", `/order-status?reference=${order.reference}&check=${wrongCheck(order.check)}`, { token: await asPharmacist(), headers: { "cf-connecting-ip": client } });
    expect(withToken.status).toBe(404);
  });

  it("is documented as public, with its 429", async () => {
    const doc = await api<{ paths: Record<string, Record<string, { "x-roles"?: string[]; security?: unknown[]; responses: Record<string, unknown> }>> }>("GET", "/openapi.json");
    const ops = doc.body.paths["/api/v1/order-status"] ?? {};
    expect(Object.keys(ops).sort()).toEqual(["get", "post"]);
    for (const op of Object.values(ops)) {
      expect(op["x-roles"]).toEqual(["public"]);
      expect(op.security).toEqual([]);
      expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(["200", "400", "404", "429"]));
    }
  });
});
