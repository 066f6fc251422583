import { createApp } from "./app";
import { forEachConsortium, forEachConsortiumBatch } from "./db/tenancy";
import type { Bindings } from "./env";
import { consumeDeadLetters, consumeOutbox, OUTBOX_DLQ, OUTBOX_QUEUE } from "./pharmacy/outbox/outbox.consumer";
import { runScheduled } from "./pharmacy/scheduled";
import { runPinyinBackfill } from "./members/patients.backfill";

const app = createApp();

export default {
  fetch: app.fetch,

  /** Both consumers of wrangler.toml live in this worker: dispatch on the queue's name. */
  async queue(batch, env) {
    // messages carry their consortium: each part is consumed against its own database
    if (batch.queue === OUTBOX_QUEUE) return forEachConsortiumBatch(batch, env, consumeOutbox);
    if (batch.queue === OUTBOX_DLQ) return forEachConsortiumBatch(batch, env, (part, scoped) => consumeDeadLetters(part, scoped));
    console.error(JSON.stringify({ level: "error", msg: "message batch from an unknown queue", queue: batch.queue, count: batch.messages.length }));
    batch.retryAll({ delaySeconds: 300 });
  },

  async scheduled(controller, env) {
    const now = new Date(controller.scheduledTime);
    // every consortium in turn, each against its own database (one's failure is logged and does not stop the next)
    await forEachConsortium(env, async (scoped) => {
      await runScheduled(scoped, now);
      await runPinyinBackfill(scoped, now);
    });
  },
} satisfies ExportedHandler<Bindings>;
