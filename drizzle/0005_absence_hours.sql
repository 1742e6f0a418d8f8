ALTER TABLE "absence" ADD COLUMN "starts_at" integer;--> statement-breakpoint
ALTER TABLE "absence" ADD COLUMN "ends_at" integer;