import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { describeRequest, type FuzzContext, operationsOf, type Sender, startFuzzing, statusSummary, violations } from "../support/fuzz/harness";
import { echoes, followedTwice, ifMatchFor, type Injection, injectingRequestArb, refusesInjected, rereadOf, serverFields } from "../support/fuzz/server-fields";

/** Fixed: a failure replays with the seed fast-check prints. */
const SEED = 4_40_2026;
const RUNS_PER_OPERATION = 30;

/**
 * No server-owned field is settable by a client: for every write operation, the fields its
 * answer has and its request schema lacks (id, version, timestamps, status, contentHash,
 * signature …) are sent with client values next to a schema-valid body; neither the answer
 * nor the row read back may carry them.
 */
describe("fuzzing server-owned fields", () => {
  let sender: Sender;
  let ctx: FuzzContext;
  beforeAll(async () => {
    ({ sender, ctx } = await startFuzzing());
  });

  it("never takes a client's value for a field the server owns", { timeout: 600_000 }, async () => {
    const writes = operationsOf(ctx.doc).filter((op) => op.body?.type.includes("json") && op.success && serverFields(op, ctx).length > 0);
    expect(writes.length).toBeGreaterThanOrEqual(25);
    const accepted = new Map<string, number>();
    const refused = new Map<string, number>();
    for (const [i, op] of writes.entries()) {
      const fields = serverFields(op, ctx);
      const reread = rereadOf(op, ctx);
      const echoed: Injection[] = [];
      await fc.assert(
        fc.asyncProperty(injectingRequestArb(op, ctx, fields), async ({ req, injected }) => {
          if (op.headers.some((h) => h.name === "if-match")) {
            const etag = await ifMatchFor(sender, req);
            if (etag) req.headers["if-match"] = etag;
          }
          const res = await sender.send(req);
          const wrong = violations(res);
          if (wrong.length) throw new Error(`${wrong.join("; ")}\n  request: ${describeRequest(req)}\n  answer: ${res.status} ${res.text.slice(0, 400)}`);
          if (res.status >= 300) {
            // a strict request schema refuses the whole request, naming the server's fields it was sent
            if (refusesInjected(res.text, injected)) refused.set(op.name, (refused.get(op.name) ?? 0) + 1);
            return;
          }
          accepted.set(op.name, (accepted.get(op.name) ?? 0) + 1);
          const body = res.text ? JSON.parse(res.text) : undefined;
          const found = echoes(injected, body, "answer");
          if (reread) {
            const id = op.method === "POST" ? (body as { id?: string } | undefined)?.id : undefined;
            const url = op.method === "POST" ? (id ? `${req.url}/${encodeURIComponent(id)}` : undefined) : req.url;
            if (url) {
              const again = await sender.send({ caller: reread.roles.includes("admin") ? "admin" : req.caller, method: "GET", url, headers: {}, kind: "re-read" });
              if (again.status === 200) found.push(...echoes(injected, JSON.parse(again.text), "re-read"));
            }
          }
          echoed.push(...found);
          const settable = followedTwice(echoed);
          if (settable.length) {
            const list = settable.map((e) => `${e.field.within ? `${e.field.within}.` : ""}${e.field.name}=${JSON.stringify(e.value)} (${e.where})`);
            throw new Error(`client set server-owned ${list.join(", ")}\n  request: ${describeRequest(req)}`);
          }
        }),
        { seed: SEED + i, numRuns: RUNS_PER_OPERATION, endOnFailure: false },
      );
    }
    const summary = writes.map((op) => `${op.name}: ${accepted.get(op.name) ?? 0} accepted without the injected values, ${refused.get(op.name) ?? 0} refused for them, of ${RUNS_PER_OPERATION}`);
    console.log(`fuzz-server-fields: ${sender.count} requests, seed ${SEED}; answers ${statusSummary(sender)}\n${summary.join("\n")}`);
    expect(sender.count).toBeGreaterThanOrEqual(writes.length * RUNS_PER_OPERATION);
    // with fuzz-valid (≥ 4,000) and fuzz-mutated (≥ 5,000): at least 10,000 requests in all
    expect(sender.count).toBeGreaterThanOrEqual(1_000);
    // the property is only as strong as the evidence: each write operation either took such a
    // request and dropped the values, or refused it for them; the callback route is the one
    // exception (its body is read only after a valid HMAC signature, which the fuzzer has not)
    const unproven = writes.filter((op) => !accepted.has(op.name) && !refused.has(op.name)).map((op) => op.name);
    expect(unproven).toEqual(["POST /pharmacy-callbacks/{pharmacyId}"]);
  });
});
