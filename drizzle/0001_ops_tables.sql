CREATE TABLE "config_snapshots" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"device_id" uuid NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"actor" text NOT NULL,
	"source" text NOT NULL,
	"device_revision" integer,
	"values" jsonb NOT NULL,
	"changes" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"job_id" uuid,
	"note" text
);
--> statement-breakpoint
CREATE TABLE "device_status" (
	"device_id" uuid PRIMARY KEY NOT NULL,
	"state" text NOT NULL,
	"proxy" text,
	"registrar" text,
	"since" timestamp with time zone NOT NULL,
	"last_error" text,
	"keep_alive" jsonb,
	"expires_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "push_jobs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" text NOT NULL,
	"reason" text DEFAULT '' NOT NULL,
	"values" jsonb NOT NULL,
	"state" text DEFAULT 'queued' NOT NULL,
	"concurrency" integer DEFAULT 8 NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "push_targets" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"job_id" uuid NOT NULL,
	"device_id" uuid NOT NULL,
	"state" text DEFAULT 'queued' NOT NULL,
	"before" jsonb,
	"after" jsonb,
	"attempts" integer DEFAULT 0 NOT NULL,
	"error" jsonb,
	"next_attempt_at" timestamp with time zone,
	"device_revision" integer,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "status_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"device_id" uuid NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"from_state" text,
	"from_proxy" text,
	"to_state" text NOT NULL,
	"to_proxy" text,
	"reason" text NOT NULL
);
--> statement-breakpoint
ALTER TABLE "device_configs" ADD COLUMN "device_revision" integer;--> statement-breakpoint
ALTER TABLE "device_configs" ADD COLUMN "baseline" jsonb;--> statement-breakpoint
ALTER TABLE "device_configs" ADD COLUMN "drift" jsonb;--> statement-breakpoint
ALTER TABLE "device_configs" ADD COLUMN "last_error" jsonb;--> statement-breakpoint
ALTER TABLE "device_configs" ADD COLUMN "last_push_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "config_snapshots" ADD CONSTRAINT "config_snapshots_device_id_devices_id_fk" FOREIGN KEY ("device_id") REFERENCES "public"."devices"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "device_status" ADD CONSTRAINT "device_status_device_id_devices_id_fk" FOREIGN KEY ("device_id") REFERENCES "public"."devices"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "push_targets" ADD CONSTRAINT "push_targets_job_id_push_jobs_id_fk" FOREIGN KEY ("job_id") REFERENCES "public"."push_jobs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "push_targets" ADD CONSTRAINT "push_targets_device_id_devices_id_fk" FOREIGN KEY ("device_id") REFERENCES "public"."devices"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "status_events" ADD CONSTRAINT "status_events_device_id_devices_id_fk" FOREIGN KEY ("device_id") REFERENCES "public"."devices"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "config_snapshots_device_idx" ON "config_snapshots" USING btree ("device_id","at");--> statement-breakpoint
CREATE INDEX "device_status_state_idx" ON "device_status" USING btree ("state","proxy");--> statement-breakpoint
CREATE INDEX "push_jobs_state_idx" ON "push_jobs" USING btree ("state");--> statement-breakpoint
CREATE INDEX "push_jobs_created_idx" ON "push_jobs" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "push_targets_job_idx" ON "push_targets" USING btree ("job_id","state");--> statement-breakpoint
CREATE UNIQUE INDEX "push_targets_job_device_uq" ON "push_targets" USING btree ("job_id","device_id");--> statement-breakpoint
CREATE INDEX "status_events_device_idx" ON "status_events" USING btree ("device_id","at");--> statement-breakpoint
CREATE INDEX "status_events_at_idx" ON "status_events" USING btree ("at");