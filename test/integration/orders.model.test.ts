/**
 * Model-based test of orders and instalments (issue 11): fast-check drives the real worker
 * (workerd, real D1, the fake external pharmacy) through random sequences of signings
 * (normal and long prescriptions in instalments, pickup and delivery, the cloud pharmacy's
 * desk and the external pharmacy), desk actions, signed callbacks (replayed and out of
 * order), the doctor's cancellations and change-request decisions, and cron ticks on a
 * clock moved forward. After every command the pure model (orders-model/) and D1 must
 * agree, and the invariants hold: legal steps only, every timeline replays to its order's
 * status, items and rounds, nothing supplied or dispensed beyond the prescription, refusals
 * are problem+json 4xx that change nothing, never a 5xx.
 */
import { env } from "cloudflare:workers";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { runScheduled } from "../../worker/pharmacy/scheduled";
import { useScenario } from "../support/fake-pharmacy.client";
import { loadDemoSeed } from "../support/seed";
import { aVbpAmlodipine } from "./change-requests.fixtures";
import { commandArbitrary, coverage, type Real, signArbitrary } from "./orders-model/commands";
import { DAY_MS, emptyModel } from "./orders-model/model";
import { invariantViolations, readSnapshot } from "./orders-model/snapshot";

const RUNS = 50;
const MAX_COMMANDS = 25;
const REQUIRED = [
  "reached picked_up",
  "reached delivered",
  "reached awaiting_stock",
  "reached expired",
  "reached returned",
  "reached rejected",
  "reached change_requested",
  "tick released true",
  "callback 200",
  "callback 409",
  "replay-callback 200",
  "handover 409",
  "dispense 422",
  "doctor-cancel 409",
];
/** Far enough ahead that every instalment of an earlier run is released and every ready order expired. */
const BEYOND_EVERY_RUN = 400 * DAY_MS;

describe("orders and instalments, model-based", () => {
  let real: Real;
  beforeAll(async () => {
    await loadDemoSeed();
    const scenario = await useScenario("orders-model");
    real = { secret: scenario.secret, vbp: await aVbpAmlodipine() };
  });

  it(`keeps ${RUNS} random sequences of up to ${MAX_COMMANDS} commands legal, within the prescription and replayable`, async () => {
    await fc.assert(
      fc.asyncProperty(
        // every run starts with one to three prescriptions, so its commands have orders to work on
        fc.array(signArbitrary, { minLength: 1, maxLength: 3 }),
        fc.commands([commandArbitrary], { maxCommands: MAX_COMMANDS, size: "max" }),
        async (signings, cmds) => {
          // an earlier run's orders must not be released or expired by this run's cron ticks
          await runScheduled(env, new Date(Date.now() + BEYOND_EVERY_RUN));
          await fc.asyncModelRun(() => ({ model: emptyModel(), real }), [...signings, ...cmds]);
        },
      ),
      { seed: 20261206, numRuns: RUNS, endOnFailure: false },
    );
    console.log(JSON.stringify({ coverage: Object.fromEntries([...coverage.entries()].sort()) }));
    // the runs went deep enough to mean something: every end of an order, restock rounds, replays and refusals
    for (const seen of REQUIRED) expect(coverage.get(seen) ?? 0, `runs never saw ${seen}`).toBeGreaterThan(0);
    // every order any run left behind, whatever happened to it afterwards
    const all = await readSnapshot(null);
    expect(all.orders.size).toBeGreaterThan(RUNS);
    // the audit trail was there to replay: the orders' own rows and the doctors' cancellations naming orders
    const trail = [...all.audit.values()].flat();
    expect(trail.filter((a) => a.action.startsWith("order.") && a.after !== null).length).toBeGreaterThan(RUNS);
    expect(trail.some((a) => a.action === "prescription.cancel")).toBe(true);
    expect(invariantViolations(all)).toEqual([]);
  }, 600_000);
});
