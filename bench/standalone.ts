/**
 * What the single-purpose bench scripts (import-only.ts, sign-latency.ts, profile.ts) share
 * with each other: the bundle (built, or reused as it is with BENCH_BUILD=0), the app and the
 * floor on a fresh D1 with every migration, a dev-token signer, and the clean-up whatever
 * happens. `npm run bench` (run.ts) does the same with its own reporting around it.
 */
import { rm } from "node:fs/promises";
import { env } from "node:process";
import { benchSigningKey } from "./rx.ts";
import { applyMigrations, type Bundle, buildWorker, describeBundle, type Servers, startServers, waitReady } from "./server.ts";

export const DEV_SECRET = "bench-dev-secret-not-for-production";

export type SignDevToken = (secret: string, p: { sub: string; role: string; org: string; name: string }) => Promise<string>;

export interface Standalone {
  bundle: Bundle;
  servers: Servers;
  /** the app's RX_SIGNING_KEY (fixtures sign history with it) */
  signingKey: string;
  /** a dev token for anyone, signed as the app checks it */
  token: (p: { sub: string; role: string; org: string; name: string }) => Promise<string>;
}

/** Serves the bundle on a fresh, migrated D1, runs `body`, and always disposes of it. */
export async function standalone(body: (s: Standalone) => Promise<void>, opts: { inspectorPort?: number } = {}): Promise<void> {
  const build = !/^(0|false|no)$/i.test(env.BENCH_BUILD ?? "1");
  const bundle = build ? await buildWorker("dist") : await describeBundle("dist");
  const signingKey = benchSigningKey();
  const servers = await startServers({ scriptPath: bundle.scriptPath, port: 0, devSecret: DEV_SECRET, signingKey, echoServerLog: env.BENCH_SERVER_LOG === "1", ...opts });
  try {
    await applyMigrations(servers.mf);
    await waitReady(`${servers.appUrl}/health`, (s) => s === 200);
    const { signDevToken } = (await import(new URL("../worker/http/dev-token.ts", import.meta.url).href)) as { signDevToken: SignDevToken };
    await body({ bundle, servers, signingKey, token: (p) => signDevToken(DEV_SECRET, p) });
  } finally {
    await servers.mf.dispose();
    await rm(servers.persistDir, { recursive: true, force: true });
  }
}

/** Runs a script's main: its error printed, the exit code 1. */
export function runScript(main: () => Promise<void>): void {
  main().catch((err) => {
    console.error(err);
    process.exitCode = 1;
  });
}
