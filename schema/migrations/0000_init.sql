CREATE TABLE `audit_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`at` text NOT NULL,
	`actor_id` text NOT NULL,
	`actor_role` text NOT NULL,
	`actor_org` text NOT NULL,
	`action` text NOT NULL,
	`entity_type` text NOT NULL,
	`entity_id` text NOT NULL,
	`before` text,
	`after` text,
	`request_id` text
);
--> statement-breakpoint
CREATE INDEX `audit_events_entity` ON `audit_events` (`entity_type`,`entity_id`,`id`);--> statement-breakpoint
CREATE TABLE `formulary_entries` (
	`code` text PRIMARY KEY NOT NULL,
	`generic_name` text NOT NULL,
	`inn_name` text,
	`pinyin` text NOT NULL,
	`form` text NOT NULL,
	`strength_value` real NOT NULL,
	`strength_unit` text NOT NULL,
	`pack_size` real NOT NULL,
	`pack_unit` text NOT NULL,
	`route` text NOT NULL,
	`atc` text,
	`nhsa_code` text,
	`neml_category` text,
	`essential` integer NOT NULL,
	`insurance_class` text,
	`vbp` integer NOT NULL,
	`specialist_only` integer NOT NULL,
	`control_class` text,
	`antimicrobial` text,
	`anti_tb` integer NOT NULL,
	`storage` text NOT NULL,
	`long_rx_eligible` integer NOT NULL,
	`conditions` text NOT NULL,
	`min_level` text NOT NULL,
	`max_daily_dose_value` real,
	`max_daily_dose_unit` text,
	`price_fen` integer,
	`free_programme` integer NOT NULL,
	`status` text NOT NULL,
	`effective_from` text NOT NULL,
	`version` integer NOT NULL,
	`updated_at` text NOT NULL,
	`updated_by` text NOT NULL,
	`search_terms` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `formulary_entries_pinyin` ON `formulary_entries` (`pinyin`,`code`);--> statement-breakpoint
CREATE INDEX `formulary_entries_generic_name` ON `formulary_entries` (`generic_name`);--> statement-breakpoint
CREATE INDEX `formulary_entries_atc` ON `formulary_entries` (`atc`);--> statement-breakpoint
CREATE TABLE `formulary_entry_versions` (
	`code` text NOT NULL,
	`version` integer NOT NULL,
	`formulary_version` integer NOT NULL,
	`status` text NOT NULL,
	`effective_from` text NOT NULL,
	`change` text NOT NULL,
	`snapshot` text NOT NULL,
	`changed_at` text NOT NULL,
	`changed_by` text NOT NULL,
	`import_id` text,
	PRIMARY KEY(`code`, `version`)
);
--> statement-breakpoint
CREATE INDEX `formulary_entry_versions_fv` ON `formulary_entry_versions` (`formulary_version`);--> statement-breakpoint
CREATE TABLE `formulary_imports` (
	`id` text PRIMARY KEY NOT NULL,
	`at` text NOT NULL,
	`by` text NOT NULL,
	`format` text NOT NULL,
	`formulary_version` integer NOT NULL,
	`summary` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `formulary_meta` (
	`id` integer PRIMARY KEY NOT NULL,
	`version` integer NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `institutions` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`level` text NOT NULL,
	`region` text NOT NULL,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `patient_allergies` (
	`id` text PRIMARY KEY NOT NULL,
	`patient_id` text NOT NULL,
	`substance` text NOT NULL,
	`atc_prefix` text,
	`reaction` text,
	FOREIGN KEY (`patient_id`) REFERENCES `patients`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `patient_allergies_patient` ON `patient_allergies` (`patient_id`);--> statement-breakpoint
CREATE TABLE `patient_conditions` (
	`id` text PRIMARY KEY NOT NULL,
	`patient_id` text NOT NULL,
	`icd10` text NOT NULL,
	`name` text NOT NULL,
	`chronic` integer NOT NULL,
	`stable` integer NOT NULL,
	`diagnosed_at` text NOT NULL,
	`diagnosed_by` text NOT NULL,
	FOREIGN KEY (`patient_id`) REFERENCES `patients`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `patient_conditions_patient` ON `patient_conditions` (`patient_id`);--> statement-breakpoint
CREATE TABLE `patient_events` (
	`id` text PRIMARY KEY NOT NULL,
	`patient_id` text NOT NULL,
	`type` text NOT NULL,
	`at` text NOT NULL,
	FOREIGN KEY (`patient_id`) REFERENCES `patients`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `patient_events_patient` ON `patient_events` (`patient_id`,`at`);--> statement-breakpoint
CREATE TABLE `patients` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`gender` text NOT NULL,
	`birth_date` text NOT NULL,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `practitioners` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`institution_id` text NOT NULL,
	`title` text NOT NULL,
	`specialties` text NOT NULL,
	`created_at` text NOT NULL,
	FOREIGN KEY (`institution_id`) REFERENCES `institutions`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `practitioners_institution` ON `practitioners` (`institution_id`);--> statement-breakpoint
CREATE TABLE `specialty_conditions` (
	`icd10_prefix` text NOT NULL,
	`specialty` text NOT NULL,
	PRIMARY KEY(`icd10_prefix`, `specialty`)
);
--> statement-breakpoint
CREATE TABLE `pharmacies` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`integration` text NOT NULL,
	`endpoint_url` text,
	`delivery_regions` text NOT NULL,
	`capabilities` text NOT NULL,
	`hours` text,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `pharmacists` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`pharmacy_id` text NOT NULL,
	`title` text NOT NULL,
	`created_at` text NOT NULL,
	FOREIGN KEY (`pharmacy_id`) REFERENCES `pharmacies`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `pharmacists_pharmacy` ON `pharmacists` (`pharmacy_id`);--> statement-breakpoint
CREATE TABLE `pharmacy_sites` (
	`id` text PRIMARY KEY NOT NULL,
	`pharmacy_id` text NOT NULL,
	`institution_id` text,
	`name` text NOT NULL,
	`address` text NOT NULL,
	FOREIGN KEY (`pharmacy_id`) REFERENCES `pharmacies`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`institution_id`) REFERENCES `institutions`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `pharmacy_sites_pharmacy` ON `pharmacy_sites` (`pharmacy_id`);