CREATE TABLE `review_items` (
	`sample_id` text NOT NULL,
	`prescription_id` text NOT NULL,
	`month` text NOT NULL,
	`institution_id` text NOT NULL,
	`prescriber_id` text NOT NULL,
	`outcome` text,
	`problems` text NOT NULL,
	`note` text,
	`reviewer_id` text,
	`reviewed_at` text,
	`version` integer NOT NULL,
	PRIMARY KEY(`sample_id`, `prescription_id`)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `review_items_prescription` ON `review_items` (`prescription_id`);--> statement-breakpoint
CREATE INDEX `review_items_institution_month` ON `review_items` (`institution_id`,`month`);--> statement-breakpoint
CREATE INDEX `review_items_prescriber_month` ON `review_items` (`prescriber_id`,`month`);--> statement-breakpoint
CREATE TABLE `review_samples` (
	`id` text PRIMARY KEY NOT NULL,
	`month` text NOT NULL,
	`institution_id` text NOT NULL,
	`size` integer NOT NULL,
	`population` integer NOT NULL,
	`seed` text NOT NULL,
	`status` text NOT NULL,
	`drawn_at` text NOT NULL,
	`drawn_by` text NOT NULL,
	`closed_at` text,
	`closed_by` text,
	`version` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `review_samples_month_institution` ON `review_samples` (`month`,`institution_id`);--> statement-breakpoint
CREATE INDEX `audit_events_actor` ON `audit_events` (`actor_id`,`id`);--> statement-breakpoint
CREATE INDEX `audit_events_at` ON `audit_events` (`at`);