/**
 * D1 read replication through the Sessions API (worker/db/session.ts), tested against the
 * real local binding wrapped to record how each request's session starts. Local D1 has no
 * replicas: that a replica really lags, and that a bookmark really waits for it, only
 * production shows; what is tested here is the contract the worker holds up.
 */
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { BOOKMARK_HEADER } from "../../worker/db/session";
import { countingD1 } from "../support/d1-counter";
import { asDoctor } from "../support/api";
import { loadDemoSeed } from "../support/seed";
import { at } from "./tenancy.fixtures";

const HOST = "yaolian.test";

/** The real binding, recording what each session started from. */
function recordingD1(inner: D1Database): { db: D1Database; starts: (string | undefined)[] } {
  const starts: (string | undefined)[] = [];
  const db = Object.create(inner) as D1Database;
  Object.assign(db, {
    prepare: inner.prepare.bind(inner),
    batch: inner.batch.bind(inner),
    withSession: (start?: string) => {
      starts.push(start);
      return inner.withSession(start);
    },
  });
  return { db, starts };
}

describe("D1 sessions per request", () => {
  beforeAll(loadDemoSeed);

  it("starts a read anywhere, a read with the client's bookmark at that bookmark, and a write at the primary; every answer carries the session's bookmark", async () => {
    const rec = recordingD1(env.DB);
    const workerEnv = { ...env, DB: rec.db };
    const token = await asDoctor();
    const first = await at(workerEnv, HOST, "GET", "/patients/pat-001", { token });
    expect(first.status).toBe(200);
    const bookmark = first.headers.get(BOOKMARK_HEADER);
    expect(bookmark).toMatch(/^[0-9a-f-]+$/);

    const write = await at(workerEnv, HOST, "PATCH", "/patients/pat-001", { token, body: { phone: "13800000001" }, headers: { [BOOKMARK_HEADER]: bookmark ?? "" } });
    expect(write.status).toBe(200);
    const afterWrite = write.headers.get(BOOKMARK_HEADER) ?? "";
    // the write moved the database on: its bookmark is later than the read's (same-width hex groups)
    expect(afterWrite > (bookmark ?? "")).toBe(true);

    const reread = await at<{ phone: string | null }>(workerEnv, HOST, "GET", "/patients/pat-001", { token, headers: { [BOOKMARK_HEADER]: afterWrite } });
    expect(reread.status).toBe(200);
    expect(rec.starts).toEqual(["first-unconstrained", "first-primary", afterWrite]);
  });

  it("refuses a malformed bookmark with a 400 problem+json before any query", async () => {
    const rec = recordingD1(env.DB);
    const res = await at(({ ...env, DB: rec.db }), HOST, "GET", "/patients/pat-001", { token: await asDoctor(), headers: { [BOOKMARK_HEADER]: "bad bookmark; drop table" } });
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    expect(res.body).toMatchObject({ code: "bad-request" });
    expect(rec.starts).toEqual([]);
  });

  it("adds no round trip: a patient read (record and audit row in one batch) is one, in its session", async () => {
    const counter = countingD1(env.DB);
    const res = await at(({ ...env, DB: counter.db }), HOST, "GET", "/patients/pat-001", { token: await asDoctor() });
    expect(res.status).toBe(200);
    expect(counter.count()).toBe(1);
  });
});
