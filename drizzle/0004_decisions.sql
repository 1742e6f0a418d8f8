CREATE TABLE "decision" (
	"id" text PRIMARY KEY NOT NULL,
	"team_id" text NOT NULL,
	"title" text NOT NULL,
	"area" text NOT NULL,
	"stage" text NOT NULL,
	"review_date" date NOT NULL,
	"proposer_id" text,
	"revision" integer NOT NULL,
	"state" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"closed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "decision_event" (
	"decision_id" text NOT NULL,
	"seq" bigint NOT NULL,
	"user_id" text,
	"move" jsonb NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "decision_event_decision_id_seq_pk" PRIMARY KEY("decision_id","seq")
);
--> statement-breakpoint
ALTER TABLE "decision" ADD CONSTRAINT "decision_team_id_team_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."team"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "decision" ADD CONSTRAINT "decision_proposer_id_user_id_fk" FOREIGN KEY ("proposer_id") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "decision_event" ADD CONSTRAINT "decision_event_decision_id_decision_id_fk" FOREIGN KEY ("decision_id") REFERENCES "public"."decision"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "decision_event" ADD CONSTRAINT "decision_event_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "decision_team_id_stage_index" ON "decision" USING btree ("team_id","stage");--> statement-breakpoint
CREATE INDEX "decision_team_id_review_date_index" ON "decision" USING btree ("team_id","review_date");