ALTER TABLE "criteria" ADD COLUMN "axis" text;--> statement-breakpoint
ALTER TABLE "criteria" ADD COLUMN "within_ms" bigint;--> statement-breakpoint
ALTER TABLE "criteria_versions" ADD COLUMN "fit_minimum" integer;--> statement-breakpoint
ALTER TABLE "criteria_versions" ADD COLUMN "engagement_minimum" integer;--> statement-breakpoint
ALTER TABLE "criteria_versions" ADD COLUMN "decay" jsonb DEFAULT '{"kind":"off"}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "leads" ADD COLUMN "rescore_due_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "leads_rescore_due_idx" ON "leads" USING btree ("rescore_due_at") WHERE "leads"."rescore_due_at" is not null;--> statement-breakpoint
-- `contains` now matches whole words; rules stored before meant a substring, which is `includes`. Every stored
-- version (and the rule rows) keeps its meaning, so no lead's score or breakdown changes by this migration.
UPDATE "criteria" SET "op" = 'includes' WHERE "op" = 'contains';--> statement-breakpoint
UPDATE "criteria_versions" SET "rules" = (
  SELECT jsonb_agg(CASE WHEN r->>'op' = 'contains' THEN jsonb_set(r, '{op}', '"includes"') ELSE r END ORDER BY ord)
  FROM jsonb_array_elements("rules") WITH ORDINALITY AS t(r, ord)
) WHERE "rules" @> '[{"op":"contains"}]';
