CREATE TABLE `order_state_monthly` (
	`month` text NOT NULL,
	`institution_id` text NOT NULL,
	`pharmacy_id` text NOT NULL,
	`status` text NOT NULL,
	`n` integer NOT NULL,
	PRIMARY KEY(`month`, `institution_id`, `pharmacy_id`, `status`)
);
--> statement-breakpoint
CREATE TABLE `qualification_monthly` (
	`month` text NOT NULL,
	`institution_id` text NOT NULL,
	`reviewed` integer NOT NULL,
	`approved` integer NOT NULL,
	`rejected` integer NOT NULL,
	`rejected_non_standard` integer NOT NULL,
	`rejected_inappropriate` integer NOT NULL,
	`rejected_abnormal` integer NOT NULL,
	PRIMARY KEY(`month`, `institution_id`)
);
--> statement-breakpoint
CREATE TABLE `rx_monthly` (
	`month` text NOT NULL,
	`institution_id` text NOT NULL,
	`prescriber_id` text NOT NULL,
	`signed` integer NOT NULL,
	`long_term` integer NOT NULL,
	`long_term_days` integer NOT NULL,
	`long_term_over_28` integer NOT NULL,
	`standing` integer NOT NULL,
	`items` integer NOT NULL,
	`with_antimicrobial` integer NOT NULL,
	`with_injection` integer NOT NULL,
	`essential_items` integer NOT NULL,
	`generic_items` integer NOT NULL,
	`vbp_items` integer NOT NULL,
	PRIMARY KEY(`month`, `institution_id`, `prescriber_id`)
);
--> statement-breakpoint
CREATE TABLE `turnaround_monthly` (
	`month` text NOT NULL,
	`institution_id` text NOT NULL,
	`metric` text NOT NULL,
	`n` integer NOT NULL,
	`sum_ms` real NOT NULL,
	`b0` integer NOT NULL,
	`s0` real NOT NULL,
	`b1` integer NOT NULL,
	`s1` real NOT NULL,
	`b2` integer NOT NULL,
	`s2` real NOT NULL,
	`b3` integer NOT NULL,
	`s3` real NOT NULL,
	`b4` integer NOT NULL,
	`s4` real NOT NULL,
	`b5` integer NOT NULL,
	`s5` real NOT NULL,
	`b6` integer NOT NULL,
	`s6` real NOT NULL,
	`b7` integer NOT NULL,
	`s7` real NOT NULL,
	`b8` integer NOT NULL,
	`s8` real NOT NULL,
	`b9` integer NOT NULL,
	`s9` real NOT NULL,
	`b10` integer NOT NULL,
	`s10` real NOT NULL,
	`b11` integer NOT NULL,
	`s11` real NOT NULL,
	`b12` integer NOT NULL,
	`s12` real NOT NULL,
	`b13` integer NOT NULL,
	`s13` real NOT NULL,
	`b14` integer NOT NULL,
	`s14` real NOT NULL,
	`b15` integer NOT NULL,
	`s15` real NOT NULL,
	`b16` integer NOT NULL,
	`s16` real NOT NULL,
	`b17` integer NOT NULL,
	`s17` real NOT NULL,
	`b18` integer NOT NULL,
	`s18` real NOT NULL,
	`b19` integer NOT NULL,
	`s19` real NOT NULL,
	`b20` integer NOT NULL,
	`s20` real NOT NULL,
	`b21` integer NOT NULL,
	`s21` real NOT NULL,
	`b22` integer NOT NULL,
	`s22` real NOT NULL,
	`b23` integer NOT NULL,
	`s23` real NOT NULL,
	`b24` integer NOT NULL,
	`s24` real NOT NULL,
	`b25` integer NOT NULL,
	`s25` real NOT NULL,
	`b26` integer NOT NULL,
	`s26` real NOT NULL,
	`b27` integer NOT NULL,
	`s27` real NOT NULL,
	`b28` integer NOT NULL,
	`s28` real NOT NULL,
	`b29` integer NOT NULL,
	`s29` real NOT NULL,
	`b30` integer NOT NULL,
	`s30` real NOT NULL,
	`b31` integer NOT NULL,
	`s31` real NOT NULL,
	`b32` integer NOT NULL,
	`s32` real NOT NULL,
	`b33` integer NOT NULL,
	`s33` real NOT NULL,
	`b34` integer NOT NULL,
	`s34` real NOT NULL,
	`b35` integer NOT NULL,
	`s35` real NOT NULL,
	`b36` integer NOT NULL,
	`s36` real NOT NULL,
	`b37` integer NOT NULL,
	`s37` real NOT NULL,
	`b38` integer NOT NULL,
	`s38` real NOT NULL,
	`b39` integer NOT NULL,
	`s39` real NOT NULL,
	`b40` integer NOT NULL,
	`s40` real NOT NULL,
	`b41` integer NOT NULL,
	`s41` real NOT NULL,
	`b42` integer NOT NULL,
	`s42` real NOT NULL,
	`b43` integer NOT NULL,
	`s43` real NOT NULL,
	`b44` integer NOT NULL,
	`s44` real NOT NULL,
	`b45` integer NOT NULL,
	`s45` real NOT NULL,
	PRIMARY KEY(`month`, `institution_id`, `metric`)
);
--> statement-breakpoint
CREATE TRIGGER rollup_rx_monthly_insert AFTER INSERT ON rx_daily
BEGIN
  INSERT INTO rx_monthly (month, institution_id, prescriber_id, signed, long_term, long_term_days, long_term_over_28, standing, items, with_antimicrobial, with_injection, essential_items, generic_items, vbp_items)
  SELECT substr(day, 1, 7), institution_id, prescriber_id, SUM(signed), SUM(long_term), SUM(long_term_days), SUM(long_term_over_28), SUM(standing), SUM(items), SUM(with_antimicrobial), SUM(with_injection), SUM(essential_items), SUM(generic_items), SUM(vbp_items) FROM (SELECT NEW.day AS day, NEW.institution_id AS institution_id, NEW.prescriber_id AS prescriber_id, NEW.signed AS signed, NEW.long_term AS long_term, NEW.long_term_days AS long_term_days, NEW.long_term_over_28 AS long_term_over_28, NEW.standing AS standing, NEW.items AS items, NEW.with_antimicrobial AS with_antimicrobial, NEW.with_injection AS with_injection, NEW.essential_items AS essential_items, NEW.generic_items AS generic_items, NEW.vbp_items AS vbp_items)
  GROUP BY 1, 2, 3
  ON CONFLICT (month, institution_id, prescriber_id) DO UPDATE SET signed = signed + excluded.signed, long_term = long_term + excluded.long_term, long_term_days = long_term_days + excluded.long_term_days, long_term_over_28 = long_term_over_28 + excluded.long_term_over_28, standing = standing + excluded.standing, items = items + excluded.items, with_antimicrobial = with_antimicrobial + excluded.with_antimicrobial, with_injection = with_injection + excluded.with_injection, essential_items = essential_items + excluded.essential_items, generic_items = generic_items + excluded.generic_items, vbp_items = vbp_items + excluded.vbp_items;
END;
--> statement-breakpoint
CREATE TRIGGER rollup_rx_monthly_update AFTER UPDATE ON rx_daily
BEGIN
  INSERT INTO rx_monthly (month, institution_id, prescriber_id, signed, long_term, long_term_days, long_term_over_28, standing, items, with_antimicrobial, with_injection, essential_items, generic_items, vbp_items)
  SELECT substr(day, 1, 7), institution_id, prescriber_id, SUM(signed), SUM(long_term), SUM(long_term_days), SUM(long_term_over_28), SUM(standing), SUM(items), SUM(with_antimicrobial), SUM(with_injection), SUM(essential_items), SUM(generic_items), SUM(vbp_items) FROM (SELECT NEW.day AS day, NEW.institution_id AS institution_id, NEW.prescriber_id AS prescriber_id, NEW.signed AS signed, NEW.long_term AS long_term, NEW.long_term_days AS long_term_days, NEW.long_term_over_28 AS long_term_over_28, NEW.standing AS standing, NEW.items AS items, NEW.with_antimicrobial AS with_antimicrobial, NEW.with_injection AS with_injection, NEW.essential_items AS essential_items, NEW.generic_items AS generic_items, NEW.vbp_items AS vbp_items UNION ALL SELECT OLD.day AS day, OLD.institution_id AS institution_id, OLD.prescriber_id AS prescriber_id, -OLD.signed AS signed, -OLD.long_term AS long_term, -OLD.long_term_days AS long_term_days, -OLD.long_term_over_28 AS long_term_over_28, -OLD.standing AS standing, -OLD.items AS items, -OLD.with_antimicrobial AS with_antimicrobial, -OLD.with_injection AS with_injection, -OLD.essential_items AS essential_items, -OLD.generic_items AS generic_items, -OLD.vbp_items AS vbp_items)
  GROUP BY 1, 2, 3
  ON CONFLICT (month, institution_id, prescriber_id) DO UPDATE SET signed = signed + excluded.signed, long_term = long_term + excluded.long_term, long_term_days = long_term_days + excluded.long_term_days, long_term_over_28 = long_term_over_28 + excluded.long_term_over_28, standing = standing + excluded.standing, items = items + excluded.items, with_antimicrobial = with_antimicrobial + excluded.with_antimicrobial, with_injection = with_injection + excluded.with_injection, essential_items = essential_items + excluded.essential_items, generic_items = generic_items + excluded.generic_items, vbp_items = vbp_items + excluded.vbp_items;
END;
--> statement-breakpoint
CREATE TRIGGER rollup_rx_monthly_delete AFTER DELETE ON rx_daily
BEGIN
  INSERT INTO rx_monthly (month, institution_id, prescriber_id, signed, long_term, long_term_days, long_term_over_28, standing, items, with_antimicrobial, with_injection, essential_items, generic_items, vbp_items)
  SELECT substr(day, 1, 7), institution_id, prescriber_id, SUM(signed), SUM(long_term), SUM(long_term_days), SUM(long_term_over_28), SUM(standing), SUM(items), SUM(with_antimicrobial), SUM(with_injection), SUM(essential_items), SUM(generic_items), SUM(vbp_items) FROM (SELECT OLD.day AS day, OLD.institution_id AS institution_id, OLD.prescriber_id AS prescriber_id, -OLD.signed AS signed, -OLD.long_term AS long_term, -OLD.long_term_days AS long_term_days, -OLD.long_term_over_28 AS long_term_over_28, -OLD.standing AS standing, -OLD.items AS items, -OLD.with_antimicrobial AS with_antimicrobial, -OLD.with_injection AS with_injection, -OLD.essential_items AS essential_items, -OLD.generic_items AS generic_items, -OLD.vbp_items AS vbp_items)
  GROUP BY 1, 2, 3
  ON CONFLICT (month, institution_id, prescriber_id) DO UPDATE SET signed = signed + excluded.signed, long_term = long_term + excluded.long_term, long_term_days = long_term_days + excluded.long_term_days, long_term_over_28 = long_term_over_28 + excluded.long_term_over_28, standing = standing + excluded.standing, items = items + excluded.items, with_antimicrobial = with_antimicrobial + excluded.with_antimicrobial, with_injection = with_injection + excluded.with_injection, essential_items = essential_items + excluded.essential_items, generic_items = generic_items + excluded.generic_items, vbp_items = vbp_items + excluded.vbp_items;
END;
--> statement-breakpoint
CREATE TRIGGER rollup_order_state_monthly_insert AFTER INSERT ON order_state_daily
BEGIN
  INSERT INTO order_state_monthly (month, institution_id, pharmacy_id, status, n)
  SELECT substr(day, 1, 7), institution_id, pharmacy_id, status, SUM(n) FROM (SELECT NEW.day AS day, NEW.institution_id AS institution_id, NEW.pharmacy_id AS pharmacy_id, NEW.status AS status, NEW.n AS n)
  GROUP BY 1, 2, 3, 4
  ON CONFLICT (month, institution_id, pharmacy_id, status) DO UPDATE SET n = n + excluded.n;
END;
--> statement-breakpoint
CREATE TRIGGER rollup_order_state_monthly_update AFTER UPDATE ON order_state_daily
BEGIN
  INSERT INTO order_state_monthly (month, institution_id, pharmacy_id, status, n)
  SELECT substr(day, 1, 7), institution_id, pharmacy_id, status, SUM(n) FROM (SELECT NEW.day AS day, NEW.institution_id AS institution_id, NEW.pharmacy_id AS pharmacy_id, NEW.status AS status, NEW.n AS n UNION ALL SELECT OLD.day AS day, OLD.institution_id AS institution_id, OLD.pharmacy_id AS pharmacy_id, OLD.status AS status, -OLD.n AS n)
  GROUP BY 1, 2, 3, 4
  ON CONFLICT (month, institution_id, pharmacy_id, status) DO UPDATE SET n = n + excluded.n;
END;
--> statement-breakpoint
CREATE TRIGGER rollup_order_state_monthly_delete AFTER DELETE ON order_state_daily
BEGIN
  INSERT INTO order_state_monthly (month, institution_id, pharmacy_id, status, n)
  SELECT substr(day, 1, 7), institution_id, pharmacy_id, status, SUM(n) FROM (SELECT OLD.day AS day, OLD.institution_id AS institution_id, OLD.pharmacy_id AS pharmacy_id, OLD.status AS status, -OLD.n AS n)
  GROUP BY 1, 2, 3, 4
  ON CONFLICT (month, institution_id, pharmacy_id, status) DO UPDATE SET n = n + excluded.n;
END;
--> statement-breakpoint
CREATE TRIGGER rollup_qualification_monthly_insert AFTER INSERT ON qualification_daily
BEGIN
  INSERT INTO qualification_monthly (month, institution_id, reviewed, approved, rejected, rejected_non_standard, rejected_inappropriate, rejected_abnormal)
  SELECT substr(day, 1, 7), institution_id, SUM(reviewed), SUM(approved), SUM(rejected), SUM(rejected_non_standard), SUM(rejected_inappropriate), SUM(rejected_abnormal) FROM (SELECT NEW.day AS day, NEW.institution_id AS institution_id, NEW.reviewed AS reviewed, NEW.approved AS approved, NEW.rejected AS rejected, NEW.rejected_non_standard AS rejected_non_standard, NEW.rejected_inappropriate AS rejected_inappropriate, NEW.rejected_abnormal AS rejected_abnormal)
  GROUP BY 1, 2
  ON CONFLICT (month, institution_id) DO UPDATE SET reviewed = reviewed + excluded.reviewed, approved = approved + excluded.approved, rejected = rejected + excluded.rejected, rejected_non_standard = rejected_non_standard + excluded.rejected_non_standard, rejected_inappropriate = rejected_inappropriate + excluded.rejected_inappropriate, rejected_abnormal = rejected_abnormal + excluded.rejected_abnormal;
END;
--> statement-breakpoint
CREATE TRIGGER rollup_qualification_monthly_update AFTER UPDATE ON qualification_daily
BEGIN
  INSERT INTO qualification_monthly (month, institution_id, reviewed, approved, rejected, rejected_non_standard, rejected_inappropriate, rejected_abnormal)
  SELECT substr(day, 1, 7), institution_id, SUM(reviewed), SUM(approved), SUM(rejected), SUM(rejected_non_standard), SUM(rejected_inappropriate), SUM(rejected_abnormal) FROM (SELECT NEW.day AS day, NEW.institution_id AS institution_id, NEW.reviewed AS reviewed, NEW.approved AS approved, NEW.rejected AS rejected, NEW.rejected_non_standard AS rejected_non_standard, NEW.rejected_inappropriate AS rejected_inappropriate, NEW.rejected_abnormal AS rejected_abnormal UNION ALL SELECT OLD.day AS day, OLD.institution_id AS institution_id, -OLD.reviewed AS reviewed, -OLD.approved AS approved, -OLD.rejected AS rejected, -OLD.rejected_non_standard AS rejected_non_standard, -OLD.rejected_inappropriate AS rejected_inappropriate, -OLD.rejected_abnormal AS rejected_abnormal)
  GROUP BY 1, 2
  ON CONFLICT (month, institution_id) DO UPDATE SET reviewed = reviewed + excluded.reviewed, approved = approved + excluded.approved, rejected = rejected + excluded.rejected, rejected_non_standard = rejected_non_standard + excluded.rejected_non_standard, rejected_inappropriate = rejected_inappropriate + excluded.rejected_inappropriate, rejected_abnormal = rejected_abnormal + excluded.rejected_abnormal;
END;
--> statement-breakpoint
CREATE TRIGGER rollup_qualification_monthly_delete AFTER DELETE ON qualification_daily
BEGIN
  INSERT INTO qualification_monthly (month, institution_id, reviewed, approved, rejected, rejected_non_standard, rejected_inappropriate, rejected_abnormal)
  SELECT substr(day, 1, 7), institution_id, SUM(reviewed), SUM(approved), SUM(rejected), SUM(rejected_non_standard), SUM(rejected_inappropriate), SUM(rejected_abnormal) FROM (SELECT OLD.day AS day, OLD.institution_id AS institution_id, -OLD.reviewed AS reviewed, -OLD.approved AS approved, -OLD.rejected AS rejected, -OLD.rejected_non_standard AS rejected_non_standard, -OLD.rejected_inappropriate AS rejected_inappropriate, -OLD.rejected_abnormal AS rejected_abnormal)
  GROUP BY 1, 2
  ON CONFLICT (month, institution_id) DO UPDATE SET reviewed = reviewed + excluded.reviewed, approved = approved + excluded.approved, rejected = rejected + excluded.rejected, rejected_non_standard = rejected_non_standard + excluded.rejected_non_standard, rejected_inappropriate = rejected_inappropriate + excluded.rejected_inappropriate, rejected_abnormal = rejected_abnormal + excluded.rejected_abnormal;
END;
--> statement-breakpoint
CREATE TRIGGER rollup_turnaround_monthly_insert AFTER INSERT ON turnaround_daily
BEGIN
  INSERT INTO turnaround_monthly (month, institution_id, metric, n, sum_ms, b0, s0, b1, s1, b2, s2, b3, s3, b4, s4, b5, s5, b6, s6, b7, s7, b8, s8, b9, s9, b10, s10, b11, s11, b12, s12, b13, s13, b14, s14, b15, s15, b16, s16, b17, s17, b18, s18, b19, s19, b20, s20, b21, s21, b22, s22, b23, s23, b24, s24, b25, s25, b26, s26, b27, s27, b28, s28, b29, s29, b30, s30, b31, s31, b32, s32, b33, s33, b34, s34, b35, s35, b36, s36, b37, s37, b38, s38, b39, s39, b40, s40, b41, s41, b42, s42, b43, s43, b44, s44, b45, s45)
  SELECT substr(day, 1, 7), institution_id, metric, SUM(n), SUM(sum_ms), SUM(b0), SUM(s0), SUM(b1), SUM(s1), SUM(b2), SUM(s2), SUM(b3), SUM(s3), SUM(b4), SUM(s4), SUM(b5), SUM(s5), SUM(b6), SUM(s6), SUM(b7), SUM(s7), SUM(b8), SUM(s8), SUM(b9), SUM(s9), SUM(b10), SUM(s10), SUM(b11), SUM(s11), SUM(b12), SUM(s12), SUM(b13), SUM(s13), SUM(b14), SUM(s14), SUM(b15), SUM(s15), SUM(b16), SUM(s16), SUM(b17), SUM(s17), SUM(b18), SUM(s18), SUM(b19), SUM(s19), SUM(b20), SUM(s20), SUM(b21), SUM(s21), SUM(b22), SUM(s22), SUM(b23), SUM(s23), SUM(b24), SUM(s24), SUM(b25), SUM(s25), SUM(b26), SUM(s26), SUM(b27), SUM(s27), SUM(b28), SUM(s28), SUM(b29), SUM(s29), SUM(b30), SUM(s30), SUM(b31), SUM(s31), SUM(b32), SUM(s32), SUM(b33), SUM(s33), SUM(b34), SUM(s34), SUM(b35), SUM(s35), SUM(b36), SUM(s36), SUM(b37), SUM(s37), SUM(b38), SUM(s38), SUM(b39), SUM(s39), SUM(b40), SUM(s40), SUM(b41), SUM(s41), SUM(b42), SUM(s42), SUM(b43), SUM(s43), SUM(b44), SUM(s44), SUM(b45), SUM(s45) FROM (SELECT NEW.day AS day, NEW.institution_id AS institution_id, NEW.metric AS metric, NEW.n AS n, NEW.sum_ms AS sum_ms, NEW.b0 AS b0, NEW.s0 AS s0, NEW.b1 AS b1, NEW.s1 AS s1, NEW.b2 AS b2, NEW.s2 AS s2, NEW.b3 AS b3, NEW.s3 AS s3, NEW.b4 AS b4, NEW.s4 AS s4, NEW.b5 AS b5, NEW.s5 AS s5, NEW.b6 AS b6, NEW.s6 AS s6, NEW.b7 AS b7, NEW.s7 AS s7, NEW.b8 AS b8, NEW.s8 AS s8, NEW.b9 AS b9, NEW.s9 AS s9, NEW.b10 AS b10, NEW.s10 AS s10, NEW.b11 AS b11, NEW.s11 AS s11, NEW.b12 AS b12, NEW.s12 AS s12, NEW.b13 AS b13, NEW.s13 AS s13, NEW.b14 AS b14, NEW.s14 AS s14, NEW.b15 AS b15, NEW.s15 AS s15, NEW.b16 AS b16, NEW.s16 AS s16, NEW.b17 AS b17, NEW.s17 AS s17, NEW.b18 AS b18, NEW.s18 AS s18, NEW.b19 AS b19, NEW.s19 AS s19, NEW.b20 AS b20, NEW.s20 AS s20, NEW.b21 AS b21, NEW.s21 AS s21, NEW.b22 AS b22, NEW.s22 AS s22, NEW.b23 AS b23, NEW.s23 AS s23, NEW.b24 AS b24, NEW.s24 AS s24, NEW.b25 AS b25, NEW.s25 AS s25, NEW.b26 AS b26, NEW.s26 AS s26, NEW.b27 AS b27, NEW.s27 AS s27, NEW.b28 AS b28, NEW.s28 AS s28, NEW.b29 AS b29, NEW.s29 AS s29, NEW.b30 AS b30, NEW.s30 AS s30, NEW.b31 AS b31, NEW.s31 AS s31, NEW.b32 AS b32, NEW.s32 AS s32, NEW.b33 AS b33, NEW.s33 AS s33, NEW.b34 AS b34, NEW.s34 AS s34, NEW.b35 AS b35, NEW.s35 AS s35, NEW.b36 AS b36, NEW.s36 AS s36, NEW.b37 AS b37, NEW.s37 AS s37, NEW.b38 AS b38, NEW.s38 AS s38, NEW.b39 AS b39, NEW.s39 AS s39, NEW.b40 AS b40, NEW.s40 AS s40, NEW.b41 AS b41, NEW.s41 AS s41, NEW.b42 AS b42, NEW.s42 AS s42, NEW.b43 AS b43, NEW.s43 AS s43, NEW.b44 AS b44, NEW.s44 AS s44, NEW.b45 AS b45, NEW.s45 AS s45)
  GROUP BY 1, 2, 3
  ON CONFLICT (month, institution_id, metric) DO UPDATE SET n = n + excluded.n, sum_ms = sum_ms + excluded.sum_ms, b0 = b0 + excluded.b0, s0 = s0 + excluded.s0, b1 = b1 + excluded.b1, s1 = s1 + excluded.s1, b2 = b2 + excluded.b2, s2 = s2 + excluded.s2, b3 = b3 + excluded.b3, s3 = s3 + excluded.s3, b4 = b4 + excluded.b4, s4 = s4 + excluded.s4, b5 = b5 + excluded.b5, s5 = s5 + excluded.s5, b6 = b6 + excluded.b6, s6 = s6 + excluded.s6, b7 = b7 + excluded.b7, s7 = s7 + excluded.s7, b8 = b8 + excluded.b8, s8 = s8 + excluded.s8, b9 = b9 + excluded.b9, s9 = s9 + excluded.s9, b10 = b10 + excluded.b10, s10 = s10 + excluded.s10, b11 = b11 + excluded.b11, s11 = s11 + excluded.s11, b12 = b12 + excluded.b12, s12 = s12 + excluded.s12, b13 = b13 + excluded.b13, s13 = s13 + excluded.s13, b14 = b14 + excluded.b14, s14 = s14 + excluded.s14, b15 = b15 + excluded.b15, s15 = s15 + excluded.s15, b16 = b16 + excluded.b16, s16 = s16 + excluded.s16, b17 = b17 + excluded.b17, s17 = s17 + excluded.s17, b18 = b18 + excluded.b18, s18 = s18 + excluded.s18, b19 = b19 + excluded.b19, s19 = s19 + excluded.s19, b20 = b20 + excluded.b20, s20 = s20 + excluded.s20, b21 = b21 + excluded.b21, s21 = s21 + excluded.s21, b22 = b22 + excluded.b22, s22 = s22 + excluded.s22, b23 = b23 + excluded.b23, s23 = s23 + excluded.s23, b24 = b24 + excluded.b24, s24 = s24 + excluded.s24, b25 = b25 + excluded.b25, s25 = s25 + excluded.s25, b26 = b26 + excluded.b26, s26 = s26 + excluded.s26, b27 = b27 + excluded.b27, s27 = s27 + excluded.s27, b28 = b28 + excluded.b28, s28 = s28 + excluded.s28, b29 = b29 + excluded.b29, s29 = s29 + excluded.s29, b30 = b30 + excluded.b30, s30 = s30 + excluded.s30, b31 = b31 + excluded.b31, s31 = s31 + excluded.s31, b32 = b32 + excluded.b32, s32 = s32 + excluded.s32, b33 = b33 + excluded.b33, s33 = s33 + excluded.s33, b34 = b34 + excluded.b34, s34 = s34 + excluded.s34, b35 = b35 + excluded.b35, s35 = s35 + excluded.s35, b36 = b36 + excluded.b36, s36 = s36 + excluded.s36, b37 = b37 + excluded.b37, s37 = s37 + excluded.s37, b38 = b38 + excluded.b38, s38 = s38 + excluded.s38, b39 = b39 + excluded.b39, s39 = s39 + excluded.s39, b40 = b40 + excluded.b40, s40 = s40 + excluded.s40, b41 = b41 + excluded.b41, s41 = s41 + excluded.s41, b42 = b42 + excluded.b42, s42 = s42 + excluded.s42, b43 = b43 + excluded.b43, s43 = s43 + excluded.s43, b44 = b44 + excluded.b44, s44 = s44 + excluded.s44, b45 = b45 + excluded.b45, s45 = s45 + excluded.s45;
END;
--> statement-breakpoint
CREATE TRIGGER rollup_turnaround_monthly_update AFTER UPDATE ON turnaround_daily
BEGIN
  INSERT INTO turnaround_monthly (month, institution_id, metric, n, sum_ms, b0, s0, b1, s1, b2, s2, b3, s3, b4, s4, b5, s5, b6, s6, b7, s7, b8, s8, b9, s9, b10, s10, b11, s11, b12, s12, b13, s13, b14, s14, b15, s15, b16, s16, b17, s17, b18, s18, b19, s19, b20, s20, b21, s21, b22, s22, b23, s23, b24, s24, b25, s25, b26, s26, b27, s27, b28, s28, b29, s29, b30, s30, b31, s31, b32, s32, b33, s33, b34, s34, b35, s35, b36, s36, b37, s37, b38, s38, b39, s39, b40, s40, b41, s41, b42, s42, b43, s43, b44, s44, b45, s45)
  SELECT substr(day, 1, 7), institution_id, metric, SUM(n), SUM(sum_ms), SUM(b0), SUM(s0), SUM(b1), SUM(s1), SUM(b2), SUM(s2), SUM(b3), SUM(s3), SUM(b4), SUM(s4), SUM(b5), SUM(s5), SUM(b6), SUM(s6), SUM(b7), SUM(s7), SUM(b8), SUM(s8), SUM(b9), SUM(s9), SUM(b10), SUM(s10), SUM(b11), SUM(s11), SUM(b12), SUM(s12), SUM(b13), SUM(s13), SUM(b14), SUM(s14), SUM(b15), SUM(s15), SUM(b16), SUM(s16), SUM(b17), SUM(s17), SUM(b18), SUM(s18), SUM(b19), SUM(s19), SUM(b20), SUM(s20), SUM(b21), SUM(s21), SUM(b22), SUM(s22), SUM(b23), SUM(s23), SUM(b24), SUM(s24), SUM(b25), SUM(s25), SUM(b26), SUM(s26), SUM(b27), SUM(s27), SUM(b28), SUM(s28), SUM(b29), SUM(s29), SUM(b30), SUM(s30), SUM(b31), SUM(s31), SUM(b32), SUM(s32), SUM(b33), SUM(s33), SUM(b34), SUM(s34), SUM(b35), SUM(s35), SUM(b36), SUM(s36), SUM(b37), SUM(s37), SUM(b38), SUM(s38), SUM(b39), SUM(s39), SUM(b40), SUM(s40), SUM(b41), SUM(s41), SUM(b42), SUM(s42), SUM(b43), SUM(s43), SUM(b44), SUM(s44), SUM(b45), SUM(s45) FROM (SELECT NEW.day AS day, NEW.institution_id AS institution_id, NEW.metric AS metric, NEW.n AS n, NEW.sum_ms AS sum_ms, NEW.b0 AS b0, NEW.s0 AS s0, NEW.b1 AS b1, NEW.s1 AS s1, NEW.b2 AS b2, NEW.s2 AS s2, NEW.b3 AS b3, NEW.s3 AS s3, NEW.b4 AS b4, NEW.s4 AS s4, NEW.b5 AS b5, NEW.s5 AS s5, NEW.b6 AS b6, NEW.s6 AS s6, NEW.b7 AS b7, NEW.s7 AS s7, NEW.b8 AS b8, NEW.s8 AS s8, NEW.b9 AS b9, NEW.s9 AS s9, NEW.b10 AS b10, NEW.s10 AS s10, NEW.b11 AS b11, NEW.s11 AS s11, NEW.b12 AS b12, NEW.s12 AS s12, NEW.b13 AS b13, NEW.s13 AS s13, NEW.b14 AS b14, NEW.s14 AS s14, NEW.b15 AS b15, NEW.s15 AS s15, NEW.b16 AS b16, NEW.s16 AS s16, NEW.b17 AS b17, NEW.s17 AS s17, NEW.b18 AS b18, NEW.s18 AS s18, NEW.b19 AS b19, NEW.s19 AS s19, NEW.b20 AS b20, NEW.s20 AS s20, NEW.b21 AS b21, NEW.s21 AS s21, NEW.b22 AS b22, NEW.s22 AS s22, NEW.b23 AS b23, NEW.s23 AS s23, NEW.b24 AS b24, NEW.s24 AS s24, NEW.b25 AS b25, NEW.s25 AS s25, NEW.b26 AS b26, NEW.s26 AS s26, NEW.b27 AS b27, NEW.s27 AS s27, NEW.b28 AS b28, NEW.s28 AS s28, NEW.b29 AS b29, NEW.s29 AS s29, NEW.b30 AS b30, NEW.s30 AS s30, NEW.b31 AS b31, NEW.s31 AS s31, NEW.b32 AS b32, NEW.s32 AS s32, NEW.b33 AS b33, NEW.s33 AS s33, NEW.b34 AS b34, NEW.s34 AS s34, NEW.b35 AS b35, NEW.s35 AS s35, NEW.b36 AS b36, NEW.s36 AS s36, NEW.b37 AS b37, NEW.s37 AS s37, NEW.b38 AS b38, NEW.s38 AS s38, NEW.b39 AS b39, NEW.s39 AS s39, NEW.b40 AS b40, NEW.s40 AS s40, NEW.b41 AS b41, NEW.s41 AS s41, NEW.b42 AS b42, NEW.s42 AS s42, NEW.b43 AS b43, NEW.s43 AS s43, NEW.b44 AS b44, NEW.s44 AS s44, NEW.b45 AS b45, NEW.s45 AS s45 UNION ALL SELECT OLD.day AS day, OLD.institution_id AS institution_id, OLD.metric AS metric, -OLD.n AS n, -OLD.sum_ms AS sum_ms, -OLD.b0 AS b0, -OLD.s0 AS s0, -OLD.b1 AS b1, -OLD.s1 AS s1, -OLD.b2 AS b2, -OLD.s2 AS s2, -OLD.b3 AS b3, -OLD.s3 AS s3, -OLD.b4 AS b4, -OLD.s4 AS s4, -OLD.b5 AS b5, -OLD.s5 AS s5, -OLD.b6 AS b6, -OLD.s6 AS s6, -OLD.b7 AS b7, -OLD.s7 AS s7, -OLD.b8 AS b8, -OLD.s8 AS s8, -OLD.b9 AS b9, -OLD.s9 AS s9, -OLD.b10 AS b10, -OLD.s10 AS s10, -OLD.b11 AS b11, -OLD.s11 AS s11, -OLD.b12 AS b12, -OLD.s12 AS s12, -OLD.b13 AS b13, -OLD.s13 AS s13, -OLD.b14 AS b14, -OLD.s14 AS s14, -OLD.b15 AS b15, -OLD.s15 AS s15, -OLD.b16 AS b16, -OLD.s16 AS s16, -OLD.b17 AS b17, -OLD.s17 AS s17, -OLD.b18 AS b18, -OLD.s18 AS s18, -OLD.b19 AS b19, -OLD.s19 AS s19, -OLD.b20 AS b20, -OLD.s20 AS s20, -OLD.b21 AS b21, -OLD.s21 AS s21, -OLD.b22 AS b22, -OLD.s22 AS s22, -OLD.b23 AS b23, -OLD.s23 AS s23, -OLD.b24 AS b24, -OLD.s24 AS s24, -OLD.b25 AS b25, -OLD.s25 AS s25, -OLD.b26 AS b26, -OLD.s26 AS s26, -OLD.b27 AS b27, -OLD.s27 AS s27, -OLD.b28 AS b28, -OLD.s28 AS s28, -OLD.b29 AS b29, -OLD.s29 AS s29, -OLD.b30 AS b30, -OLD.s30 AS s30, -OLD.b31 AS b31, -OLD.s31 AS s31, -OLD.b32 AS b32, -OLD.s32 AS s32, -OLD.b33 AS b33, -OLD.s33 AS s33, -OLD.b34 AS b34, -OLD.s34 AS s34, -OLD.b35 AS b35, -OLD.s35 AS s35, -OLD.b36 AS b36, -OLD.s36 AS s36, -OLD.b37 AS b37, -OLD.s37 AS s37, -OLD.b38 AS b38, -OLD.s38 AS s38, -OLD.b39 AS b39, -OLD.s39 AS s39, -OLD.b40 AS b40, -OLD.s40 AS s40, -OLD.b41 AS b41, -OLD.s41 AS s41, -OLD.b42 AS b42, -OLD.s42 AS s42, -OLD.b43 AS b43, -OLD.s43 AS s43, -OLD.b44 AS b44, -OLD.s44 AS s44, -OLD.b45 AS b45, -OLD.s45 AS s45)
  GROUP BY 1, 2, 3
  ON CONFLICT (month, institution_id, metric) DO UPDATE SET n = n + excluded.n, sum_ms = sum_ms + excluded.sum_ms, b0 = b0 + excluded.b0, s0 = s0 + excluded.s0, b1 = b1 + excluded.b1, s1 = s1 + excluded.s1, b2 = b2 + excluded.b2, s2 = s2 + excluded.s2, b3 = b3 + excluded.b3, s3 = s3 + excluded.s3, b4 = b4 + excluded.b4, s4 = s4 + excluded.s4, b5 = b5 + excluded.b5, s5 = s5 + excluded.s5, b6 = b6 + excluded.b6, s6 = s6 + excluded.s6, b7 = b7 + excluded.b7, s7 = s7 + excluded.s7, b8 = b8 + excluded.b8, s8 = s8 + excluded.s8, b9 = b9 + excluded.b9, s9 = s9 + excluded.s9, b10 = b10 + excluded.b10, s10 = s10 + excluded.s10, b11 = b11 + excluded.b11, s11 = s11 + excluded.s11, b12 = b12 + excluded.b12, s12 = s12 + excluded.s12, b13 = b13 + excluded.b13, s13 = s13 + excluded.s13, b14 = b14 + excluded.b14, s14 = s14 + excluded.s14, b15 = b15 + excluded.b15, s15 = s15 + excluded.s15, b16 = b16 + excluded.b16, s16 = s16 + excluded.s16, b17 = b17 + excluded.b17, s17 = s17 + excluded.s17, b18 = b18 + excluded.b18, s18 = s18 + excluded.s18, b19 = b19 + excluded.b19, s19 = s19 + excluded.s19, b20 = b20 + excluded.b20, s20 = s20 + excluded.s20, b21 = b21 + excluded.b21, s21 = s21 + excluded.s21, b22 = b22 + excluded.b22, s22 = s22 + excluded.s22, b23 = b23 + excluded.b23, s23 = s23 + excluded.s23, b24 = b24 + excluded.b24, s24 = s24 + excluded.s24, b25 = b25 + excluded.b25, s25 = s25 + excluded.s25, b26 = b26 + excluded.b26, s26 = s26 + excluded.s26, b27 = b27 + excluded.b27, s27 = s27 + excluded.s27, b28 = b28 + excluded.b28, s28 = s28 + excluded.s28, b29 = b29 + excluded.b29, s29 = s29 + excluded.s29, b30 = b30 + excluded.b30, s30 = s30 + excluded.s30, b31 = b31 + excluded.b31, s31 = s31 + excluded.s31, b32 = b32 + excluded.b32, s32 = s32 + excluded.s32, b33 = b33 + excluded.b33, s33 = s33 + excluded.s33, b34 = b34 + excluded.b34, s34 = s34 + excluded.s34, b35 = b35 + excluded.b35, s35 = s35 + excluded.s35, b36 = b36 + excluded.b36, s36 = s36 + excluded.s36, b37 = b37 + excluded.b37, s37 = s37 + excluded.s37, b38 = b38 + excluded.b38, s38 = s38 + excluded.s38, b39 = b39 + excluded.b39, s39 = s39 + excluded.s39, b40 = b40 + excluded.b40, s40 = s40 + excluded.s40, b41 = b41 + excluded.b41, s41 = s41 + excluded.s41, b42 = b42 + excluded.b42, s42 = s42 + excluded.s42, b43 = b43 + excluded.b43, s43 = s43 + excluded.s43, b44 = b44 + excluded.b44, s44 = s44 + excluded.s44, b45 = b45 + excluded.b45, s45 = s45 + excluded.s45;
END;
--> statement-breakpoint
CREATE TRIGGER rollup_turnaround_monthly_delete AFTER DELETE ON turnaround_daily
BEGIN
  INSERT INTO turnaround_monthly (month, institution_id, metric, n, sum_ms, b0, s0, b1, s1, b2, s2, b3, s3, b4, s4, b5, s5, b6, s6, b7, s7, b8, s8, b9, s9, b10, s10, b11, s11, b12, s12, b13, s13, b14, s14, b15, s15, b16, s16, b17, s17, b18, s18, b19, s19, b20, s20, b21, s21, b22, s22, b23, s23, b24, s24, b25, s25, b26, s26, b27, s27, b28, s28, b29, s29, b30, s30, b31, s31, b32, s32, b33, s33, b34, s34, b35, s35, b36, s36, b37, s37, b38, s38, b39, s39, b40, s40, b41, s41, b42, s42, b43, s43, b44, s44, b45, s45)
  SELECT substr(day, 1, 7), institution_id, metric, SUM(n), SUM(sum_ms), SUM(b0), SUM(s0), SUM(b1), SUM(s1), SUM(b2), SUM(s2), SUM(b3), SUM(s3), SUM(b4), SUM(s4), SUM(b5), SUM(s5), SUM(b6), SUM(s6), SUM(b7), SUM(s7), SUM(b8), SUM(s8), SUM(b9), SUM(s9), SUM(b10), SUM(s10), SUM(b11), SUM(s11), SUM(b12), SUM(s12), SUM(b13), SUM(s13), SUM(b14), SUM(s14), SUM(b15), SUM(s15), SUM(b16), SUM(s16), SUM(b17), SUM(s17), SUM(b18), SUM(s18), SUM(b19), SUM(s19), SUM(b20), SUM(s20), SUM(b21), SUM(s21), SUM(b22), SUM(s22), SUM(b23), SUM(s23), SUM(b24), SUM(s24), SUM(b25), SUM(s25), SUM(b26), SUM(s26), SUM(b27), SUM(s27), SUM(b28), SUM(s28), SUM(b29), SUM(s29), SUM(b30), SUM(s30), SUM(b31), SUM(s31), SUM(b32), SUM(s32), SUM(b33), SUM(s33), SUM(b34), SUM(s34), SUM(b35), SUM(s35), SUM(b36), SUM(s36), SUM(b37), SUM(s37), SUM(b38), SUM(s38), SUM(b39), SUM(s39), SUM(b40), SUM(s40), SUM(b41), SUM(s41), SUM(b42), SUM(s42), SUM(b43), SUM(s43), SUM(b44), SUM(s44), SUM(b45), SUM(s45) FROM (SELECT OLD.day AS day, OLD.institution_id AS institution_id, OLD.metric AS metric, -OLD.n AS n, -OLD.sum_ms AS sum_ms, -OLD.b0 AS b0, -OLD.s0 AS s0, -OLD.b1 AS b1, -OLD.s1 AS s1, -OLD.b2 AS b2, -OLD.s2 AS s2, -OLD.b3 AS b3, -OLD.s3 AS s3, -OLD.b4 AS b4, -OLD.s4 AS s4, -OLD.b5 AS b5, -OLD.s5 AS s5, -OLD.b6 AS b6, -OLD.s6 AS s6, -OLD.b7 AS b7, -OLD.s7 AS s7, -OLD.b8 AS b8, -OLD.s8 AS s8, -OLD.b9 AS b9, -OLD.s9 AS s9, -OLD.b10 AS b10, -OLD.s10 AS s10, -OLD.b11 AS b11, -OLD.s11 AS s11, -OLD.b12 AS b12, -OLD.s12 AS s12, -OLD.b13 AS b13, -OLD.s13 AS s13, -OLD.b14 AS b14, -OLD.s14 AS s14, -OLD.b15 AS b15, -OLD.s15 AS s15, -OLD.b16 AS b16, -OLD.s16 AS s16, -OLD.b17 AS b17, -OLD.s17 AS s17, -OLD.b18 AS b18, -OLD.s18 AS s18, -OLD.b19 AS b19, -OLD.s19 AS s19, -OLD.b20 AS b20, -OLD.s20 AS s20, -OLD.b21 AS b21, -OLD.s21 AS s21, -OLD.b22 AS b22, -OLD.s22 AS s22, -OLD.b23 AS b23, -OLD.s23 AS s23, -OLD.b24 AS b24, -OLD.s24 AS s24, -OLD.b25 AS b25, -OLD.s25 AS s25, -OLD.b26 AS b26, -OLD.s26 AS s26, -OLD.b27 AS b27, -OLD.s27 AS s27, -OLD.b28 AS b28, -OLD.s28 AS s28, -OLD.b29 AS b29, -OLD.s29 AS s29, -OLD.b30 AS b30, -OLD.s30 AS s30, -OLD.b31 AS b31, -OLD.s31 AS s31, -OLD.b32 AS b32, -OLD.s32 AS s32, -OLD.b33 AS b33, -OLD.s33 AS s33, -OLD.b34 AS b34, -OLD.s34 AS s34, -OLD.b35 AS b35, -OLD.s35 AS s35, -OLD.b36 AS b36, -OLD.s36 AS s36, -OLD.b37 AS b37, -OLD.s37 AS s37, -OLD.b38 AS b38, -OLD.s38 AS s38, -OLD.b39 AS b39, -OLD.s39 AS s39, -OLD.b40 AS b40, -OLD.s40 AS s40, -OLD.b41 AS b41, -OLD.s41 AS s41, -OLD.b42 AS b42, -OLD.s42 AS s42, -OLD.b43 AS b43, -OLD.s43 AS s43, -OLD.b44 AS b44, -OLD.s44 AS s44, -OLD.b45 AS b45, -OLD.s45 AS s45)
  GROUP BY 1, 2, 3
  ON CONFLICT (month, institution_id, metric) DO UPDATE SET n = n + excluded.n, sum_ms = sum_ms + excluded.sum_ms, b0 = b0 + excluded.b0, s0 = s0 + excluded.s0, b1 = b1 + excluded.b1, s1 = s1 + excluded.s1, b2 = b2 + excluded.b2, s2 = s2 + excluded.s2, b3 = b3 + excluded.b3, s3 = s3 + excluded.s3, b4 = b4 + excluded.b4, s4 = s4 + excluded.s4, b5 = b5 + excluded.b5, s5 = s5 + excluded.s5, b6 = b6 + excluded.b6, s6 = s6 + excluded.s6, b7 = b7 + excluded.b7, s7 = s7 + excluded.s7, b8 = b8 + excluded.b8, s8 = s8 + excluded.s8, b9 = b9 + excluded.b9, s9 = s9 + excluded.s9, b10 = b10 + excluded.b10, s10 = s10 + excluded.s10, b11 = b11 + excluded.b11, s11 = s11 + excluded.s11, b12 = b12 + excluded.b12, s12 = s12 + excluded.s12, b13 = b13 + excluded.b13, s13 = s13 + excluded.s13, b14 = b14 + excluded.b14, s14 = s14 + excluded.s14, b15 = b15 + excluded.b15, s15 = s15 + excluded.s15, b16 = b16 + excluded.b16, s16 = s16 + excluded.s16, b17 = b17 + excluded.b17, s17 = s17 + excluded.s17, b18 = b18 + excluded.b18, s18 = s18 + excluded.s18, b19 = b19 + excluded.b19, s19 = s19 + excluded.s19, b20 = b20 + excluded.b20, s20 = s20 + excluded.s20, b21 = b21 + excluded.b21, s21 = s21 + excluded.s21, b22 = b22 + excluded.b22, s22 = s22 + excluded.s22, b23 = b23 + excluded.b23, s23 = s23 + excluded.s23, b24 = b24 + excluded.b24, s24 = s24 + excluded.s24, b25 = b25 + excluded.b25, s25 = s25 + excluded.s25, b26 = b26 + excluded.b26, s26 = s26 + excluded.s26, b27 = b27 + excluded.b27, s27 = s27 + excluded.s27, b28 = b28 + excluded.b28, s28 = s28 + excluded.s28, b29 = b29 + excluded.b29, s29 = s29 + excluded.s29, b30 = b30 + excluded.b30, s30 = s30 + excluded.s30, b31 = b31 + excluded.b31, s31 = s31 + excluded.s31, b32 = b32 + excluded.b32, s32 = s32 + excluded.s32, b33 = b33 + excluded.b33, s33 = s33 + excluded.s33, b34 = b34 + excluded.b34, s34 = s34 + excluded.s34, b35 = b35 + excluded.b35, s35 = s35 + excluded.s35, b36 = b36 + excluded.b36, s36 = s36 + excluded.s36, b37 = b37 + excluded.b37, s37 = s37 + excluded.s37, b38 = b38 + excluded.b38, s38 = s38 + excluded.s38, b39 = b39 + excluded.b39, s39 = s39 + excluded.s39, b40 = b40 + excluded.b40, s40 = s40 + excluded.s40, b41 = b41 + excluded.b41, s41 = s41 + excluded.s41, b42 = b42 + excluded.b42, s42 = s42 + excluded.s42, b43 = b43 + excluded.b43, s43 = s43 + excluded.s43, b44 = b44 + excluded.b44, s44 = s44 + excluded.s44, b45 = b45 + excluded.b45, s45 = s45 + excluded.s45;
END;
--> statement-breakpoint
DELETE FROM rx_monthly;
--> statement-breakpoint
INSERT INTO rx_monthly (month, institution_id, prescriber_id, signed, long_term, long_term_days, long_term_over_28, standing, items, with_antimicrobial, with_injection, essential_items, generic_items, vbp_items)
  SELECT substr(day, 1, 7), institution_id, prescriber_id, SUM(signed), SUM(long_term), SUM(long_term_days), SUM(long_term_over_28), SUM(standing), SUM(items), SUM(with_antimicrobial), SUM(with_injection), SUM(essential_items), SUM(generic_items), SUM(vbp_items) FROM rx_daily WHERE true
  GROUP BY 1, 2, 3
  ON CONFLICT (month, institution_id, prescriber_id) DO UPDATE SET signed = signed + excluded.signed, long_term = long_term + excluded.long_term, long_term_days = long_term_days + excluded.long_term_days, long_term_over_28 = long_term_over_28 + excluded.long_term_over_28, standing = standing + excluded.standing, items = items + excluded.items, with_antimicrobial = with_antimicrobial + excluded.with_antimicrobial, with_injection = with_injection + excluded.with_injection, essential_items = essential_items + excluded.essential_items, generic_items = generic_items + excluded.generic_items, vbp_items = vbp_items + excluded.vbp_items;
--> statement-breakpoint
DELETE FROM order_state_monthly;
--> statement-breakpoint
INSERT INTO order_state_monthly (month, institution_id, pharmacy_id, status, n)
  SELECT substr(day, 1, 7), institution_id, pharmacy_id, status, SUM(n) FROM order_state_daily WHERE true
  GROUP BY 1, 2, 3, 4
  ON CONFLICT (month, institution_id, pharmacy_id, status) DO UPDATE SET n = n + excluded.n;
--> statement-breakpoint
DELETE FROM qualification_monthly;
--> statement-breakpoint
INSERT INTO qualification_monthly (month, institution_id, reviewed, approved, rejected, rejected_non_standard, rejected_inappropriate, rejected_abnormal)
  SELECT substr(day, 1, 7), institution_id, SUM(reviewed), SUM(approved), SUM(rejected), SUM(rejected_non_standard), SUM(rejected_inappropriate), SUM(rejected_abnormal) FROM qualification_daily WHERE true
  GROUP BY 1, 2
  ON CONFLICT (month, institution_id) DO UPDATE SET reviewed = reviewed + excluded.reviewed, approved = approved + excluded.approved, rejected = rejected + excluded.rejected, rejected_non_standard = rejected_non_standard + excluded.rejected_non_standard, rejected_inappropriate = rejected_inappropriate + excluded.rejected_inappropriate, rejected_abnormal = rejected_abnormal + excluded.rejected_abnormal;
--> statement-breakpoint
DELETE FROM turnaround_monthly;
--> statement-breakpoint
INSERT INTO turnaround_monthly (month, institution_id, metric, n, sum_ms, b0, s0, b1, s1, b2, s2, b3, s3, b4, s4, b5, s5, b6, s6, b7, s7, b8, s8, b9, s9, b10, s10, b11, s11, b12, s12, b13, s13, b14, s14, b15, s15, b16, s16, b17, s17, b18, s18, b19, s19, b20, s20, b21, s21, b22, s22, b23, s23, b24, s24, b25, s25, b26, s26, b27, s27, b28, s28, b29, s29, b30, s30, b31, s31, b32, s32, b33, s33, b34, s34, b35, s35, b36, s36, b37, s37, b38, s38, b39, s39, b40, s40, b41, s41, b42, s42, b43, s43, b44, s44, b45, s45)
  SELECT substr(day, 1, 7), institution_id, metric, SUM(n), SUM(sum_ms), SUM(b0), SUM(s0), SUM(b1), SUM(s1), SUM(b2), SUM(s2), SUM(b3), SUM(s3), SUM(b4), SUM(s4), SUM(b5), SUM(s5), SUM(b6), SUM(s6), SUM(b7), SUM(s7), SUM(b8), SUM(s8), SUM(b9), SUM(s9), SUM(b10), SUM(s10), SUM(b11), SUM(s11), SUM(b12), SUM(s12), SUM(b13), SUM(s13), SUM(b14), SUM(s14), SUM(b15), SUM(s15), SUM(b16), SUM(s16), SUM(b17), SUM(s17), SUM(b18), SUM(s18), SUM(b19), SUM(s19), SUM(b20), SUM(s20), SUM(b21), SUM(s21), SUM(b22), SUM(s22), SUM(b23), SUM(s23), SUM(b24), SUM(s24), SUM(b25), SUM(s25), SUM(b26), SUM(s26), SUM(b27), SUM(s27), SUM(b28), SUM(s28), SUM(b29), SUM(s29), SUM(b30), SUM(s30), SUM(b31), SUM(s31), SUM(b32), SUM(s32), SUM(b33), SUM(s33), SUM(b34), SUM(s34), SUM(b35), SUM(s35), SUM(b36), SUM(s36), SUM(b37), SUM(s37), SUM(b38), SUM(s38), SUM(b39), SUM(s39), SUM(b40), SUM(s40), SUM(b41), SUM(s41), SUM(b42), SUM(s42), SUM(b43), SUM(s43), SUM(b44), SUM(s44), SUM(b45), SUM(s45) FROM turnaround_daily WHERE true
  GROUP BY 1, 2, 3
  ON CONFLICT (month, institution_id, metric) DO UPDATE SET n = n + excluded.n, sum_ms = sum_ms + excluded.sum_ms, b0 = b0 + excluded.b0, s0 = s0 + excluded.s0, b1 = b1 + excluded.b1, s1 = s1 + excluded.s1, b2 = b2 + excluded.b2, s2 = s2 + excluded.s2, b3 = b3 + excluded.b3, s3 = s3 + excluded.s3, b4 = b4 + excluded.b4, s4 = s4 + excluded.s4, b5 = b5 + excluded.b5, s5 = s5 + excluded.s5, b6 = b6 + excluded.b6, s6 = s6 + excluded.s6, b7 = b7 + excluded.b7, s7 = s7 + excluded.s7, b8 = b8 + excluded.b8, s8 = s8 + excluded.s8, b9 = b9 + excluded.b9, s9 = s9 + excluded.s9, b10 = b10 + excluded.b10, s10 = s10 + excluded.s10, b11 = b11 + excluded.b11, s11 = s11 + excluded.s11, b12 = b12 + excluded.b12, s12 = s12 + excluded.s12, b13 = b13 + excluded.b13, s13 = s13 + excluded.s13, b14 = b14 + excluded.b14, s14 = s14 + excluded.s14, b15 = b15 + excluded.b15, s15 = s15 + excluded.s15, b16 = b16 + excluded.b16, s16 = s16 + excluded.s16, b17 = b17 + excluded.b17, s17 = s17 + excluded.s17, b18 = b18 + excluded.b18, s18 = s18 + excluded.s18, b19 = b19 + excluded.b19, s19 = s19 + excluded.s19, b20 = b20 + excluded.b20, s20 = s20 + excluded.s20, b21 = b21 + excluded.b21, s21 = s21 + excluded.s21, b22 = b22 + excluded.b22, s22 = s22 + excluded.s22, b23 = b23 + excluded.b23, s23 = s23 + excluded.s23, b24 = b24 + excluded.b24, s24 = s24 + excluded.s24, b25 = b25 + excluded.b25, s25 = s25 + excluded.s25, b26 = b26 + excluded.b26, s26 = s26 + excluded.s26, b27 = b27 + excluded.b27, s27 = s27 + excluded.s27, b28 = b28 + excluded.b28, s28 = s28 + excluded.s28, b29 = b29 + excluded.b29, s29 = s29 + excluded.s29, b30 = b30 + excluded.b30, s30 = s30 + excluded.s30, b31 = b31 + excluded.b31, s31 = s31 + excluded.s31, b32 = b32 + excluded.b32, s32 = s32 + excluded.s32, b33 = b33 + excluded.b33, s33 = s33 + excluded.s33, b34 = b34 + excluded.b34, s34 = s34 + excluded.s34, b35 = b35 + excluded.b35, s35 = s35 + excluded.s35, b36 = b36 + excluded.b36, s36 = s36 + excluded.s36, b37 = b37 + excluded.b37, s37 = s37 + excluded.s37, b38 = b38 + excluded.b38, s38 = s38 + excluded.s38, b39 = b39 + excluded.b39, s39 = s39 + excluded.s39, b40 = b40 + excluded.b40, s40 = s40 + excluded.s40, b41 = b41 + excluded.b41, s41 = s41 + excluded.s41, b42 = b42 + excluded.b42, s42 = s42 + excluded.s42, b43 = b43 + excluded.b43, s43 = s43 + excluded.s43, b44 = b44 + excluded.b44, s44 = s44 + excluded.s44, b45 = b45 + excluded.b45, s45 = s45 + excluded.s45;
