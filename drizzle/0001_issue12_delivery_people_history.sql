CREATE TABLE "sla_notices" (
	"key" text PRIMARY KEY NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "handoffs" ADD COLUMN "history" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "leads" ADD COLUMN "email_key" text;--> statement-breakpoint
ALTER TABLE "outbox" ADD COLUMN "held_reason" text;--> statement-breakpoint
ALTER TABLE "outbox" ADD COLUMN "held_since" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "leads_email_key_idx" ON "leads" USING btree ("email_key");--> statement-breakpoint
UPDATE "leads" SET "email_key" = lower(btrim("email")) WHERE "email" IS NOT NULL AND btrim("email") <> '';
