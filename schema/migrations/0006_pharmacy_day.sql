CREATE TABLE `change_requests` (
	`id` text PRIMARY KEY NOT NULL,
	`order_id` text NOT NULL,
	`prescription_id` text NOT NULL,
	`pharmacy_id` text NOT NULL,
	`institution_id` text NOT NULL,
	`prescriber_id` text NOT NULL,
	`proposed_by` text NOT NULL,
	`reason` text NOT NULL,
	`proposal` text NOT NULL,
	`findings` text NOT NULL,
	`valid` integer NOT NULL,
	`status` text NOT NULL,
	`decided_by` text,
	`decided_at` text,
	`decision_note` text,
	`new_prescription_id` text,
	`created_at` text NOT NULL,
	`version` integer NOT NULL,
	FOREIGN KEY (`order_id`) REFERENCES `orders`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`prescription_id`) REFERENCES `prescriptions`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `change_requests_order` ON `change_requests` (`order_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `change_requests_institution` ON `change_requests` (`institution_id`,`status`,`created_at`);--> statement-breakpoint
CREATE TABLE `order_dispensations` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`order_id` text NOT NULL,
	`round` integer NOT NULL,
	`idx` integer NOT NULL,
	`drug_code` text NOT NULL,
	`packages` integer NOT NULL,
	`lot_no` text NOT NULL,
	`expiry` text NOT NULL,
	`at` text NOT NULL,
	`actor_id` text NOT NULL,
	FOREIGN KEY (`order_id`) REFERENCES `orders`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `order_dispensations_order` ON `order_dispensations` (`order_id`,`round`,`idx`);--> statement-breakpoint
CREATE TABLE `consortium_settings` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL,
	`version` integer NOT NULL,
	`updated_at` text NOT NULL,
	`updated_by` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `rate_limits` (
	`key` text NOT NULL,
	`window_start` text NOT NULL,
	`count` integer NOT NULL,
	PRIMARY KEY(`key`, `window_start`)
);
--> statement-breakpoint
CREATE INDEX `rate_limits_window` ON `rate_limits` (`window_start`);--> statement-breakpoint
ALTER TABLE `patients` ADD `phone` text;--> statement-breakpoint
ALTER TABLE `pharmacists` ADD `updated_at` text;--> statement-breakpoint
ALTER TABLE `prescriptions` ADD `replaces` text;--> statement-breakpoint
ALTER TABLE `prescriptions` ADD `replaced_by` text;--> statement-breakpoint
ALTER TABLE `notifications` ADD `recipient_id` text;--> statement-breakpoint
CREATE INDEX `notifications_recipient` ON `notifications` (`recipient_id`,`created_at`);--> statement-breakpoint
ALTER TABLE `orders` ADD `pending_since` text;--> statement-breakpoint
ALTER TABLE `orders` ADD `ready_at` text;--> statement-breakpoint
ALTER TABLE `orders` ADD `reroutes` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `orders` ADD `returned_by` text;--> statement-breakpoint
ALTER TABLE `orders` ADD `return_reason` text;--> statement-breakpoint
ALTER TABLE `orders` ADD `dispense_rounds` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX `orders_ready` ON `orders` (`status`,`ready_at`);