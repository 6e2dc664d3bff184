CREATE TABLE "offers" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"handoff_id" bigint NOT NULL,
	"user_id" text NOT NULL,
	"route_name" text,
	"reason" text NOT NULL,
	"offered_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"answered_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "rep_away" (
	"user_id" text PRIMARY KEY NOT NULL,
	"away_until" timestamp with time zone,
	"since" timestamp with time zone NOT NULL,
	"set_by" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "routing_versions" (
	"version" integer PRIMARY KEY NOT NULL,
	"routes" jsonb NOT NULL,
	"change" text NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "handoffs" ADD COLUMN "route_name" text;--> statement-breakpoint
ALTER TABLE "handoffs" ADD COLUMN "routing_version" integer;--> statement-breakpoint
ALTER TABLE "handoffs" ADD COLUMN "post_channel" text;--> statement-breakpoint
ALTER TABLE "handoffs" ADD COLUMN "offer_mode" text;--> statement-breakpoint
ALTER TABLE "offers" ADD CONSTRAINT "offers_handoff_id_handoffs_id_fk" FOREIGN KEY ("handoff_id") REFERENCES "public"."handoffs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "offers_one_open_per_handoff" ON "offers" USING btree ("handoff_id") WHERE "offers"."status" = 'open';--> statement-breakpoint
CREATE INDEX "offers_handoff_idx" ON "offers" USING btree ("handoff_id");--> statement-breakpoint
CREATE INDEX "offers_user_offered_idx" ON "offers" USING btree ("user_id","offered_at");--> statement-breakpoint
CREATE INDEX "offers_open_expiry_idx" ON "offers" USING btree ("expires_at") WHERE "offers"."status" = 'open';--> statement-breakpoint
CREATE INDEX "handoffs_offer_mode_idx" ON "handoffs" USING btree ("id") WHERE "handoffs"."offer_mode" is not null;