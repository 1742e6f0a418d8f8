CREATE SEQUENCE "public"."collab_seq" INCREMENT BY 1024 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1024 CACHE 1;--> statement-breakpoint
-- Sequence numbers were handed out per document by one process; from here on they come from
-- collab_seq, above every number already used, so old and new rows never collide.
SELECT setval('collab_seq', greatest(1024, (SELECT coalesce(max(seq), 0) FROM collab_update) + 1024, (SELECT coalesce(max(upto_seq), 0) FROM collab_snapshot) + 1024, (SELECT coalesce(max(seq), 0) FROM collab_change) + 1024));
