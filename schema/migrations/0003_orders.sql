CREATE TABLE `notifications` (
	`id` text PRIMARY KEY NOT NULL,
	`order_id` text NOT NULL,
	`patient_id` text NOT NULL,
	`channel` text NOT NULL,
	`template` text NOT NULL,
	`params` text NOT NULL,
	`state` text NOT NULL,
	`created_at` text NOT NULL,
	`sent_at` text
);
--> statement-breakpoint
CREATE INDEX `notifications_state` ON `notifications` (`state`,`created_at`);--> statement-breakpoint
CREATE INDEX `notifications_order` ON `notifications` (`order_id`);--> statement-breakpoint
CREATE TABLE `order_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`order_id` text NOT NULL,
	`at` text NOT NULL,
	`from_status` text,
	`to_status` text NOT NULL,
	`actor_id` text NOT NULL,
	`actor_role` text NOT NULL,
	`source` text NOT NULL,
	`note` text,
	FOREIGN KEY (`order_id`) REFERENCES `orders`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `order_events_order` ON `order_events` (`order_id`,`id`);--> statement-breakpoint
CREATE TABLE `orders` (
	`id` text PRIMARY KEY NOT NULL,
	`prescription_id` text NOT NULL,
	`pharmacy_id` text NOT NULL,
	`patient_id` text NOT NULL,
	`institution_id` text NOT NULL,
	`instalment` integer NOT NULL,
	`instalments` integer NOT NULL,
	`days` integer NOT NULL,
	`supply_from` text NOT NULL,
	`release_on` text NOT NULL,
	`mode` text NOT NULL,
	`pickup_site_id` text,
	`address` text,
	`items` text NOT NULL,
	`status` text NOT NULL,
	`reference` text NOT NULL,
	`pickup_code_hash` text,
	`pickup_attempts` integer NOT NULL,
	`carrier` text,
	`tracking_no` text,
	`reject_reason` text,
	`reject_note` text,
	`version` integer NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`prescription_id`) REFERENCES `prescriptions`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `orders_pharmacy_status` ON `orders` (`pharmacy_id`,`status`,`created_at`);--> statement-breakpoint
CREATE INDEX `orders_prescription` ON `orders` (`prescription_id`,`instalment`);--> statement-breakpoint
CREATE INDEX `orders_release` ON `orders` (`status`,`release_on`);--> statement-breakpoint
CREATE UNIQUE INDEX `orders_reference` ON `orders` (`reference`);--> statement-breakpoint
CREATE TABLE `outbox` (
	`id` text PRIMARY KEY NOT NULL,
	`order_id` text NOT NULL,
	`pharmacy_id` text NOT NULL,
	`kind` text NOT NULL,
	`payload` text NOT NULL,
	`idempotency_key` text NOT NULL,
	`state` text NOT NULL,
	`attempts` integer NOT NULL,
	`next_attempt_at` text NOT NULL,
	`last_error` text,
	`created_at` text NOT NULL,
	`delivered_at` text
);
--> statement-breakpoint
CREATE INDEX `outbox_pending` ON `outbox` (`state`,`next_attempt_at`);--> statement-breakpoint
CREATE UNIQUE INDEX `outbox_idempotency` ON `outbox` (`idempotency_key`);--> statement-breakpoint
CREATE TABLE `pharmacy_callback_events` (
	`pharmacy_id` text NOT NULL,
	`event_id` text NOT NULL,
	`order_id` text NOT NULL,
	`received_at` text NOT NULL,
	PRIMARY KEY(`pharmacy_id`, `event_id`)
);
--> statement-breakpoint
ALTER TABLE `pharmacies` ADD `shared_secret` text;