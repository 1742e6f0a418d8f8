CREATE TABLE "advice_event" (
	"advice_id" text NOT NULL,
	"seq" bigint NOT NULL,
	"user_id" text,
	"move" jsonb NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "advice_event_advice_id_seq_pk" PRIMARY KEY("advice_id","seq")
);
--> statement-breakpoint
CREATE TABLE "advice_process" (
	"id" text PRIMARY KEY NOT NULL,
	"team_id" text NOT NULL,
	"title" text NOT NULL,
	"area" text NOT NULL,
	"stage" text NOT NULL,
	"review_date" date NOT NULL,
	"decider_id" text,
	"revision" integer NOT NULL,
	"state" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"closed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "meeting" (
	"id" text PRIMARY KEY NOT NULL,
	"team_id" text NOT NULL,
	"held_on" date NOT NULL,
	"status" text NOT NULL,
	"facilitator_id" text,
	"note_taker_id" text,
	"started_at" timestamp with time zone,
	"closed_at" timestamp with time zone,
	"minutes" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "coach_call" (
	"id" text PRIMARY KEY NOT NULL,
	"team_id" text NOT NULL,
	"meeting_id" text,
	"called_by" text,
	"note" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"answered_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "health_week" (
	"team_id" text NOT NULL,
	"week" text NOT NULL,
	"figures" jsonb NOT NULL,
	"computed_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "health_week_team_id_week_pk" PRIMARY KEY("team_id","week")
);
--> statement-breakpoint
CREATE TABLE "pulse_answer" (
	"id" text PRIMARY KEY NOT NULL,
	"team_id" text NOT NULL,
	"week" text NOT NULL,
	"energy" text NOT NULL,
	"workload" text NOT NULL,
	"teamwork" text NOT NULL,
	"decisions" text NOT NULL,
	"word" text
);
--> statement-breakpoint
CREATE TABLE "pulse_response" (
	"team_id" text NOT NULL,
	"week" text NOT NULL,
	"user_id" text NOT NULL,
	CONSTRAINT "pulse_response_team_id_week_user_id_pk" PRIMARY KEY("team_id","week","user_id")
);
--> statement-breakpoint
ALTER TABLE "team" ADD COLUMN "swap_notice_minutes" integer DEFAULT 120 NOT NULL;--> statement-breakpoint
ALTER TABLE "team" ADD COLUMN "split_from" text;--> statement-breakpoint
ALTER TABLE "coaching" ADD COLUMN "status" text DEFAULT 'active' NOT NULL;--> statement-breakpoint
ALTER TABLE "coaching" ADD COLUMN "decision_id" text;--> statement-breakpoint
ALTER TABLE "decision" ADD COLUMN "meeting_id" text;--> statement-breakpoint
ALTER TABLE "advice_event" ADD CONSTRAINT "advice_event_advice_id_advice_process_id_fk" FOREIGN KEY ("advice_id") REFERENCES "public"."advice_process"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "advice_event" ADD CONSTRAINT "advice_event_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "advice_process" ADD CONSTRAINT "advice_process_team_id_team_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."team"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "advice_process" ADD CONSTRAINT "advice_process_decider_id_user_id_fk" FOREIGN KEY ("decider_id") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meeting" ADD CONSTRAINT "meeting_team_id_team_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."team"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meeting" ADD CONSTRAINT "meeting_facilitator_id_user_id_fk" FOREIGN KEY ("facilitator_id") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meeting" ADD CONSTRAINT "meeting_note_taker_id_user_id_fk" FOREIGN KEY ("note_taker_id") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "coach_call" ADD CONSTRAINT "coach_call_team_id_team_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."team"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "coach_call" ADD CONSTRAINT "coach_call_meeting_id_meeting_id_fk" FOREIGN KEY ("meeting_id") REFERENCES "public"."meeting"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "coach_call" ADD CONSTRAINT "coach_call_called_by_user_id_fk" FOREIGN KEY ("called_by") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "health_week" ADD CONSTRAINT "health_week_team_id_team_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."team"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pulse_answer" ADD CONSTRAINT "pulse_answer_team_id_team_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."team"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pulse_response" ADD CONSTRAINT "pulse_response_team_id_team_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."team"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pulse_response" ADD CONSTRAINT "pulse_response_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "advice_process_team_id_stage_index" ON "advice_process" USING btree ("team_id","stage");--> statement-breakpoint
CREATE INDEX "advice_process_team_id_review_date_index" ON "advice_process" USING btree ("team_id","review_date");--> statement-breakpoint
CREATE INDEX "meeting_team_id_held_on_index" ON "meeting" USING btree ("team_id","held_on");--> statement-breakpoint
CREATE INDEX "coach_call_team_id_at_index" ON "coach_call" USING btree ("team_id","at");--> statement-breakpoint
CREATE INDEX "pulse_answer_team_id_week_index" ON "pulse_answer" USING btree ("team_id","week");--> statement-breakpoint
ALTER TABLE "decision" ADD CONSTRAINT "decision_meeting_id_meeting_id_fk" FOREIGN KEY ("meeting_id") REFERENCES "public"."meeting"("id") ON DELETE set null ON UPDATE no action;