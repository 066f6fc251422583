/**
 * Build the worker bundle and serve it with Miniflare (workerd), next to the floor worker,
 * both bound to the same local D1 database. No `wrangler dev`: its proxy costs ~3x.
 */
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtemp, readdir, readFile, stat } from "node:fs/promises";
import http from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { Log, LogLevel, Miniflare } from "miniflare";

export const ROOT = path.resolve(import.meta.dirname, "..");

export interface Bundle {
  scriptPath: string;
  bytes: number;
  sha256: string;
  buildSeconds: number;
}

/** `wrangler deploy --dry-run --outdir <outdir>`: the exact bundle a deploy would upload. */
export async function buildWorker(outdir: string): Promise<Bundle> {
  const logDir = await mkdtemp(path.join(tmpdir(), "yaolian-bench-wrangler-logs-"));
  const started = performance.now();
  const output: string[] = [];
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(path.join(ROOT, "node_modules/.bin/wrangler"), ["deploy", "--dry-run", "--outdir", outdir, "--env="], {
      cwd: ROOT,
      env: { ...process.env, WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false", WRANGLER_LOG_PATH: logDir, NO_COLOR: "1", FORCE_COLOR: "0" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    child.stdout.on("data", (d: Buffer) => output.push(d.toString()));
    child.stderr.on("data", (d: Buffer) => output.push(d.toString()));
    child.on("error", reject);
    child.on("close", resolve);
  });
  if (code !== 0) throw new Error(`wrangler build failed (exit ${code}):\n${output.join("")}`);
  return { ...(await describeBundle(outdir)), buildSeconds: (performance.now() - started) / 1000 };
}

/** An existing bundle (BENCH_BUILD=0): its path, size and hash. */
export async function describeBundle(outdir: string): Promise<Bundle> {
  const scriptPath = path.resolve(ROOT, outdir, "index.js");
  const source = await readFile(scriptPath);
  return { scriptPath, bytes: source.byteLength, sha256: createHash("sha256").update(source).digest("hex"), buildSeconds: 0 };
}

/** compatibility_date and compatibility_flags of the top-level wrangler.toml environment. */
export async function readCompat(): Promise<{ date: string; flags: string[] }> {
  const toml = await readFile(path.join(ROOT, "wrangler.toml"), "utf8");
  const topLevel = toml.split(/^\[/m)[0] ?? "";
  const date = /^compatibility_date\s*=\s*"([^"]+)"/m.exec(topLevel)?.[1];
  const flags = /^compatibility_flags\s*=\s*\[([^\]]*)\]/m.exec(topLevel)?.[1];
  if (!date) throw new Error("wrangler.toml has no top-level compatibility_date");
  return { date, flags: flags ? [...flags.matchAll(/"([^"]+)"/g)].map((m) => m[1] as string) : [] };
}

/** Lines workerd printed (console.error of the app, uncaught exceptions), to tie errors to causes. */
export class ServerLog {
  readonly lines: string[] = [];
  mark(): number {
    return this.lines.length;
  }
  since(mark: number): string[] {
    return this.lines.slice(mark);
  }
  attach(stream: NodeJS.ReadableStream, echo: boolean) {
    let pending = "";
    stream.on("data", (chunk: Buffer) => {
      pending += chunk.toString();
      const parts = pending.split("\n");
      pending = parts.pop() ?? "";
      for (const line of parts) {
        if (!line.trim()) continue;
        this.lines.push(line);
        if (echo) process.stderr.write(`  [workerd] ${line.length > 400 ? `${line.slice(0, 400)}…` : line}\n`);
      }
    });
  }
}

export interface Servers {
  mf: Miniflare;
  appUrl: string;
  floorUrl: string;
  log: ServerLog;
  persistDir: string;
}

export interface ServeOptions {
  scriptPath: string;
  /** app on `port`, floor on `port + 1`; 0 picks free ports */
  port: number;
  devSecret: string;
  /** RX_SIGNING_KEY of the app: an Ed25519 private JWK (with kid) */
  signingKey: string;
  persistDir?: string;
  echoServerLog: boolean;
  /** workerd's V8 inspector on this port (bench/profile.ts takes CPU profiles through it) */
  inspectorPort?: number;
}

export async function startServers(opts: ServeOptions): Promise<Servers> {
  const compat = await readCompat();
  const persistDir = opts.persistDir ?? (await mkdtemp(path.join(tmpdir(), "yaolian-bench-d1-")));
  const log = new ServerLog();
  const common = {
    modules: true,
    compatibilityDate: compat.date,
    compatibilityFlags: compat.flags,
    // one database for both workers: same id, same persistence directory
    d1Databases: { DB: "yaolian-bench" },
  };
  const mf = new Miniflare({
    host: "127.0.0.1",
    port: 0,
    d1Persist: persistDir,
    // no fetch of the Request.cf object from workers.cloudflare.com: a fixed placeholder
    cf: false,
    ...(opts.inspectorPort ? { inspectorPort: opts.inspectorPort } : {}),
    log: new Log(LogLevel.WARN),
    handleRuntimeStdio(stdout: NodeJS.ReadableStream, stderr: NodeJS.ReadableStream) {
      log.attach(stdout, opts.echoServerLog);
      log.attach(stderr, opts.echoServerLog);
    },
    workers: [
      {
        ...common,
        name: "app",
        scriptPath: opts.scriptPath,
        modulesRoot: path.dirname(opts.scriptPath),
        bindings: { ENVIRONMENT: "bench", SERVER_TIMING: "1", DEV_LOGIN: "1", AUTH_DEV_SECRET: opts.devSecret, RX_SIGNING_KEY: opts.signingKey },
        // wrangler.toml's producer binding: signing enqueues outbox rows for external pharmacies
        // (none here: pickups route to the desk pharmacy). No consumer runs in the bench.
        queueProducers: { ORDER_QUEUE: "yaolian-pharmacy-outbox" },
        // a socket straight into this worker (no entry/router worker in front of it)
        unsafeDirectSockets: [{ host: "127.0.0.1", port: opts.port }],
      },
      {
        ...common,
        name: "floor",
        scriptPath: path.join(ROOT, "bench/floor-worker.js"),
        unsafeDirectSockets: [{ host: "127.0.0.1", port: opts.port === 0 ? 0 : opts.port + 1 }],
      },
    ],
  });
  try {
    await mf.ready;
  } catch (err) {
    await mf.dispose().catch(() => {});
    const tail = log.lines.slice(-15).join("\n  ");
    throw new Error(`${err instanceof Error ? err.message : String(err)}${tail ? `\nworkerd said:\n  ${tail}` : ""}`);
  }
  const appUrl = (await mf.unsafeGetDirectURL("app")).origin;
  const floorUrl = (await mf.unsafeGetDirectURL("floor")).origin;
  return { mf, appUrl, floorUrl, log, persistDir };
}

/** Applies schema/migrations/*.sql in order, statement by statement (drizzle-kit breakpoints). */
export async function applyMigrations(mf: Miniflare): Promise<string[]> {
  const dir = path.join(ROOT, "schema/migrations");
  const files = (await readdir(dir)).filter((f) => f.endsWith(".sql")).sort();
  const db = await mf.getD1Database("DB", "app");
  for (const file of files) {
    const sql = await readFile(path.join(dir, file), "utf8");
    // trigger bodies contain ';' so split only on drizzle-kit's breakpoints
    const statements = sql
      .split("--> statement-breakpoint")
      .map((s) => s.trim())
      .filter((s) => s.replace(/^--.*$/gm, "").trim() !== "");
    for (const statement of statements) {
      try {
        await db.prepare(statement).run();
      } catch (err) {
        throw new Error(`migration ${file} failed at:\n${statement.slice(0, 300)}\n${err instanceof Error ? err.message : String(err)}`);
      }
    }
  }
  return files;
}

export interface HttpResult {
  status: number;
  text: string;
  ms: number;
  headers: http.IncomingHttpHeaders;
}

/** One HTTP request with node:http (no fetch timeouts: a big import may take minutes). */
export function httpRequest(
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: string | Buffer; timeoutMs?: number; agent?: http.Agent } = {},
): Promise<HttpResult> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const body = init.body === undefined ? undefined : Buffer.isBuffer(init.body) ? init.body : Buffer.from(init.body);
    const req = http.request(
      url,
      {
        method: init.method ?? "GET",
        // a fresh connection each time: workerd drops idle keep-alive connections after a few
        // seconds, and a request written to such a socket fails (EPIPE / socket hang up)
        agent: init.agent ?? false,
        headers: { ...init.headers, ...(body ? { "content-length": String(body.byteLength) } : {}) },
        timeout: init.timeoutMs ?? 600_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8"), ms: performance.now() - started, headers: res.headers }));
        res.on("error", reject);
      },
    );
    req.on("timeout", () => req.destroy(new Error(`no answer within ${init.timeoutMs ?? 600_000} ms`)));
    req.on("error", reject);
    if (body) req.write(body);
    req.end();
  });
}

/** Polls with a real request until `accept(status)` holds (the socket may be up before the worker). */
export async function waitReady(url: string, accept: (status: number) => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = "";
  while (Date.now() < deadline) {
    try {
      const res = await httpRequest(url, { timeoutMs: 2000 });
      if (accept(res.status)) return;
      last = `HTTP ${res.status} ${res.text.slice(0, 200)}`;
    } catch (err) {
      last = err instanceof Error ? err.message : String(err);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} not ready after ${timeoutMs} ms: ${last}`);
}

export async function dirSize(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) total += (await stat(path.join(entry.parentPath, entry.name))).size;
  }
  return total;
}
