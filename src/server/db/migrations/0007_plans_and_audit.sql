CREATE TABLE "entitlement_grace" (
	"user_id" uuid NOT NULL,
	"key" text NOT NULL,
	"used" integer NOT NULL,
	CONSTRAINT "entitlement_grace_user_id_key_pk" PRIMARY KEY("user_id","key"),
	CONSTRAINT "entitlement_grace_used_check" CHECK ("entitlement_grace"."used" >= 0)
);
--> statement-breakpoint
CREATE TABLE "entitlement_overrides" (
	"id" uuid PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"key" text NOT NULL,
	"value" integer,
	"expires_at" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL,
	"created_by" uuid NOT NULL,
	CONSTRAINT "entitlement_overrides_value_check" CHECK ("entitlement_overrides"."value" is null or "entitlement_overrides"."value" >= 0)
);
--> statement-breakpoint
CREATE TABLE "plan_entitlements" (
	"plan_id" text NOT NULL,
	"key" text NOT NULL,
	"value" integer,
	"grace" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "plan_entitlements_plan_id_key_pk" PRIMARY KEY("plan_id","key"),
	CONSTRAINT "plan_entitlements_value_check" CHECK ("plan_entitlements"."value" is null or "plan_entitlements"."value" >= 0),
	CONSTRAINT "plan_entitlements_grace_check" CHECK ("plan_entitlements"."grace" >= 0)
);
--> statement-breakpoint
CREATE TABLE "plans" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"description" text NOT NULL,
	"enforcement_enabled" boolean DEFAULT true NOT NULL,
	"position" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "user_plans" (
	"user_id" uuid PRIMARY KEY NOT NULL,
	"plan_id" text NOT NULL,
	"since" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "audit_log" (
	"id" uuid PRIMARY KEY NOT NULL,
	"actor_id" uuid NOT NULL,
	"actor_email" text NOT NULL,
	"action" text NOT NULL,
	"target_type" text NOT NULL,
	"target_id" text NOT NULL,
	"before" jsonb,
	"after" jsonb,
	"request_id" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "entitlement_grace" ADD CONSTRAINT "entitlement_grace_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "entitlement_overrides" ADD CONSTRAINT "entitlement_overrides_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_entitlements" ADD CONSTRAINT "plan_entitlements_plan_id_plans_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."plans"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "user_plans" ADD CONSTRAINT "user_plans_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "user_plans" ADD CONSTRAINT "user_plans_plan_id_plans_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."plans"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "entitlement_overrides_user_key" ON "entitlement_overrides" USING btree ("user_id","key");--> statement-breakpoint
CREATE INDEX "user_plans_plan_idx" ON "user_plans" USING btree ("plan_id","user_id");--> statement-breakpoint
CREATE INDEX "audit_log_time_idx" ON "audit_log" USING btree ("created_at","id");--> statement-breakpoint
CREATE INDEX "audit_log_actor_idx" ON "audit_log" USING btree ("actor_id","created_at","id");--> statement-breakpoint
CREATE INDEX "audit_log_target_idx" ON "audit_log" USING btree ("target_type","target_id","created_at","id");--> statement-breakpoint
CREATE INDEX "audit_log_action_idx" ON "audit_log" USING btree ("action","created_at","id");--> statement-breakpoint
CREATE INDEX "drafts_owner_active_idx" ON "drafts" USING btree ("owner_id") WHERE "drafts"."status" <> 'archived';--> statement-breakpoint
INSERT INTO "plans" ("id", "name", "description", "enforcement_enabled", "position") VALUES
	('free', 'Free', 'Write threads with a few friends.', true, 0),
	('creator', 'Creator', 'For people who write threads every week.', true, 1),
	('team', 'Team', 'For teams that write together every day.', true, 2);
--> statement-breakpoint
INSERT INTO "plan_entitlements" ("plan_id", "key", "value", "grace") VALUES
	('free', 'drafts.max', 10, 2),
	('free', 'collaborators.max', 3, 1),
	('free', 'analytics.enabled', 1, 0),
	('free', 'coach.turns_per_day', 10, 0),
	('free', 'coach.mirror_sessions_per_week', 2, 0),
	('creator', 'drafts.max', 100, 5),
	('creator', 'collaborators.max', 10, 2),
	('creator', 'analytics.enabled', 1, 0),
	('creator', 'coach.turns_per_day', 100, 5),
	('creator', 'coach.mirror_sessions_per_week', 14, 1),
	('team', 'drafts.max', NULL, 0),
	('team', 'collaborators.max', 50, 5),
	('team', 'analytics.enabled', 1, 0),
	('team', 'coach.turns_per_day', 500, 10),
	('team', 'coach.mirror_sessions_per_week', NULL, 0);
--> statement-breakpoint
INSERT INTO "user_plans" ("user_id", "plan_id", "since") SELECT "id", 'free', "created_at" FROM "users";
--> statement-breakpoint
CREATE FUNCTION "audit_log_is_immutable"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION 'audit_log rows cannot be changed or deleted' USING ERRCODE = 'insufficient_privilege';
END
$$;
--> statement-breakpoint
CREATE TRIGGER "audit_log_immutable" BEFORE UPDATE OR DELETE ON "audit_log" FOR EACH ROW EXECUTE FUNCTION "audit_log_is_immutable"();
