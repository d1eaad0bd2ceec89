CREATE TABLE "ai_budget_days" (
	"day" date NOT NULL,
	"feature" text NOT NULL,
	"holder" text NOT NULL,
	"used_micros" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "ai_budget_days_day_feature_holder_pk" PRIMARY KEY("day","feature","holder")
);
--> statement-breakpoint
CREATE TABLE "ai_budgets" (
	"feature" text NOT NULL,
	"scope" text NOT NULL,
	"daily_micros" bigint NOT NULL,
	CONSTRAINT "ai_budgets_feature_scope_pk" PRIMARY KEY("feature","scope"),
	CONSTRAINT "ai_budgets_scope" CHECK ("ai_budgets"."scope" in ('global', 'user')),
	CONSTRAINT "ai_budgets_non_negative" CHECK ("ai_budgets"."daily_micros" >= 0)
);
--> statement-breakpoint
CREATE TABLE "ai_prices" (
	"provider" text NOT NULL,
	"model" text NOT NULL,
	"input_micros_per_million" bigint NOT NULL,
	"output_micros_per_million" bigint NOT NULL,
	CONSTRAINT "ai_prices_provider_model_pk" PRIMARY KEY("provider","model"),
	CONSTRAINT "ai_prices_non_negative" CHECK ("ai_prices"."input_micros_per_million" >= 0 and "ai_prices"."output_micros_per_million" >= 0)
);
--> statement-breakpoint
CREATE TABLE "ai_reservations" (
	"id" uuid PRIMARY KEY NOT NULL,
	"user_id" uuid,
	"feature" text NOT NULL,
	"day" date NOT NULL,
	"estimate_micros" bigint NOT NULL,
	"settled_micros" bigint,
	"created_at" timestamp with time zone NOT NULL,
	"settled_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "ai_usage" (
	"id" uuid PRIMARY KEY NOT NULL,
	"reservation_id" uuid NOT NULL,
	"user_id" uuid,
	"feature" text NOT NULL,
	"provider" text NOT NULL,
	"model" text NOT NULL,
	"outcome" text NOT NULL,
	"input_tokens" integer NOT NULL,
	"output_tokens" integer NOT NULL,
	"cost_micros" bigint NOT NULL,
	"latency_ms" integer NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "ai_usage_outcome" CHECK ("ai_usage"."outcome" in ('ok', 'error', 'timeout', 'cut', 'cancelled', 'abandoned'))
);
--> statement-breakpoint
CREATE TABLE "coach_turns" (
	"id" uuid PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"draft_id" uuid,
	"segment_id" uuid,
	"platform" text NOT NULL,
	"text" text NOT NULL,
	"status" text NOT NULL,
	"suggestions" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"provider" text,
	"fallback" boolean DEFAULT false NOT NULL,
	"safety_category" text,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "coach_turns_status" CHECK ("coach_turns"."status" in ('pending', 'done', 'failed', 'safety'))
);
--> statement-breakpoint
CREATE TABLE "lens_actions" (
	"id" uuid PRIMARY KEY NOT NULL,
	"goal_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"title" text NOT NULL,
	"day" date NOT NULL,
	"done_at" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "lens_goals" (
	"id" uuid PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"title" text NOT NULL,
	"why" text DEFAULT '' NOT NULL,
	"target_day" date,
	"status" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "lens_goals_status" CHECK ("lens_goals"."status" in ('active', 'completed', 'archived'))
);
--> statement-breakpoint
CREATE TABLE "mirror_messages" (
	"id" uuid PRIMARY KEY NOT NULL,
	"session_id" uuid NOT NULL,
	"role" text NOT NULL,
	"content" text NOT NULL,
	"provider" text,
	"fallback" boolean DEFAULT false NOT NULL,
	"complete" boolean DEFAULT true NOT NULL,
	"safety_category" text,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "mirror_messages_role" CHECK ("mirror_messages"."role" in ('user', 'coach'))
);
--> statement-breakpoint
CREATE TABLE "mirror_sessions" (
	"id" uuid PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"draft_id" uuid,
	"title" text NOT NULL,
	"message_count" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"deleted_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "safety_events" (
	"id" uuid PRIMARY KEY NOT NULL,
	"user_id" uuid,
	"feature" text NOT NULL,
	"category" text NOT NULL,
	"rule_id" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "ai_reservations" ADD CONSTRAINT "ai_reservations_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ai_usage" ADD CONSTRAINT "ai_usage_reservation_id_ai_reservations_id_fk" FOREIGN KEY ("reservation_id") REFERENCES "public"."ai_reservations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ai_usage" ADD CONSTRAINT "ai_usage_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "coach_turns" ADD CONSTRAINT "coach_turns_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "coach_turns" ADD CONSTRAINT "coach_turns_draft_id_drafts_id_fk" FOREIGN KEY ("draft_id") REFERENCES "public"."drafts"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lens_actions" ADD CONSTRAINT "lens_actions_goal_id_lens_goals_id_fk" FOREIGN KEY ("goal_id") REFERENCES "public"."lens_goals"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lens_actions" ADD CONSTRAINT "lens_actions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lens_goals" ADD CONSTRAINT "lens_goals_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mirror_messages" ADD CONSTRAINT "mirror_messages_session_id_mirror_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."mirror_sessions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mirror_sessions" ADD CONSTRAINT "mirror_sessions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mirror_sessions" ADD CONSTRAINT "mirror_sessions_draft_id_drafts_id_fk" FOREIGN KEY ("draft_id") REFERENCES "public"."drafts"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "safety_events" ADD CONSTRAINT "safety_events_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "ai_reservations_open_idx" ON "ai_reservations" USING btree ("created_at") WHERE "ai_reservations"."settled_at" is null;--> statement-breakpoint
CREATE INDEX "ai_usage_user_idx" ON "ai_usage" USING btree ("user_id","created_at");--> statement-breakpoint
CREATE INDEX "ai_usage_feature_idx" ON "ai_usage" USING btree ("feature","created_at");--> statement-breakpoint
CREATE INDEX "ai_usage_reservation_idx" ON "ai_usage" USING btree ("reservation_id");--> statement-breakpoint
CREATE INDEX "coach_turns_user_idx" ON "coach_turns" USING btree ("user_id","created_at","id");--> statement-breakpoint
CREATE INDEX "lens_actions_goal_idx" ON "lens_actions" USING btree ("goal_id","day","id");--> statement-breakpoint
CREATE INDEX "lens_actions_user_day_idx" ON "lens_actions" USING btree ("user_id","day");--> statement-breakpoint
CREATE INDEX "lens_goals_user_idx" ON "lens_goals" USING btree ("user_id","status","created_at","id");--> statement-breakpoint
CREATE INDEX "mirror_messages_session_idx" ON "mirror_messages" USING btree ("session_id","id");--> statement-breakpoint
CREATE INDEX "mirror_sessions_user_idx" ON "mirror_sessions" USING btree ("user_id","updated_at","id");--> statement-breakpoint
CREATE INDEX "mirror_sessions_created_idx" ON "mirror_sessions" USING btree ("user_id","created_at");--> statement-breakpoint
CREATE INDEX "safety_events_user_idx" ON "safety_events" USING btree ("user_id","created_at");--> statement-breakpoint
CREATE INDEX "safety_events_time_idx" ON "safety_events" USING btree ("created_at");--> statement-breakpoint
-- Prices per million tokens in micro-dollars. '*' is the provider's price for a model not listed: for
-- OpenAI-compatible servers a high one, so an unknown model is never cheaper than it really is.
INSERT INTO "ai_prices" ("provider", "model", "input_micros_per_million", "output_micros_per_million") VALUES
  ('local', '*', 0, 0),
  ('openai', 'gpt-4o-mini', 150000, 600000),
  ('openai', 'gpt-4.1-mini', 400000, 1600000),
  ('openai', 'gpt-4o', 2500000, 10000000),
  ('openai', '*', 10000000, 30000000);
--> statement-breakpoint
-- Daily budgets in micro-dollars: for all users together, and for each user.
INSERT INTO "ai_budgets" ("feature", "scope", "daily_micros") VALUES
  ('turn', 'global', 50000000),
  ('turn', 'user', 500000),
  ('mirror', 'global', 50000000),
  ('mirror', 'user', 1000000);
--> statement-breakpoint
INSERT INTO "plan_entitlements" ("plan_id", "key", "value", "grace") VALUES
  ('free', 'coach.goals.max', 3, 0),
  ('creator', 'coach.goals.max', 20, 2),
  ('team', 'coach.goals.max', NULL, 0);
