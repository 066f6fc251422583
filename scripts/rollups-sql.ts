/**
 * Prints the rollups' triggers and backfill (worker/reports/rollups.sql.ts) as migration SQL,
 * to append to a migration after drizzle's CREATE TABLEs: `tsx scripts/rollups-sql.ts >> <migration>.sql`.
 */
import { rollupMigrationSql } from "../worker/reports/rollups.sql";

process.stdout.write(`--> statement-breakpoint\n${rollupMigrationSql()}`);
