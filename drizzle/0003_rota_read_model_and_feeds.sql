CREATE TABLE "rota_visit" (
	"team_id" text NOT NULL,
	"week" text NOT NULL,
	"id" text NOT NULL,
	"client_id" text NOT NULL,
	"carer_id" text,
	"date" date NOT NULL,
	"start" integer NOT NULL,
	"minutes" integer NOT NULL,
	"qualification" text NOT NULL,
	CONSTRAINT "rota_visit_team_id_week_id_pk" PRIMARY KEY("team_id","week","id")
);
--> statement-breakpoint
CREATE TABLE "calendar_feed" (
	"id" text PRIMARY KEY NOT NULL,
	"token_hash" text NOT NULL,
	"user_id" text NOT NULL,
	"team_id" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "calendar_feed_tokenHash_unique" UNIQUE("token_hash")
);
--> statement-breakpoint
ALTER TABLE "rota_visit" ADD CONSTRAINT "rota_visit_team_id_team_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."team"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "calendar_feed" ADD CONSTRAINT "calendar_feed_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "calendar_feed" ADD CONSTRAINT "calendar_feed_team_id_team_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."team"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "rota_visit_carer_id_date_index" ON "rota_visit" USING btree ("carer_id","date");--> statement-breakpoint
CREATE INDEX "calendar_feed_user_id_team_id_index" ON "calendar_feed" USING btree ("user_id","team_id");