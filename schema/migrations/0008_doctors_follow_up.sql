ALTER TABLE `patients` ADD `pinyin` text;--> statement-breakpoint
ALTER TABLE `patients` ADD `family_doctor_id` text;--> statement-breakpoint
CREATE INDEX `patients_name` ON `patients` (`name`,`id`);--> statement-breakpoint
CREATE INDEX `patients_pinyin` ON `patients` (`pinyin`,`name`);--> statement-breakpoint
CREATE INDEX `patients_phone` ON `patients` (`phone`);--> statement-breakpoint
CREATE INDEX `patients_family_doctor` ON `patients` (`family_doctor_id`);--> statement-breakpoint
ALTER TABLE `notifications` ADD `done_at` text;--> statement-breakpoint
CREATE INDEX `prescriptions_prescriber` ON `prescriptions` (`prescriber_id`,`created_at`);