/**
 * The real local stack for the browser tests: `wrangler dev` (as `npm start` runs it) on a
 * free port, over a fresh D1 in a temporary persistence folder, migrated and seeded the
 * way `npm start` does it. The repository's own .wrangler/state and .dev.vars are never
 * touched (the secrets come from .dev.vars.example, as on a clean clone), so a developer's
 * running `npm start` and its data are left alone.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { createWriteStream, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import os from "node:os";
import path from "node:path";
import { Miniflare } from "miniflare";
import { DEMO_CONSORTIUM } from "../../seeds/demo-consortium";
import { demoHistoryStatements } from "../../seeds/demo-history";
import { nemlSeed } from "../../seeds/neml/convert";
import { seedStatements } from "../../seeds/seed-sql";
import type { Bindings } from "../../worker/env";
import { getSigner } from "../../worker/prescriptions/signing";

export const ROOT = path.resolve(import.meta.dirname, "../..");
export const RESULTS = path.join(ROOT, "test-results");
const bin = (name: string) => path.join(ROOT, "node_modules", ".bin", name);
const ENV = { ...process.env, WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false", CI: process.env.CI ?? "1" };

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (address && typeof address === "object" ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

/** A value of .dev.vars.example, the file the e2e server takes its secrets from. */
function exampleVar(name: string): string {
  const text = readFileSync(path.join(ROOT, ".dev.vars.example"), "utf8");
  const value = new RegExp(`^${name}\\s*=\\s*'?([^'\\n]+)'?`, "m").exec(text)?.[1];
  if (!value) throw new Error(`${name} is not set in .dev.vars.example`);
  return value.trim();
}

async function seed(persistTo: string): Promise<void> {
  const toml = readFileSync(path.join(ROOT, "wrangler.toml"), "utf8");
  const databaseId = /database_id\s*=\s*"([^"]+)"/.exec(toml)?.[1];
  if (!databaseId) throw new Error("no database_id in wrangler.toml");
  const mf = new Miniflare({
    modules: true,
    script: "export default { fetch: () => new Response(null, { status: 404 }) }",
    d1Databases: { DB: databaseId },
    d1Persist: path.join(persistTo, "v3", "d1"),
  });
  try {
    const db = await mf.getD1Database("DB");
    const { entries } = nemlSeed(readFileSync(path.join(ROOT, "seeds/neml-2026/varieties.csv"), "utf8"));
    // as seeds/load.ts: the demo consortium, the formulary and pat-001's signed first long
    // prescription (seeds/demo-history.ts), which the renewal rests on
    const signer = await getSigner({ RX_SIGNING_KEY: exampleVar("RX_SIGNING_KEY") } as Bindings);
    const statements = [...seedStatements(entries, DEMO_CONSORTIUM, new Date().toISOString()), ...(await demoHistoryStatements(signer, entries, 1))];
    await db.batch(statements.map((s) => db.prepare(s.sql).bind(...s.params)));
  } finally {
    await mf.dispose();
  }
}

async function waitForHealth(url: string, server: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`wrangler dev exited with ${server.exitCode}; see test-results/e2e-server.log`);
    try {
      const res = await fetch(`${url}/health`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url}/health did not answer within ${timeoutMs} ms; see test-results/e2e-server.log`);
}

export interface Stack {
  url: string;
  stop(): Promise<void>;
}

export async function startStack(): Promise<Stack> {
  mkdirSync(RESULTS, { recursive: true });
  const persistTo = mkdtempSync(path.join(os.tmpdir(), "yaolian-e2e-"));
  const log = createWriteStream(path.join(RESULTS, "e2e-server.log"));
  execFileSync(bin("wrangler"), ["d1", "migrations", "apply", "DB", "--local", "--persist-to", persistTo], { cwd: ROOT, env: ENV, stdio: "pipe" });
  await seed(persistTo);

  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const server = spawn(
    bin("wrangler"),
    ["dev", "--port", String(port), "--ip", "127.0.0.1", "--inspector-port", String(await freePort()), "--persist-to", persistTo, "--env-file", ".dev.vars.example", "--show-interactive-dev-session=false", "--live-reload=false"],
    // its own process group, so teardown ends wrangler and the workerd it starts together
    { cwd: ROOT, env: ENV, stdio: ["ignore", "pipe", "pipe"], detached: true },
  );
  server.stdout?.pipe(log);
  server.stderr?.pipe(log);
  const stop = async () => {
    if (server.exitCode === null && server.pid) {
      const exited = new Promise((r) => server.once("exit", r));
      try {
        process.kill(-server.pid, "SIGTERM");
      } catch {
        // already gone
      }
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      if (server.exitCode === null) {
        try {
          process.kill(-server.pid, "SIGKILL");
        } catch {
          // already gone
        }
      }
    }
    log.end();
    rmSync(persistTo, { recursive: true, force: true });
  };
  try {
    await waitForHealth(url, server, 120_000);
  } catch (err) {
    await stop();
    throw err;
  }
  return { url, stop };
}
