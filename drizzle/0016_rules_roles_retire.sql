ALTER TABLE "role" ADD COLUMN "template_key" text;--> statement-breakpoint
ALTER TABLE "role" ADD COLUMN "retired_on" date;--> statement-breakpoint
ALTER TABLE "team" DROP COLUMN "swap_notice_minutes";--> statement-breakpoint
-- hand-written
UPDATE "role" SET "template_key" = CASE "name"
	WHEN 'Joueur·se d’équipe' THEN 'team-player'
	WHEN 'Intendant·e (bureau et budget)' THEN 'steward'
	WHEN 'Informateur·rice' THEN 'informer'
	WHEN 'Développeur·se' THEN 'developer'
	WHEN 'Planificateur·rice' THEN 'planner'
	WHEN 'Mentor·e des nouveaux' THEN 'mentor'
	WHEN 'Facilitateur·rice de réunion' THEN 'facilitator'
	WHEN 'Secrétaire de réunion' THEN 'note-taker'
END WHERE "template_key" IS NULL;
--> statement-breakpoint
UPDATE "role" SET "purpose" = 'Faire avancer la réunion sans rien décider : « quelle est ta proposition ? », « à quoi sert-elle ? ».' WHERE "template_key" = 'facilitator' AND "purpose" = 'Faire avancer la réunion sans rien décider : « quelle est ta proposition ? », « à quoi sert-elle ? ».';
