/**
 * Two consortia side by side: the demo on DB and consortium "b" on DB_B (vitest.config.ts),
 * both seeded with the same demo ids; B's patients carry different names, so a read shows
 * whose database answered. The registry lives in this env only: every other test file runs
 * the default single consortium. B's migrations are applied here, not in the global setup.
 */
import { applyD1Migrations, createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import type { OutboxMessage } from "../../worker/env";
import worker from "../../worker/index";
import { tokenFor } from "../support/api";
import { loadDemoSeed, loadDemoSeedInto } from "../support/seed";

export const DEMO_HOST = "demo.yaolian.test";
export const B_HOST = "b.yaolian.test";
/** a host no consortium lists: the API host shared by all, where only the token decides */
export const SHARED_HOST = "api.yaolian.test";

/** Every message the worker puts on the queue, as sent (with its consortium stamp). */
export class RecordingQueue implements Queue<OutboxMessage> {
  readonly sent: OutboxMessage[] = [];
  private static readonly metricsValue = { backlogCount: 0, backlogBytes: 0 };
  async metrics() {
    return RecordingQueue.metricsValue;
  }
  async send(body: OutboxMessage) {
    this.sent.push(body);
    return { metadata: { metrics: RecordingQueue.metricsValue } };
  }
  async sendBatch(messages: Iterable<MessageSendRequest<OutboxMessage>>) {
    for (const m of messages) this.sent.push(m.body);
    return { metadata: { metrics: RecordingQueue.metricsValue } };
  }
}

export const REGISTRY = [
  { id: "demo", name: "演示医联体", binding: "DB", hosts: [DEMO_HOST] },
  { id: "b", name: "乙医联体", binding: "DB_B", hosts: [B_HOST] },
];

/** The worker's env with two consortia and a recording queue (so B's messages never reach this file's real consumer). */
export function twoConsortia(overrides: Partial<Cloudflare.Env> = {}) {
  const queue = new RecordingQueue();
  return { env: { ...env, CONSORTIA: JSON.stringify(REGISTRY), ORDER_QUEUE: queue, ...overrides }, queue };
}

/** Migrates DB_B, seeds both databases, and renames B's patients: the same ids, different data. */
export async function seedBoth(): Promise<void> {
  await applyD1Migrations(env.DB_B, env.TEST_MIGRATIONS);
  await loadDemoSeed();
  await loadDemoSeedInto(env.DB_B);
  await env.DB_B.prepare("UPDATE patients SET name = '乙' || name WHERE name NOT LIKE '乙%'").run();
}

export const tokenOf = (consortium: string, role: "doctor" | "pharmacist" | "admin" = "doctor") =>
  role === "doctor"
    ? tokenFor("doctor", "doc-shimen-gp-intermediate", "inst-shimen", undefined, consortium)
    : role === "admin"
      ? tokenFor("admin", "admin-county", "inst-county", undefined, consortium)
      : tokenFor("pharmacist", "ph-cloud-1", "pharm-cloud", undefined, consortium);

export interface Call {
  token?: string;
  body?: unknown;
  rawBody?: string;
  headers?: Record<string, string>;
}

/** A request to the worker at `host`, with `workerEnv` as its env (the worker's real fetch handler). */
export async function at<T = Record<string, unknown>>(workerEnv: Cloudflare.Env, host: string, method: string, path: string, call: Call = {}) {
  const headers = new Headers(call.headers);
  if (call.token) headers.set("authorization", `Bearer ${call.token}`);
  let body = call.rawBody;
  if (call.body !== undefined) {
    body = JSON.stringify(call.body);
    headers.set("content-type", "application/json");
  }
  const ctx = createExecutionContext();
  const res = await worker.fetch(new Request(`http://${host}/api/v1${path}`, { method, headers, body }), workerEnv, ctx);
  await waitOnExecutionContext(ctx);
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: ((res.headers.get("content-type") ?? "").includes("json") ? JSON.parse(text) : text) as T };
}

/** How many audit rows a database holds (a refused request leaves none). */
export async function auditCount(database: D1Database): Promise<number> {
  return (await database.prepare("SELECT count(*) AS n FROM audit_events").first<{ n: number }>())?.n ?? 0;
}
