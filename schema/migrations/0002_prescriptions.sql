CREATE TABLE `idempotency_keys` (
	`scope` text NOT NULL,
	`key` text NOT NULL,
	`request_hash` text NOT NULL,
	`state` text NOT NULL,
	`owner` text NOT NULL,
	`response_status` integer,
	`response_body` text,
	`created_at` text NOT NULL,
	PRIMARY KEY(`scope`, `key`)
);
--> statement-breakpoint
CREATE TABLE `prescription_items` (
	`prescription_id` text NOT NULL,
	`idx` integer NOT NULL,
	`patient_id` text NOT NULL,
	`institution_id` text NOT NULL,
	`drug_code` text NOT NULL,
	`generic_name` text NOT NULL,
	`atc` text,
	`start_date` text NOT NULL,
	`end_date` text NOT NULL,
	`days` integer NOT NULL,
	`packages` integer NOT NULL,
	`active` integer NOT NULL,
	PRIMARY KEY(`prescription_id`, `idx`),
	FOREIGN KEY (`prescription_id`) REFERENCES `prescriptions`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `prescription_items_supply` ON `prescription_items` (`patient_id`,`end_date`);--> statement-breakpoint
CREATE TABLE `prescriptions` (
	`id` text PRIMARY KEY NOT NULL,
	`patient_id` text NOT NULL,
	`prescriber_id` text NOT NULL,
	`institution_id` text NOT NULL,
	`kind` text NOT NULL,
	`written_at` text NOT NULL,
	`days` integer NOT NULL,
	`long_term_first_issue` integer,
	`status` text NOT NULL,
	`content` text NOT NULL,
	`content_hash` text NOT NULL,
	`signature` text NOT NULL,
	`signature_key_id` text NOT NULL,
	`formulary_version` integer NOT NULL,
	`findings` text NOT NULL,
	`created_at` text NOT NULL,
	`cancelled_at` text,
	`cancelled_by` text,
	`cancel_reason` text,
	`version` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `prescriptions_patient` ON `prescriptions` (`patient_id`,`kind`,`written_at`);--> statement-breakpoint
CREATE INDEX `prescriptions_institution` ON `prescriptions` (`institution_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `interactions` (
	`id` text PRIMARY KEY NOT NULL,
	`a_atc_prefix` text,
	`a_name` text,
	`b_atc_prefix` text,
	`b_name` text,
	`severity` text NOT NULL,
	`note` text NOT NULL,
	`source` text NOT NULL,
	`updated_at` text NOT NULL,
	`updated_by` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `batch_guards` (
	`must_not_be_null` text NOT NULL
);
