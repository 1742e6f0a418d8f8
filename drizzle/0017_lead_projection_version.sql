CREATE TABLE "projection_version" (
	"doc_name" text PRIMARY KEY NOT NULL,
	"version" bigint NOT NULL
);
