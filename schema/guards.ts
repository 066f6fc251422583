import { sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * Never holds a row. D1 has no interactive transactions, so a batch asserts "the previous
 * statement changed a row" with INSERT INTO batch_guards SELECT NULL WHERE changes() = 0:
 * the NOT NULL violation rolls the whole batch back (see worker/db/guard.ts).
 */
export const batchGuards = sqliteTable("batch_guards", {
  mustNotBeNull: text("must_not_be_null").notNull(),
});
