import { beforeAll, describe, expect, it } from "vitest";
import { type FuzzContext, fuzzOperation, operationsOf, type Sender, startFuzzing, statusSummary, validRequestArb } from "../support/fuzz/harness";

/** Fixed: a failure replays with the seed fast-check prints. */
const SEED = 20261206;
const RUNS_PER_OPERATION = 45;

/**
 * Schema-valid requests (from the same zod schemas, through the app's OpenAPI document) to
 * every operation, by every kind of caller: zero 5xx, every error well-formed problem+json.
 */
describe("fuzzing with schema-valid requests", () => {
  let sender: Sender;
  let ctx: FuzzContext;
  beforeAll(async () => {
    ({ sender, ctx } = await startFuzzing());
  });

  it("covers every operation of the document", () => {
    expect(operationsOf(ctx.doc).length).toBeGreaterThanOrEqual(80);
  });

  it("answers every operation without a 5xx and with well-formed errors", { timeout: 600_000 }, async () => {
    const ops = operationsOf(ctx.doc);
    for (const [i, op] of ops.entries()) await fuzzOperation(sender, validRequestArb(op, ctx), { seed: SEED + i, numRuns: RUNS_PER_OPERATION });
    expect(sender.count).toBeGreaterThanOrEqual(ops.length * RUNS_PER_OPERATION);
    // with fuzz-mutated (≥ 5,000) and fuzz-server-fields (≥ 1,000): at least 10,000 requests in all
    expect(sender.count).toBeGreaterThanOrEqual(4_000);
    console.log(`fuzz-valid: ${sender.count} requests over ${ops.length} operations, seed ${SEED}; answers ${statusSummary(sender)}`);
  });
});
