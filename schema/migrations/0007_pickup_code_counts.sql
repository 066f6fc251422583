ALTER TABLE `orders` ADD `pickup_attempts_total` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `orders` ADD `pickup_code_reissues` integer DEFAULT 0 NOT NULL;