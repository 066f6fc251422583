#!/usr/bin/env node
// `npm start`: local D1 migrated and seeded, then `wrangler dev` on PORT (default 8787).
import { execFileSync, spawn } from "node:child_process";
import { copyFileSync, existsSync } from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const bin = (name) => path.join(root, "node_modules", ".bin", name);
const port = process.env.PORT ?? "8787";
const env = {
  ...process.env,
  WRANGLER_SEND_METRICS: "false",
  CLOUDFLARE_CF_FETCH_ENABLED: "false",
  CI: process.env.CI ?? "1", // no interactive prompts from wrangler
};
const run = (cmd, args) => execFileSync(cmd, args, { cwd: root, env, stdio: "inherit" });

if (!existsSync(path.join(root, ".dev.vars"))) {
  copyFileSync(path.join(root, ".dev.vars.example"), path.join(root, ".dev.vars"));
  console.log("[start] created .dev.vars from .dev.vars.example (development secret)");
}
run(bin("wrangler"), ["d1", "migrations", "apply", "DB", "--local"]);
run(bin("tsx"), ["seeds/load.ts"]);

console.log(`[start] YaoLian on http://localhost:${port}  (API docs: http://localhost:${port}/api/docs)`);
const dev = spawn(bin("wrangler"), ["dev", "--port", port, "--ip", "127.0.0.1", "--inspector-port", process.env.INSPECTOR_PORT ?? "0"], {
  cwd: root,
  env,
  stdio: "inherit",
});
for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => dev.kill(sig));
dev.on("exit", (code) => process.exit(code ?? 0));
