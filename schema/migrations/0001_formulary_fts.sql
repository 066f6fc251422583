-- Full-text index over the derived search terms of formulary entries (external content:
-- rebuildable with INSERT INTO formulary_fts(formulary_fts) VALUES('rebuild'), which
-- matters because `wrangler d1 export` refuses databases with FTS5 tables).
CREATE VIRTUAL TABLE `formulary_fts` USING fts5(
  `search_terms`,
  content = 'formulary_entries',
  content_rowid = 'rowid',
  tokenize = 'unicode61 remove_diacritics 2'
);
--> statement-breakpoint
CREATE TRIGGER `formulary_fts_ai` AFTER INSERT ON `formulary_entries` BEGIN
  INSERT INTO formulary_fts(rowid, search_terms) VALUES (new.rowid, new.search_terms);
END;
--> statement-breakpoint
CREATE TRIGGER `formulary_fts_ad` AFTER DELETE ON `formulary_entries` BEGIN
  INSERT INTO formulary_fts(formulary_fts, rowid, search_terms) VALUES ('delete', old.rowid, old.search_terms);
END;
--> statement-breakpoint
CREATE TRIGGER `formulary_fts_au` AFTER UPDATE OF `search_terms` ON `formulary_entries` BEGIN
  INSERT INTO formulary_fts(formulary_fts, rowid, search_terms) VALUES ('delete', old.rowid, old.search_terms);
  INSERT INTO formulary_fts(rowid, search_terms) VALUES (new.rowid, new.search_terms);
END;
--> statement-breakpoint
INSERT INTO `formulary_meta` (`id`, `version`, `updated_at`) VALUES (1, 0, '1970-01-01T00:00:00.000Z');
