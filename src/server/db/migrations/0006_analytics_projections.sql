CREATE TABLE "analytics_draft_people" (
	"draft_id" uuid NOT NULL,
	"user_id" uuid,
	"views" integer DEFAULT 0 NOT NULL,
	"shares" integer DEFAULT 0 NOT NULL,
	"segments_added" integer DEFAULT 0 NOT NULL,
	"segments_deleted" integer DEFAULT 0 NOT NULL,
	"edits" integer DEFAULT 0 NOT NULL,
	"ring_passes" integer DEFAULT 0 NOT NULL,
	"last_activity_at" timestamp with time zone,
	"first_segment_at" timestamp with time zone,
	"previous_first_segment_at" timestamp with time zone,
	CONSTRAINT "analytics_draft_people_key" UNIQUE NULLS NOT DISTINCT("draft_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "analytics_user_days" (
	"user_id" uuid NOT NULL,
	"day" date NOT NULL,
	"segments" integer DEFAULT 0 NOT NULL,
	"segments_edited" integer DEFAULT 0 NOT NULL,
	"rings_held" integer DEFAULT 0 NOT NULL,
	"rings_passed" integer DEFAULT 0 NOT NULL,
	"drafts_created" integer DEFAULT 0 NOT NULL,
	"drafts_contributed" integer DEFAULT 0 NOT NULL,
	"hold_ms" bigint DEFAULT 0 NOT NULL,
	"holds" integer DEFAULT 0 NOT NULL,
	"last_active_at" timestamp with time zone,
	CONSTRAINT "analytics_user_days_user_id_day_pk" PRIMARY KEY("user_id","day")
);
--> statement-breakpoint
CREATE TABLE "analytics_view_marks" (
	"draft_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"last_viewed_at" timestamp with time zone NOT NULL,
	CONSTRAINT "analytics_view_marks_draft_id_user_id_pk" PRIMARY KEY("draft_id","user_id")
);
--> statement-breakpoint
CREATE INDEX "analytics_draft_people_user_idx" ON "analytics_draft_people" USING btree ("user_id","first_segment_at") WHERE "analytics_draft_people"."first_segment_at" is not null;--> statement-breakpoint
CREATE INDEX "analytics_draft_people_first_idx" ON "analytics_draft_people" USING btree ("first_segment_at") WHERE "analytics_draft_people"."first_segment_at" is not null;--> statement-breakpoint
CREATE INDEX "analytics_user_days_day_idx" ON "analytics_user_days" USING btree ("day");