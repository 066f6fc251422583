-- snapshot becomes NULL-able: the current version is read from formulary_entries (no foreign
-- key references this table, so the rebuild needs no PRAGMA).
CREATE TABLE `__new_formulary_entry_versions` (
	`code` text NOT NULL,
	`version` integer NOT NULL,
	`formulary_version` integer NOT NULL,
	`status` text NOT NULL,
	`effective_from` text NOT NULL,
	`change` text NOT NULL,
	`snapshot` text,
	`changed_at` text NOT NULL,
	`changed_by` text NOT NULL,
	`import_id` text,
	PRIMARY KEY(`code`, `version`)
);
--> statement-breakpoint
INSERT INTO `__new_formulary_entry_versions`("code", "version", "formulary_version", "status", "effective_from", "change", "snapshot", "changed_at", "changed_by", "import_id") SELECT "code", "version", "formulary_version", "status", "effective_from", "change", "snapshot", "changed_at", "changed_by", "import_id" FROM `formulary_entry_versions`;--> statement-breakpoint
DROP TABLE `formulary_entry_versions`;--> statement-breakpoint
ALTER TABLE `__new_formulary_entry_versions` RENAME TO `formulary_entry_versions`;
