CREATE TABLE "segment_revisions" (
	"draft_id" uuid NOT NULL,
	"segment_id" uuid NOT NULL,
	"revision" integer NOT NULL,
	"content" text NOT NULL,
	"written_by" uuid NOT NULL,
	"written_at" timestamp with time zone NOT NULL,
	CONSTRAINT "segment_revisions_segment_id_revision_pk" PRIMARY KEY("segment_id","revision")
);
--> statement-breakpoint
ALTER TABLE "idempotency_keys" ADD COLUMN "response_headers" jsonb;--> statement-breakpoint
ALTER TABLE "ring_passes" ADD COLUMN "kind" text DEFAULT 'pass' NOT NULL;--> statement-breakpoint
ALTER TABLE "segments" ADD COLUMN "revision" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "segments" ADD COLUMN "edited_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "segments" ADD COLUMN "edited_by" uuid;--> statement-breakpoint
ALTER TABLE "segment_revisions" ADD CONSTRAINT "segment_revisions_draft_id_drafts_id_fk" FOREIGN KEY ("draft_id") REFERENCES "public"."drafts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "segment_revisions" ADD CONSTRAINT "segment_revisions_written_by_users_id_fk" FOREIGN KEY ("written_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "segment_revisions_draft_idx" ON "segment_revisions" USING btree ("draft_id","written_by");--> statement-breakpoint
ALTER TABLE "segments" ADD CONSTRAINT "segments_edited_by_users_id_fk" FOREIGN KEY ("edited_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ring_passes" ADD CONSTRAINT "ring_passes_kind_check" CHECK ("ring_passes"."kind" in ('pass', 'take', 'return'));