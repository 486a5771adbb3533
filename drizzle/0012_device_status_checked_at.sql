ALTER TABLE "device_status" ADD COLUMN "checked_at" timestamp with time zone;--> statement-breakpoint
-- A row in any state but unreachable was written when the phone answered (the poller writes a change on an answer),
-- so updated_at is a true, if old, last answer; an unreachable row says nothing of when it last answered.
UPDATE "device_status" SET "checked_at" = "updated_at" WHERE "state" <> 'unreachable';
