CREATE TABLE `reference_meta` (
	`id` integer PRIMARY KEY NOT NULL,
	`token` text NOT NULL
);--> statement-breakpoint
-- The token rule checks cache the reference data under (schema/rules.ts referenceMeta): set
-- now, and changed by the triggers below in the statement that changes any of it.
INSERT INTO `reference_meta` (`id`, `token`) VALUES (1, lower(hex(randomblob(8))));--> statement-breakpoint
CREATE TRIGGER `reference_interactions_ai` AFTER INSERT ON `interactions` BEGIN
  UPDATE `reference_meta` SET `token` = lower(hex(randomblob(8))) WHERE `id` = 1;
END;--> statement-breakpoint
CREATE TRIGGER `reference_interactions_au` AFTER UPDATE ON `interactions` BEGIN
  UPDATE `reference_meta` SET `token` = lower(hex(randomblob(8))) WHERE `id` = 1;
END;--> statement-breakpoint
CREATE TRIGGER `reference_interactions_ad` AFTER DELETE ON `interactions` BEGIN
  UPDATE `reference_meta` SET `token` = lower(hex(randomblob(8))) WHERE `id` = 1;
END;--> statement-breakpoint
CREATE TRIGGER `reference_specialty_conditions_ai` AFTER INSERT ON `specialty_conditions` BEGIN
  UPDATE `reference_meta` SET `token` = lower(hex(randomblob(8))) WHERE `id` = 1;
END;--> statement-breakpoint
CREATE TRIGGER `reference_specialty_conditions_au` AFTER UPDATE ON `specialty_conditions` BEGIN
  UPDATE `reference_meta` SET `token` = lower(hex(randomblob(8))) WHERE `id` = 1;
END;--> statement-breakpoint
CREATE TRIGGER `reference_specialty_conditions_ad` AFTER DELETE ON `specialty_conditions` BEGIN
  UPDATE `reference_meta` SET `token` = lower(hex(randomblob(8))) WHERE `id` = 1;
END;--> statement-breakpoint
CREATE TRIGGER `reference_consortium_settings_ai` AFTER INSERT ON `consortium_settings` BEGIN
  UPDATE `reference_meta` SET `token` = lower(hex(randomblob(8))) WHERE `id` = 1;
END;--> statement-breakpoint
CREATE TRIGGER `reference_consortium_settings_au` AFTER UPDATE ON `consortium_settings` BEGIN
  UPDATE `reference_meta` SET `token` = lower(hex(randomblob(8))) WHERE `id` = 1;
END;--> statement-breakpoint
CREATE TRIGGER `reference_consortium_settings_ad` AFTER DELETE ON `consortium_settings` BEGIN
  UPDATE `reference_meta` SET `token` = lower(hex(randomblob(8))) WHERE `id` = 1;
END;
