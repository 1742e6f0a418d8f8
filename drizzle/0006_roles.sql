CREATE TABLE "election" (
	"id" text PRIMARY KEY NOT NULL,
	"team_id" text NOT NULL,
	"role_id" text NOT NULL,
	"stage" text NOT NULL,
	"revision" integer NOT NULL,
	"state" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "election_event" (
	"election_id" text NOT NULL,
	"seq" bigint NOT NULL,
	"user_id" text,
	"move" jsonb NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "election_event_election_id_seq_pk" PRIMARY KEY("election_id","seq")
);
--> statement-breakpoint
CREATE TABLE "role" (
	"id" text PRIMARY KEY NOT NULL,
	"team_id" text NOT NULL,
	"name" text NOT NULL,
	"purpose" text NOT NULL,
	"accountabilities" text[] DEFAULT '{}' NOT NULL,
	"term_months" integer NOT NULL,
	"essential" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "role_assignment" (
	"id" text PRIMARY KEY NOT NULL,
	"role_id" text NOT NULL,
	"member_id" text,
	"from" date NOT NULL,
	"until" date NOT NULL,
	"ended_on" date
);
--> statement-breakpoint
ALTER TABLE "election" ADD CONSTRAINT "election_team_id_team_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."team"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "election" ADD CONSTRAINT "election_role_id_role_id_fk" FOREIGN KEY ("role_id") REFERENCES "public"."role"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "election_event" ADD CONSTRAINT "election_event_election_id_election_id_fk" FOREIGN KEY ("election_id") REFERENCES "public"."election"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "election_event" ADD CONSTRAINT "election_event_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "role" ADD CONSTRAINT "role_team_id_team_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."team"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "role_assignment" ADD CONSTRAINT "role_assignment_role_id_role_id_fk" FOREIGN KEY ("role_id") REFERENCES "public"."role"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "role_assignment" ADD CONSTRAINT "role_assignment_member_id_user_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "election_role_id_index" ON "election" USING btree ("role_id");--> statement-breakpoint
CREATE INDEX "role_team_id_index" ON "role" USING btree ("team_id");--> statement-breakpoint
CREATE INDEX "role_assignment_role_id_index" ON "role_assignment" USING btree ("role_id");