/**
 * Prints a development token: npm run token -- --role doctor --sub <id> --org <institution id> [--name 名字] [--expires 12h]
 * Signed with AUTH_DEV_SECRET from .dev.vars (or .dev.vars.example).
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { Role } from "../worker/http/auth";
import { signDevToken } from "../worker/http/dev-token";

const root = path.resolve(import.meta.dirname, "..");
const { values } = parseArgs({
  options: {
    role: { type: "string" },
    sub: { type: "string" },
    org: { type: "string" },
    name: { type: "string", default: "" },
    expires: { type: "string", default: "12h" },
  },
});

function devSecret(): string {
  if (process.env.AUTH_DEV_SECRET) return process.env.AUTH_DEV_SECRET;
  for (const file of [".dev.vars", ".dev.vars.example"]) {
    const full = path.join(root, file);
    if (!existsSync(full)) continue;
    const match = /^AUTH_DEV_SECRET\s*=\s*"?([^"\n]+)"?/m.exec(readFileSync(full, "utf8"));
    if (match?.[1]) return match[1].trim();
  }
  throw new Error("AUTH_DEV_SECRET not found in the environment, .dev.vars or .dev.vars.example");
}

const role = Role.safeParse(values.role);
if (!role.success || !values.sub || !values.org) {
  console.error("usage: npm run token -- --role doctor|pharmacist|admin --sub <user id> --org <institution or pharmacy id> [--name <name>]");
  process.exit(2);
}
console.log(await signDevToken(devSecret(), { role: role.data, sub: values.sub, org: values.org, name: values.name ?? "" }, values.expires));
