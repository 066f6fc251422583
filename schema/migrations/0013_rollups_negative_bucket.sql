-- Custom SQL migration: see worker/reports/rollups.sql.ts turnaroundRebuildSql
DROP TRIGGER rollup_turnaround_insert;
--> statement-breakpoint
CREATE TRIGGER rollup_turnaround_insert AFTER INSERT ON order_events WHEN (NEW.from_status = 'pending_review' AND NEW.to_status IN ('approved', 'rejected')) OR NEW.to_status IN ('picked_up', 'delivered')
BEGIN
  INSERT INTO turnaround_daily (day, institution_id, metric, n, sum_ms, b0, s0, b1, s1, b2, s2, b3, s3, b4, s4, b5, s5, b6, s6, b7, s7, b8, s8, b9, s9, b10, s10, b11, s11, b12, s12, b13, s13, b14, s14, b15, s15, b16, s16, b17, s17, b18, s18, b19, s19, b20, s20, b21, s21, b22, s22, b23, s23, b24, s24, b25, s25, b26, s26, b27, s27, b28, s28, b29, s29, b30, s30, b31, s31, b32, s32, b33, s33, b34, s34, b35, s35, b36, s36, b37, s37, b38, s38, b39, s39, b40, s40, b41, s41, b42, s42, b43, s43, b44, s44, b45, s45)
  SELECT day, institution_id, metric, COUNT(*), SUM(ms),
         SUM(bk = 0), SUM(CASE WHEN bk = 0 THEN ms ELSE 0 END),
         SUM(bk = 1), SUM(CASE WHEN bk = 1 THEN ms ELSE 0 END),
         SUM(bk = 2), SUM(CASE WHEN bk = 2 THEN ms ELSE 0 END),
         SUM(bk = 3), SUM(CASE WHEN bk = 3 THEN ms ELSE 0 END),
         SUM(bk = 4), SUM(CASE WHEN bk = 4 THEN ms ELSE 0 END),
         SUM(bk = 5), SUM(CASE WHEN bk = 5 THEN ms ELSE 0 END),
         SUM(bk = 6), SUM(CASE WHEN bk = 6 THEN ms ELSE 0 END),
         SUM(bk = 7), SUM(CASE WHEN bk = 7 THEN ms ELSE 0 END),
         SUM(bk = 8), SUM(CASE WHEN bk = 8 THEN ms ELSE 0 END),
         SUM(bk = 9), SUM(CASE WHEN bk = 9 THEN ms ELSE 0 END),
         SUM(bk = 10), SUM(CASE WHEN bk = 10 THEN ms ELSE 0 END),
         SUM(bk = 11), SUM(CASE WHEN bk = 11 THEN ms ELSE 0 END),
         SUM(bk = 12), SUM(CASE WHEN bk = 12 THEN ms ELSE 0 END),
         SUM(bk = 13), SUM(CASE WHEN bk = 13 THEN ms ELSE 0 END),
         SUM(bk = 14), SUM(CASE WHEN bk = 14 THEN ms ELSE 0 END),
         SUM(bk = 15), SUM(CASE WHEN bk = 15 THEN ms ELSE 0 END),
         SUM(bk = 16), SUM(CASE WHEN bk = 16 THEN ms ELSE 0 END),
         SUM(bk = 17), SUM(CASE WHEN bk = 17 THEN ms ELSE 0 END),
         SUM(bk = 18), SUM(CASE WHEN bk = 18 THEN ms ELSE 0 END),
         SUM(bk = 19), SUM(CASE WHEN bk = 19 THEN ms ELSE 0 END),
         SUM(bk = 20), SUM(CASE WHEN bk = 20 THEN ms ELSE 0 END),
         SUM(bk = 21), SUM(CASE WHEN bk = 21 THEN ms ELSE 0 END),
         SUM(bk = 22), SUM(CASE WHEN bk = 22 THEN ms ELSE 0 END),
         SUM(bk = 23), SUM(CASE WHEN bk = 23 THEN ms ELSE 0 END),
         SUM(bk = 24), SUM(CASE WHEN bk = 24 THEN ms ELSE 0 END),
         SUM(bk = 25), SUM(CASE WHEN bk = 25 THEN ms ELSE 0 END),
         SUM(bk = 26), SUM(CASE WHEN bk = 26 THEN ms ELSE 0 END),
         SUM(bk = 27), SUM(CASE WHEN bk = 27 THEN ms ELSE 0 END),
         SUM(bk = 28), SUM(CASE WHEN bk = 28 THEN ms ELSE 0 END),
         SUM(bk = 29), SUM(CASE WHEN bk = 29 THEN ms ELSE 0 END),
         SUM(bk = 30), SUM(CASE WHEN bk = 30 THEN ms ELSE 0 END),
         SUM(bk = 31), SUM(CASE WHEN bk = 31 THEN ms ELSE 0 END),
         SUM(bk = 32), SUM(CASE WHEN bk = 32 THEN ms ELSE 0 END),
         SUM(bk = 33), SUM(CASE WHEN bk = 33 THEN ms ELSE 0 END),
         SUM(bk = 34), SUM(CASE WHEN bk = 34 THEN ms ELSE 0 END),
         SUM(bk = 35), SUM(CASE WHEN bk = 35 THEN ms ELSE 0 END),
         SUM(bk = 36), SUM(CASE WHEN bk = 36 THEN ms ELSE 0 END),
         SUM(bk = 37), SUM(CASE WHEN bk = 37 THEN ms ELSE 0 END),
         SUM(bk = 38), SUM(CASE WHEN bk = 38 THEN ms ELSE 0 END),
         SUM(bk = 39), SUM(CASE WHEN bk = 39 THEN ms ELSE 0 END),
         SUM(bk = 40), SUM(CASE WHEN bk = 40 THEN ms ELSE 0 END),
         SUM(bk = 41), SUM(CASE WHEN bk = 41 THEN ms ELSE 0 END),
         SUM(bk = 42), SUM(CASE WHEN bk = 42 THEN ms ELSE 0 END),
         SUM(bk = 43), SUM(CASE WHEN bk = 43 THEN ms ELSE 0 END),
         SUM(bk = 44), SUM(CASE WHEN bk = 44 THEN ms ELSE 0 END),
         SUM(bk = 45), SUM(CASE WHEN bk = 45 THEN ms ELSE 0 END)
  FROM (SELECT *, CASE WHEN ms < 0 THEN 0 WHEN ms < 60000 THEN 1 WHEN ms < 75000 THEN 2 WHEN ms < 93750 THEN 3 WHEN ms < 117188 THEN 4 WHEN ms < 146484 THEN 5 WHEN ms < 183105 THEN 6 WHEN ms < 228882 THEN 7 WHEN ms < 286102 THEN 8 WHEN ms < 357628 THEN 9 WHEN ms < 447035 THEN 10 WHEN ms < 558794 THEN 11 WHEN ms < 698492 THEN 12 WHEN ms < 873115 THEN 13 WHEN ms < 1091394 THEN 14 WHEN ms < 1364242 THEN 15 WHEN ms < 1705303 THEN 16 WHEN ms < 2131628 THEN 17 WHEN ms < 2664535 THEN 18 WHEN ms < 3330669 THEN 19 WHEN ms < 4163336 THEN 20 WHEN ms < 5204170 THEN 21 WHEN ms < 6505213 THEN 22 WHEN ms < 8131516 THEN 23 WHEN ms < 10164395 THEN 24 WHEN ms < 12705494 THEN 25 WHEN ms < 15881868 THEN 26 WHEN ms < 19852335 THEN 27 WHEN ms < 24815418 THEN 28 WHEN ms < 31019273 THEN 29 WHEN ms < 38774091 THEN 30 WHEN ms < 48467614 THEN 31 WHEN ms < 60584518 THEN 32 WHEN ms < 75730647 THEN 33 WHEN ms < 94663309 THEN 34 WHEN ms < 118329136 THEN 35 WHEN ms < 147911420 THEN 36 WHEN ms < 184889275 THEN 37 WHEN ms < 231111593 THEN 38 WHEN ms < 288889492 THEN 39 WHEN ms < 361111865 THEN 40 WHEN ms < 451389831 THEN 41 WHEN ms < 564237288 THEN 42 WHEN ms < 705296610 THEN 43 WHEN ms < 881620763 THEN 44 ELSE 45 END AS bk
        FROM (SELECT date(e.at, '+8 hours') AS day, o.institution_id AS institution_id,
                     CASE WHEN e.to_status IN ('approved', 'rejected') THEN 'review' ELSE 'fulfilment' END AS metric,
                     ROUND((julianday(e.at) - julianday((SELECT MAX(p.at) FROM order_events p WHERE p.order_id = e.order_id AND p.to_status = CASE WHEN e.to_status IN ('approved', 'rejected') THEN 'pending_review' ELSE 'approved' END AND p.id < e.id))) * 86400000.0) AS ms
              FROM order_events e JOIN orders o ON o.id = e.order_id
              WHERE ((e.from_status = 'pending_review' AND e.to_status IN ('approved', 'rejected')) OR e.to_status IN ('picked_up', 'delivered')) AND (e.id = NEW.id)
              LIMIT -1)
        WHERE ms IS NOT NULL
        LIMIT -1)
  GROUP BY day, institution_id, metric
  ON CONFLICT (day, institution_id, metric) DO UPDATE SET n = n + excluded.n, sum_ms = sum_ms + excluded.sum_ms, b0 = b0 + excluded.b0, s0 = s0 + excluded.s0, b1 = b1 + excluded.b1, s1 = s1 + excluded.s1, b2 = b2 + excluded.b2, s2 = s2 + excluded.s2, b3 = b3 + excluded.b3, s3 = s3 + excluded.s3, b4 = b4 + excluded.b4, s4 = s4 + excluded.s4, b5 = b5 + excluded.b5, s5 = s5 + excluded.s5, b6 = b6 + excluded.b6, s6 = s6 + excluded.s6, b7 = b7 + excluded.b7, s7 = s7 + excluded.s7, b8 = b8 + excluded.b8, s8 = s8 + excluded.s8, b9 = b9 + excluded.b9, s9 = s9 + excluded.s9, b10 = b10 + excluded.b10, s10 = s10 + excluded.s10, b11 = b11 + excluded.b11, s11 = s11 + excluded.s11, b12 = b12 + excluded.b12, s12 = s12 + excluded.s12, b13 = b13 + excluded.b13, s13 = s13 + excluded.s13, b14 = b14 + excluded.b14, s14 = s14 + excluded.s14, b15 = b15 + excluded.b15, s15 = s15 + excluded.s15, b16 = b16 + excluded.b16, s16 = s16 + excluded.s16, b17 = b17 + excluded.b17, s17 = s17 + excluded.s17, b18 = b18 + excluded.b18, s18 = s18 + excluded.s18, b19 = b19 + excluded.b19, s19 = s19 + excluded.s19, b20 = b20 + excluded.b20, s20 = s20 + excluded.s20, b21 = b21 + excluded.b21, s21 = s21 + excluded.s21, b22 = b22 + excluded.b22, s22 = s22 + excluded.s22, b23 = b23 + excluded.b23, s23 = s23 + excluded.s23, b24 = b24 + excluded.b24, s24 = s24 + excluded.s24, b25 = b25 + excluded.b25, s25 = s25 + excluded.s25, b26 = b26 + excluded.b26, s26 = s26 + excluded.s26, b27 = b27 + excluded.b27, s27 = s27 + excluded.s27, b28 = b28 + excluded.b28, s28 = s28 + excluded.s28, b29 = b29 + excluded.b29, s29 = s29 + excluded.s29, b30 = b30 + excluded.b30, s30 = s30 + excluded.s30, b31 = b31 + excluded.b31, s31 = s31 + excluded.s31, b32 = b32 + excluded.b32, s32 = s32 + excluded.s32, b33 = b33 + excluded.b33, s33 = s33 + excluded.s33, b34 = b34 + excluded.b34, s34 = s34 + excluded.s34, b35 = b35 + excluded.b35, s35 = s35 + excluded.s35, b36 = b36 + excluded.b36, s36 = s36 + excluded.s36, b37 = b37 + excluded.b37, s37 = s37 + excluded.s37, b38 = b38 + excluded.b38, s38 = s38 + excluded.s38, b39 = b39 + excluded.b39, s39 = s39 + excluded.s39, b40 = b40 + excluded.b40, s40 = s40 + excluded.s40, b41 = b41 + excluded.b41, s41 = s41 + excluded.s41, b42 = b42 + excluded.b42, s42 = s42 + excluded.s42, b43 = b43 + excluded.b43, s43 = s43 + excluded.s43, b44 = b44 + excluded.b44, s44 = s44 + excluded.s44, b45 = b45 + excluded.b45, s45 = s45 + excluded.s45;
END;
--> statement-breakpoint
DELETE FROM turnaround_daily;
--> statement-breakpoint
INSERT INTO turnaround_daily (day, institution_id, metric, n, sum_ms, b0, s0, b1, s1, b2, s2, b3, s3, b4, s4, b5, s5, b6, s6, b7, s7, b8, s8, b9, s9, b10, s10, b11, s11, b12, s12, b13, s13, b14, s14, b15, s15, b16, s16, b17, s17, b18, s18, b19, s19, b20, s20, b21, s21, b22, s22, b23, s23, b24, s24, b25, s25, b26, s26, b27, s27, b28, s28, b29, s29, b30, s30, b31, s31, b32, s32, b33, s33, b34, s34, b35, s35, b36, s36, b37, s37, b38, s38, b39, s39, b40, s40, b41, s41, b42, s42, b43, s43, b44, s44, b45, s45)
  SELECT day, institution_id, metric, COUNT(*), SUM(ms),
         SUM(bk = 0), SUM(CASE WHEN bk = 0 THEN ms ELSE 0 END),
         SUM(bk = 1), SUM(CASE WHEN bk = 1 THEN ms ELSE 0 END),
         SUM(bk = 2), SUM(CASE WHEN bk = 2 THEN ms ELSE 0 END),
         SUM(bk = 3), SUM(CASE WHEN bk = 3 THEN ms ELSE 0 END),
         SUM(bk = 4), SUM(CASE WHEN bk = 4 THEN ms ELSE 0 END),
         SUM(bk = 5), SUM(CASE WHEN bk = 5 THEN ms ELSE 0 END),
         SUM(bk = 6), SUM(CASE WHEN bk = 6 THEN ms ELSE 0 END),
         SUM(bk = 7), SUM(CASE WHEN bk = 7 THEN ms ELSE 0 END),
         SUM(bk = 8), SUM(CASE WHEN bk = 8 THEN ms ELSE 0 END),
         SUM(bk = 9), SUM(CASE WHEN bk = 9 THEN ms ELSE 0 END),
         SUM(bk = 10), SUM(CASE WHEN bk = 10 THEN ms ELSE 0 END),
         SUM(bk = 11), SUM(CASE WHEN bk = 11 THEN ms ELSE 0 END),
         SUM(bk = 12), SUM(CASE WHEN bk = 12 THEN ms ELSE 0 END),
         SUM(bk = 13), SUM(CASE WHEN bk = 13 THEN ms ELSE 0 END),
         SUM(bk = 14), SUM(CASE WHEN bk = 14 THEN ms ELSE 0 END),
         SUM(bk = 15), SUM(CASE WHEN bk = 15 THEN ms ELSE 0 END),
         SUM(bk = 16), SUM(CASE WHEN bk = 16 THEN ms ELSE 0 END),
         SUM(bk = 17), SUM(CASE WHEN bk = 17 THEN ms ELSE 0 END),
         SUM(bk = 18), SUM(CASE WHEN bk = 18 THEN ms ELSE 0 END),
         SUM(bk = 19), SUM(CASE WHEN bk = 19 THEN ms ELSE 0 END),
         SUM(bk = 20), SUM(CASE WHEN bk = 20 THEN ms ELSE 0 END),
         SUM(bk = 21), SUM(CASE WHEN bk = 21 THEN ms ELSE 0 END),
         SUM(bk = 22), SUM(CASE WHEN bk = 22 THEN ms ELSE 0 END),
         SUM(bk = 23), SUM(CASE WHEN bk = 23 THEN ms ELSE 0 END),
         SUM(bk = 24), SUM(CASE WHEN bk = 24 THEN ms ELSE 0 END),
         SUM(bk = 25), SUM(CASE WHEN bk = 25 THEN ms ELSE 0 END),
         SUM(bk = 26), SUM(CASE WHEN bk = 26 THEN ms ELSE 0 END),
         SUM(bk = 27), SUM(CASE WHEN bk = 27 THEN ms ELSE 0 END),
         SUM(bk = 28), SUM(CASE WHEN bk = 28 THEN ms ELSE 0 END),
         SUM(bk = 29), SUM(CASE WHEN bk = 29 THEN ms ELSE 0 END),
         SUM(bk = 30), SUM(CASE WHEN bk = 30 THEN ms ELSE 0 END),
         SUM(bk = 31), SUM(CASE WHEN bk = 31 THEN ms ELSE 0 END),
         SUM(bk = 32), SUM(CASE WHEN bk = 32 THEN ms ELSE 0 END),
         SUM(bk = 33), SUM(CASE WHEN bk = 33 THEN ms ELSE 0 END),
         SUM(bk = 34), SUM(CASE WHEN bk = 34 THEN ms ELSE 0 END),
         SUM(bk = 35), SUM(CASE WHEN bk = 35 THEN ms ELSE 0 END),
         SUM(bk = 36), SUM(CASE WHEN bk = 36 THEN ms ELSE 0 END),
         SUM(bk = 37), SUM(CASE WHEN bk = 37 THEN ms ELSE 0 END),
         SUM(bk = 38), SUM(CASE WHEN bk = 38 THEN ms ELSE 0 END),
         SUM(bk = 39), SUM(CASE WHEN bk = 39 THEN ms ELSE 0 END),
         SUM(bk = 40), SUM(CASE WHEN bk = 40 THEN ms ELSE 0 END),
         SUM(bk = 41), SUM(CASE WHEN bk = 41 THEN ms ELSE 0 END),
         SUM(bk = 42), SUM(CASE WHEN bk = 42 THEN ms ELSE 0 END),
         SUM(bk = 43), SUM(CASE WHEN bk = 43 THEN ms ELSE 0 END),
         SUM(bk = 44), SUM(CASE WHEN bk = 44 THEN ms ELSE 0 END),
         SUM(bk = 45), SUM(CASE WHEN bk = 45 THEN ms ELSE 0 END)
  FROM (SELECT *, CASE WHEN ms < 0 THEN 0 WHEN ms < 60000 THEN 1 WHEN ms < 75000 THEN 2 WHEN ms < 93750 THEN 3 WHEN ms < 117188 THEN 4 WHEN ms < 146484 THEN 5 WHEN ms < 183105 THEN 6 WHEN ms < 228882 THEN 7 WHEN ms < 286102 THEN 8 WHEN ms < 357628 THEN 9 WHEN ms < 447035 THEN 10 WHEN ms < 558794 THEN 11 WHEN ms < 698492 THEN 12 WHEN ms < 873115 THEN 13 WHEN ms < 1091394 THEN 14 WHEN ms < 1364242 THEN 15 WHEN ms < 1705303 THEN 16 WHEN ms < 2131628 THEN 17 WHEN ms < 2664535 THEN 18 WHEN ms < 3330669 THEN 19 WHEN ms < 4163336 THEN 20 WHEN ms < 5204170 THEN 21 WHEN ms < 6505213 THEN 22 WHEN ms < 8131516 THEN 23 WHEN ms < 10164395 THEN 24 WHEN ms < 12705494 THEN 25 WHEN ms < 15881868 THEN 26 WHEN ms < 19852335 THEN 27 WHEN ms < 24815418 THEN 28 WHEN ms < 31019273 THEN 29 WHEN ms < 38774091 THEN 30 WHEN ms < 48467614 THEN 31 WHEN ms < 60584518 THEN 32 WHEN ms < 75730647 THEN 33 WHEN ms < 94663309 THEN 34 WHEN ms < 118329136 THEN 35 WHEN ms < 147911420 THEN 36 WHEN ms < 184889275 THEN 37 WHEN ms < 231111593 THEN 38 WHEN ms < 288889492 THEN 39 WHEN ms < 361111865 THEN 40 WHEN ms < 451389831 THEN 41 WHEN ms < 564237288 THEN 42 WHEN ms < 705296610 THEN 43 WHEN ms < 881620763 THEN 44 ELSE 45 END AS bk
        FROM (SELECT date(e.at, '+8 hours') AS day, o.institution_id AS institution_id,
                     CASE WHEN e.to_status IN ('approved', 'rejected') THEN 'review' ELSE 'fulfilment' END AS metric,
                     ROUND((julianday(e.at) - julianday((SELECT MAX(p.at) FROM order_events p WHERE p.order_id = e.order_id AND p.to_status = CASE WHEN e.to_status IN ('approved', 'rejected') THEN 'pending_review' ELSE 'approved' END AND p.id < e.id))) * 86400000.0) AS ms
              FROM order_events e JOIN orders o ON o.id = e.order_id
              WHERE ((e.from_status = 'pending_review' AND e.to_status IN ('approved', 'rejected')) OR e.to_status IN ('picked_up', 'delivered')) AND (1)
              LIMIT -1)
        WHERE ms IS NOT NULL
        LIMIT -1)
  GROUP BY day, institution_id, metric
  ON CONFLICT (day, institution_id, metric) DO UPDATE SET n = n + excluded.n, sum_ms = sum_ms + excluded.sum_ms, b0 = b0 + excluded.b0, s0 = s0 + excluded.s0, b1 = b1 + excluded.b1, s1 = s1 + excluded.s1, b2 = b2 + excluded.b2, s2 = s2 + excluded.s2, b3 = b3 + excluded.b3, s3 = s3 + excluded.s3, b4 = b4 + excluded.b4, s4 = s4 + excluded.s4, b5 = b5 + excluded.b5, s5 = s5 + excluded.s5, b6 = b6 + excluded.b6, s6 = s6 + excluded.s6, b7 = b7 + excluded.b7, s7 = s7 + excluded.s7, b8 = b8 + excluded.b8, s8 = s8 + excluded.s8, b9 = b9 + excluded.b9, s9 = s9 + excluded.s9, b10 = b10 + excluded.b10, s10 = s10 + excluded.s10, b11 = b11 + excluded.b11, s11 = s11 + excluded.s11, b12 = b12 + excluded.b12, s12 = s12 + excluded.s12, b13 = b13 + excluded.b13, s13 = s13 + excluded.s13, b14 = b14 + excluded.b14, s14 = s14 + excluded.s14, b15 = b15 + excluded.b15, s15 = s15 + excluded.s15, b16 = b16 + excluded.b16, s16 = s16 + excluded.s16, b17 = b17 + excluded.b17, s17 = s17 + excluded.s17, b18 = b18 + excluded.b18, s18 = s18 + excluded.s18, b19 = b19 + excluded.b19, s19 = s19 + excluded.s19, b20 = b20 + excluded.b20, s20 = s20 + excluded.s20, b21 = b21 + excluded.b21, s21 = s21 + excluded.s21, b22 = b22 + excluded.b22, s22 = s22 + excluded.s22, b23 = b23 + excluded.b23, s23 = s23 + excluded.s23, b24 = b24 + excluded.b24, s24 = s24 + excluded.s24, b25 = b25 + excluded.b25, s25 = s25 + excluded.s25, b26 = b26 + excluded.b26, s26 = s26 + excluded.s26, b27 = b27 + excluded.b27, s27 = s27 + excluded.s27, b28 = b28 + excluded.b28, s28 = s28 + excluded.s28, b29 = b29 + excluded.b29, s29 = s29 + excluded.s29, b30 = b30 + excluded.b30, s30 = s30 + excluded.s30, b31 = b31 + excluded.b31, s31 = s31 + excluded.s31, b32 = b32 + excluded.b32, s32 = s32 + excluded.s32, b33 = b33 + excluded.b33, s33 = s33 + excluded.s33, b34 = b34 + excluded.b34, s34 = s34 + excluded.s34, b35 = b35 + excluded.b35, s35 = s35 + excluded.s35, b36 = b36 + excluded.b36, s36 = s36 + excluded.s36, b37 = b37 + excluded.b37, s37 = s37 + excluded.s37, b38 = b38 + excluded.b38, s38 = s38 + excluded.s38, b39 = b39 + excluded.b39, s39 = s39 + excluded.s39, b40 = b40 + excluded.b40, s40 = s40 + excluded.s40, b41 = b41 + excluded.b41, s41 = s41 + excluded.s41, b42 = b42 + excluded.b42, s42 = s42 + excluded.s42, b43 = b43 + excluded.b43, s43 = s43 + excluded.s43, b44 = b44 + excluded.b44, s44 = s44 + excluded.s44, b45 = b45 + excluded.b45, s45 = s45 + excluded.s45;
