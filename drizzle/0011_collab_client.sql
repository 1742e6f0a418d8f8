CREATE TABLE "collab_client" (
	"doc_name" text NOT NULL,
	"client_id" bigint NOT NULL,
	"user_id" text,
	CONSTRAINT "collab_client_doc_name_client_id_pk" PRIMARY KEY("doc_name","client_id")
);
--> statement-breakpoint
ALTER TABLE "collab_client" ADD CONSTRAINT "collab_client_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;