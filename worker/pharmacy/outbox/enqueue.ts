import type { OutboxMessage } from "../../env";

/**
 * Sends outbox ids to the queue after the batch that wrote them committed. A failure here
 * loses nothing: the rows stay pending and the cron sweep sends them again.
 */
export async function enqueueOutbox(queue: Queue<OutboxMessage>, outboxIds: string[]): Promise<void> {
  if (outboxIds.length === 0) return;
  try {
    await queue.sendBatch(outboxIds.map((outboxId) => ({ body: { outboxId } })));
  } catch (err) {
    console.error(JSON.stringify({ level: "warn", msg: "outbox enqueue failed; the sweep will resend", count: outboxIds.length, error: err instanceof Error ? err.message : "unknown" }));
  }
}
