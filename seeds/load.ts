/**
 * `npm start`'s seeding step: loads the demo seed into the local D1 when it is empty
 * (bound and batched through Miniflare: `wrangler d1 execute --file` needs minutes to
 * split a seed this size). Run again on a seeded database: does nothing.
 */
import path from "node:path";
import { ROOT, seedLocalD1 } from "./local-seed";

const result = await seedLocalD1(path.join(ROOT, ".wrangler", "state"), [path.join(ROOT, ".dev.vars"), path.join(ROOT, ".dev.vars.example")]);
console.log(
  result.seeded
    ? `[seed] loaded ${result.entries} formulary entries (${result.unparsed} NEML items reported unparsed: seeds/neml/NOTES.md) and the demo consortium (seeds/README.md)`
    : "[seed] local database already seeded; nothing to do",
);
