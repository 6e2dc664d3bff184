CREATE TABLE "lead_outcomes" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"lead_id" bigint NOT NULL,
	"stage" text NOT NULL,
	"amount" numeric(18, 2),
	"currency" text,
	"occurred_at" timestamp with time zone NOT NULL,
	"reason" text,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "webhook_deliveries" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"endpoint" text NOT NULL,
	"event_id" text NOT NULL,
	"event_key" text NOT NULL,
	"type" text NOT NULL,
	"lead_id" bigint NOT NULL,
	"body" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"delivered_at" timestamp with time zone,
	"failed_at" timestamp with time zone,
	"last_error" text,
	"last_status" integer
);
--> statement-breakpoint
CREATE TABLE "webhook_endpoints" (
	"url" text PRIMARY KEY NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"consecutive_failures" integer DEFAULT 0 NOT NULL,
	"failing_since" timestamp with time zone,
	"last_error" text,
	"last_success_at" timestamp with time zone,
	"paused_until" timestamp with time zone,
	"reported_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "handoffs" ADD COLUMN "updated_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
-- Handoffs from before: their last known change, not the moment of the upgrade.
UPDATE "handoffs" SET "updated_at" = greatest("created_at", "posted_at", "claimed_at", "decided_at");--> statement-breakpoint
ALTER TABLE "leads" ADD COLUMN "crm_stage" text;--> statement-breakpoint
ALTER TABLE "leads" ADD COLUMN "crm_stage_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "lead_outcomes" ADD CONSTRAINT "lead_outcomes_lead_id_leads_id_fk" FOREIGN KEY ("lead_id") REFERENCES "public"."leads"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "lead_outcomes_dedupe_key" ON "lead_outcomes" USING btree ("lead_id","stage","occurred_at");--> statement-breakpoint
CREATE UNIQUE INDEX "webhook_deliveries_event_key" ON "webhook_deliveries" USING btree ("endpoint","event_key");--> statement-breakpoint
CREATE INDEX "webhook_deliveries_pending_lead_idx" ON "webhook_deliveries" USING btree ("endpoint","lead_id","id") WHERE "webhook_deliveries"."delivered_at" is null and "webhook_deliveries"."failed_at" is null;--> statement-breakpoint
CREATE INDEX "webhook_deliveries_pending_due_idx" ON "webhook_deliveries" USING btree ("next_attempt_at") WHERE "webhook_deliveries"."delivered_at" is null and "webhook_deliveries"."failed_at" is null;--> statement-breakpoint
CREATE INDEX "handoffs_updated_at_idx" ON "handoffs" USING btree ("updated_at","id");--> statement-breakpoint
CREATE INDEX "handoffs_created_at_idx" ON "handoffs" USING btree ("created_at");