import { createApp } from "./app";
import type { Bindings } from "./env";
import { consumeDeadLetters, consumeOutbox, OUTBOX_DLQ, OUTBOX_QUEUE } from "./pharmacy/outbox/outbox.consumer";
import { runScheduled } from "./pharmacy/scheduled";
import { runPinyinBackfill } from "./members/patients.backfill";

const app = createApp();

export default {
  fetch: app.fetch,

  /** Both consumers of wrangler.toml live in this worker: dispatch on the queue's name. */
  async queue(batch, env) {
    if (batch.queue === OUTBOX_QUEUE) return consumeOutbox(batch, env);
    if (batch.queue === OUTBOX_DLQ) return consumeDeadLetters(batch, env);
    console.error(JSON.stringify({ level: "error", msg: "message batch from an unknown queue", queue: batch.queue, count: batch.messages.length }));
    batch.retryAll({ delaySeconds: 300 });
  },

  async scheduled(controller, env) {
    const now = new Date(controller.scheduledTime);
    await runScheduled(env, now);
    await runPinyinBackfill(env, now);
  },
} satisfies ExportedHandler<Bindings>;
