CREATE TYPE "public"."employment" AS ENUM('salaried', 'self_employed');--> statement-breakpoint
CREATE TABLE "collab_change" (
	"doc_name" text NOT NULL,
	"seq" bigint NOT NULL,
	"entry" text NOT NULL,
	"field" text NOT NULL,
	"user_id" text,
	"at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "client" (
	"team_id" text NOT NULL,
	"id" text NOT NULL,
	"name" text NOT NULL,
	"address" text NOT NULL,
	"sector" text NOT NULL,
	"status" text NOT NULL,
	"status_since" text,
	"primary_carer_id" text,
	"needs" text NOT NULL,
	"nurse_only" boolean DEFAULT false NOT NULL,
	"two_carers" boolean DEFAULT false NOT NULL,
	"first_visit_done" boolean DEFAULT false NOT NULL,
	"refused_carer_ids" text[] DEFAULT '{}' NOT NULL,
	"problems" text[] DEFAULT '{}' NOT NULL,
	"projected_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "client_team_id_id_pk" PRIMARY KEY("team_id","id")
);
--> statement-breakpoint
CREATE TABLE "visit_pattern" (
	"team_id" text NOT NULL,
	"client_id" text NOT NULL,
	"position" integer NOT NULL,
	"weekday" integer NOT NULL,
	"start" integer NOT NULL,
	"minutes" integer NOT NULL,
	"qualification" text NOT NULL,
	CONSTRAINT "visit_pattern_team_id_client_id_position_pk" PRIMARY KEY("team_id","client_id","position")
);
--> statement-breakpoint
CREATE TABLE "absence" (
	"team_id" text NOT NULL,
	"id" text NOT NULL,
	"member_id" text NOT NULL,
	"kind" text NOT NULL,
	"starts_on" date NOT NULL,
	"ends_on" date NOT NULL,
	CONSTRAINT "absence_team_id_id_pk" PRIMARY KEY("team_id","id")
);
--> statement-breakpoint
CREATE TABLE "client_access" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"team_id" text NOT NULL,
	"client_id" text NOT NULL,
	"user_id" text,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "membership" ADD COLUMN "employment" "employment" DEFAULT 'salaried' NOT NULL;--> statement-breakpoint
ALTER TABLE "collab_change" ADD CONSTRAINT "collab_change_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "client" ADD CONSTRAINT "client_team_id_team_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."team"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "visit_pattern" ADD CONSTRAINT "visit_pattern_team_id_team_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."team"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "absence" ADD CONSTRAINT "absence_team_id_team_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."team"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "client_access" ADD CONSTRAINT "client_access_team_id_team_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."team"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "client_access" ADD CONSTRAINT "client_access_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "collab_change_doc_name_entry_at_index" ON "collab_change" USING btree ("doc_name","entry","at");--> statement-breakpoint
CREATE INDEX "client_team_id_sector_index" ON "client" USING btree ("team_id","sector");--> statement-breakpoint
CREATE INDEX "client_access_team_id_client_id_at_index" ON "client_access" USING btree ("team_id","client_id","at");--> statement-breakpoint
CREATE INDEX "client_access_at_index" ON "client_access" USING btree ("at");