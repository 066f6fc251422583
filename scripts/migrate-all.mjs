#!/usr/bin/env node
// Applies schema/migrations to EVERY consortium's D1 binding (one D1 database per consortium, worker/db/tenancy.ts):
//   node scripts/migrate-all.mjs --local                      the bindings of wrangler.toml's top level (npm start)
//   node scripts/migrate-all.mjs --remote --env production    the bindings of [env.production] (npm run deploy)
// The bindings are read from wrangler.toml's [[d1_databases]] tables of that environment, so adding a consortium is
// one [[..d1_databases]] table plus its entry in CONSORTIA; one binding failing stops the run (the deploy must not go on).
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const args = process.argv.slice(2);
const envIndex = args.indexOf("--env");
const envName = envIndex >= 0 ? args[envIndex + 1] : null;
const where = args.includes("--remote") ? "--remote" : "--local";

/** The `binding = "..."` of each [[d1_databases]] table (or [[env.<name>.d1_databases]]) in wrangler.toml. */
export function d1Bindings(toml, environment) {
  const header = environment ? `[[env.${environment}.d1_databases]]` : "[[d1_databases]]";
  const bindings = [];
  let inTable = false;
  for (const raw of toml.split("\n")) {
    const line = raw.trim();
    if (line.startsWith("[")) inTable = line === header;
    const match = inTable ? /^binding\s*=\s*"([A-Z][A-Z0-9_]*)"/.exec(line) : null;
    if (match) bindings.push(match[1]);
  }
  return bindings;
}

const bindings = d1Bindings(readFileSync(path.join(root, "wrangler.toml"), "utf8"), envName);
if (bindings.length === 0) {
  console.error(`[migrate-all] no D1 bindings for ${envName ? `env ${envName}` : "the top level"} in wrangler.toml`);
  process.exit(1);
}
for (const binding of bindings) {
  console.log(`[migrate-all] ${binding} ${where}${envName ? ` --env ${envName}` : ""}`);
  execFileSync(path.join(root, "node_modules", ".bin", "wrangler"), ["d1", "migrations", "apply", binding, where, ...(envName ? ["--env", envName] : [])], {
    cwd: root,
    stdio: "inherit",
    env: { ...process.env, CI: process.env.CI ?? "1" },
  });
}
