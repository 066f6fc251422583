ALTER TABLE `formulary_entries` ADD `ingredients` text DEFAULT '[]' NOT NULL;--> statement-breakpoint
ALTER TABLE `formulary_entries` ADD `dosing` text;--> statement-breakpoint
ALTER TABLE `patients` ADD `egfr` real;--> statement-breakpoint
ALTER TABLE `patients` ADD `egfr_on` text;--> statement-breakpoint
ALTER TABLE `patients` ADD `pregnancy` text;--> statement-breakpoint
ALTER TABLE `patients` ADD `pregnancy_on` text;--> statement-breakpoint
ALTER TABLE `prescription_items` ADD `route` text;--> statement-breakpoint
ALTER TABLE `prescription_items` ADD `ingredients` text;