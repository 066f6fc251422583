/**
 * The real local stack for the browser tests: the pages' bundles built, then `wrangler dev`
 * (as `npm start` runs it) on a free port, over a fresh D1 in a temporary persistence
 * folder, migrated and seeded the way `npm start` does it. The repository's own
 * .wrangler/state and .dev.vars are never touched (the secrets come from .dev.vars.example,
 * as on a clean clone), so a developer's running `npm start` and its data are left alone.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { createWriteStream, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import os from "node:os";
import path from "node:path";
import { buildUi } from "../../scripts/build-ui.ts";
import { ROOT, seedLocalD1 } from "../../seeds/local-seed";

export { ROOT };
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

export interface StackOptions {
  /** a port chosen beforehand (an identity provider must know the redirect URI before the worker starts) */
  port?: number;
  /** variables added to .dev.vars.example's; the stack then runs without DEV_LOGIN, as a deployment would */
  vars?: Record<string, string>;
  /** the server log's name in test-results/ */
  logName?: string;
}

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  mkdirSync(RESULTS, { recursive: true });
  const persistTo = mkdtempSync(path.join(os.tmpdir(), "yaolian-e2e-"));
  const log = createWriteStream(path.join(RESULTS, options.logName ?? "e2e-server.log"));
  let envFile = ".dev.vars.example";
  if (options.vars) {
    envFile = path.join(persistTo, ".dev.vars");
    const base = readFileSync(path.join(ROOT, ".dev.vars.example"), "utf8").split("\n").filter((line) => !line.startsWith("DEV_LOGIN="));
    writeFileSync(envFile, [...base, ...Object.entries(options.vars).map(([k, v]) => `${k}=${v}`)].join("\n"));
  }
  await buildUi(); // npm test has built them already; this covers running the browser tests alone
  execFileSync(bin("wrangler"), ["d1", "migrations", "apply", "DB", "--local", "--persist-to", persistTo], { cwd: ROOT, env: ENV, stdio: "pipe" });
  await seedLocalD1(persistTo, [path.join(ROOT, ".dev.vars.example")]);

  const port = options.port ?? (await freePort());
  const url = `http://127.0.0.1:${port}`;
  const server = spawn(
    bin("wrangler"),
    ["dev", "--port", String(port), "--ip", "127.0.0.1", "--inspector-port", String(await freePort()), "--persist-to", persistTo, "--env-file", envFile, "--show-interactive-dev-session=false", "--live-reload=false"],
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
