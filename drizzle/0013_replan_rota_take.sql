CREATE TABLE "rota_take" (
	"team_id" text NOT NULL,
	"visit_id" text NOT NULL,
	"up_since" text NOT NULL,
	"taker_id" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "rota_take_team_id_visit_id_up_since_pk" PRIMARY KEY("team_id","visit_id","up_since")
);
--> statement-breakpoint
ALTER TABLE "rota_take" ADD CONSTRAINT "rota_take_team_id_team_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."team"("id") ON DELETE cascade ON UPDATE no action;