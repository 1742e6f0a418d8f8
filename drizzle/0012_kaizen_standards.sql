CREATE TABLE "kaizen_adoption" (
	"team_id" text NOT NULL,
	"card_id" text NOT NULL,
	"decision_id" text NOT NULL,
	"proposed_by" text,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "kaizen_adoption_team_id_card_id_decision_id_pk" PRIMARY KEY("team_id","card_id","decision_id")
);
--> statement-breakpoint
CREATE TABLE "lesson" (
	"id" text PRIMARY KEY NOT NULL,
	"team_id" text NOT NULL,
	"card_id" text NOT NULL,
	"title" text NOT NULL,
	"text" text NOT NULL,
	"published_by" text,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "care_standard" (
	"id" text PRIMARY KEY NOT NULL,
	"team_id" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "care_standard_version" (
	"id" text PRIMARY KEY NOT NULL,
	"standard_id" text NOT NULL,
	"number" integer NOT NULL,
	"content" jsonb NOT NULL,
	"decision_id" text,
	"advice_id" text,
	"proposed_by" text,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "care_standard_version_standardId_number_unique" UNIQUE("standard_id","number")
);
--> statement-breakpoint
ALTER TABLE "kaizen_adoption" ADD CONSTRAINT "kaizen_adoption_team_id_team_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."team"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kaizen_adoption" ADD CONSTRAINT "kaizen_adoption_decision_id_decision_id_fk" FOREIGN KEY ("decision_id") REFERENCES "public"."decision"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kaizen_adoption" ADD CONSTRAINT "kaizen_adoption_proposed_by_user_id_fk" FOREIGN KEY ("proposed_by") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lesson" ADD CONSTRAINT "lesson_team_id_team_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."team"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lesson" ADD CONSTRAINT "lesson_published_by_user_id_fk" FOREIGN KEY ("published_by") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "care_standard" ADD CONSTRAINT "care_standard_team_id_team_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."team"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "care_standard_version" ADD CONSTRAINT "care_standard_version_standard_id_care_standard_id_fk" FOREIGN KEY ("standard_id") REFERENCES "public"."care_standard"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "care_standard_version" ADD CONSTRAINT "care_standard_version_decision_id_decision_id_fk" FOREIGN KEY ("decision_id") REFERENCES "public"."decision"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "care_standard_version" ADD CONSTRAINT "care_standard_version_advice_id_advice_process_id_fk" FOREIGN KEY ("advice_id") REFERENCES "public"."advice_process"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "care_standard_version" ADD CONSTRAINT "care_standard_version_proposed_by_user_id_fk" FOREIGN KEY ("proposed_by") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "kaizen_adoption_decision_id_index" ON "kaizen_adoption" USING btree ("decision_id");--> statement-breakpoint
CREATE INDEX "lesson_at_index" ON "lesson" USING btree ("at");--> statement-breakpoint
CREATE INDEX "lesson_team_id_index" ON "lesson" USING btree ("team_id");--> statement-breakpoint
CREATE INDEX "care_standard_team_id_index" ON "care_standard" USING btree ("team_id");--> statement-breakpoint
CREATE INDEX "care_standard_version_decision_id_index" ON "care_standard_version" USING btree ("decision_id");--> statement-breakpoint
CREATE INDEX "care_standard_version_advice_id_index" ON "care_standard_version" USING btree ("advice_id");