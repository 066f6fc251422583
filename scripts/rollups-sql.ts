/**
 * Prints the rollups' SQL (worker/reports/rollups.sql.ts) as migration statements, to append
 * to a migration: `tsx scripts/rollups-sql.ts >> <0012 after drizzle's tables>.sql` (triggers
 * and backfill), `tsx scripts/rollups-sql.ts turnaround >> <custom migration>.sql` (0013).
 */
import { migrationSql, rollupMigrationSql, turnaroundRebuildSql } from "../worker/reports/rollups.sql";

process.stdout.write(process.argv[2] === "turnaround" ? migrationSql(turnaroundRebuildSql()) : `--> statement-breakpoint\n${rollupMigrationSql()}`);
