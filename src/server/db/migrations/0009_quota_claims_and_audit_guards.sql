DROP INDEX "audit_log_target_idx";--> statement-breakpoint
ALTER TABLE "user_plans" ADD COLUMN "claims" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX "audit_log_target_id_idx" ON "audit_log" USING btree ("target_id","created_at","id");--> statement-breakpoint
CREATE TRIGGER "audit_log_no_truncate" BEFORE TRUNCATE ON "audit_log" FOR EACH STATEMENT EXECUTE FUNCTION "audit_log_is_immutable"();
