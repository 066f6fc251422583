#!/usr/bin/env node
// `npm start`: the pages' browser bundles built, local D1 migrated and seeded, then `wrangler dev` on PORT (default 8787).
import { execFileSync, spawn } from "node:child_process";
import { appendFileSync, copyFileSync, existsSync, readFileSync } from "node:fs";
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

const devVars = path.join(root, ".dev.vars");
const example = path.join(root, ".dev.vars.example");
if (!existsSync(devVars)) {
  copyFileSync(example, devVars);
  console.log("[start] created .dev.vars from .dev.vars.example (development secrets)");
} else {
  // an older .dev.vars may lack variables added since: append them, keep the rest
  const names = (text) => new Set([...text.matchAll(/^([A-Z_][A-Z0-9_]*)\s*=/gm)].map((m) => m[1]));
  const have = names(readFileSync(devVars, "utf8"));
  const missing = readFileSync(example, "utf8").split("\n").filter((line) => /^[A-Z_]/.test(line) && !have.has(line.split("=")[0].trim()));
  if (missing.length) {
    appendFileSync(devVars, `\n${missing.join("\n")}\n`);
    console.log(`[start] added to .dev.vars: ${missing.map((l) => l.split("=")[0]).join(", ")}`);
  }
}
run(bin("tsx"), ["scripts/build-ui.ts"]);
// every consortium's database (one D1 binding each, wrangler.toml), not only DB
run(process.execPath, ["scripts/migrate-all.mjs", "--local"]);
run(bin("tsx"), ["seeds/load.ts"]);

console.log(`[start] YaoLian on http://localhost:${port}  (API docs: http://localhost:${port}/api/docs)`);
const dev = spawn(bin("wrangler"), ["dev", "--port", port, "--ip", "127.0.0.1", "--inspector-port", process.env.INSPECTOR_PORT ?? "0"], {
  cwd: root,
  env,
  stdio: "inherit",
});
for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => dev.kill(sig));
dev.on("exit", (code) => process.exit(code ?? 0));
