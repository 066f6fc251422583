DROP INDEX `formulary_entries_atc`;--> statement-breakpoint
DROP INDEX `formulary_entry_versions_fv`;