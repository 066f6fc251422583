CREATE TABLE `formulary_import_chunks` (
	`job_id` text NOT NULL,
	`seq` integer NOT NULL,
	`sha256` text NOT NULL,
	`rows` integer NOT NULL,
	`created` integer NOT NULL,
	`updated` integer NOT NULL,
	`unchanged` integer NOT NULL,
	`rejected` integer NOT NULL,
	`received_at` text NOT NULL,
	PRIMARY KEY(`job_id`, `seq`)
);
--> statement-breakpoint
CREATE TABLE `formulary_import_jobs` (
	`id` text PRIMARY KEY NOT NULL,
	`created_by` text NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`expires_at` text NOT NULL,
	`file_name` text NOT NULL,
	`format` text NOT NULL,
	`expected_chunks` integer NOT NULL,
	`expected_rows` integer,
	`chunk_rows` integer NOT NULL,
	`status` text NOT NULL,
	`chunks_received` integer DEFAULT 0 NOT NULL,
	`rows_staged` integer DEFAULT 0 NOT NULL,
	`created` integer DEFAULT 0 NOT NULL,
	`updated` integer DEFAULT 0 NOT NULL,
	`unchanged` integer DEFAULT 0 NOT NULL,
	`rejected` integer DEFAULT 0 NOT NULL,
	`target_version` integer,
	`publish_cursor` integer DEFAULT 0 NOT NULL,
	`published_created` integer DEFAULT 0 NOT NULL,
	`published_updated` integer DEFAULT 0 NOT NULL,
	`published_unchanged` integer DEFAULT 0 NOT NULL,
	`published_at` text,
	`published_by` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `formulary_import_jobs_one_publishing` ON `formulary_import_jobs` (`status`) WHERE status = 'publishing';--> statement-breakpoint
CREATE INDEX `formulary_import_jobs_expiry` ON `formulary_import_jobs` (`status`,`expires_at`);--> statement-breakpoint
CREATE TABLE `formulary_import_rows` (
	`job_id` text NOT NULL,
	`row` integer NOT NULL,
	`seq` integer NOT NULL,
	`code` text,
	`outcome` text NOT NULL,
	`version` integer,
	`issues` text,
	`input` text,
	PRIMARY KEY(`job_id`, `row`)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `formulary_import_rows_code` ON `formulary_import_rows` (`job_id`,`code`) WHERE outcome <> 'rejected';