/**
 * Prints the rollups' SQL (worker/reports/rollups.sql.ts) as migration statements, to append
 * to a migration: `tsx scripts/rollups-sql.ts >> <0012 after drizzle's tables>.sql` (triggers
 * and backfill), `tsx scripts/rollups-sql.ts turnaround >> <custom migration>.sql` (0013),
 * `tsx scripts/rollups-sql.ts monthly >> <0016 after drizzle's tables>.sql`.
 */
import { migrationSql, monthlyRollupsSql, rollupMigrationSql, turnaroundRebuildSql } from "../worker/reports/rollups.sql";

const part = process.argv[2];
process.stdout.write(
  part === "turnaround"
    ? migrationSql(turnaroundRebuildSql())
    : part === "monthly"
      ? `--> statement-breakpoint\n${migrationSql(monthlyRollupsSql())}`
      : `--> statement-breakpoint\n${rollupMigrationSql()}`,
);
