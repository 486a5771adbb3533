CREATE TABLE "provisioning_fetches" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"device_id" uuid NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"client_address" text NOT NULL,
	"user_agent" text DEFAULT '' NOT NULL,
	"revision" integer NOT NULL,
	"hash" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "unknown_phones" (
	"mac" text PRIMARY KEY NOT NULL,
	"first_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	"client_address" text NOT NULL,
	"user_agent" text DEFAULT '' NOT NULL,
	"requests" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
ALTER TABLE "devices" ADD COLUMN "driver" text DEFAULT 'api' NOT NULL;--> statement-breakpoint
ALTER TABLE "devices" ADD COLUMN "model" text DEFAULT 'mt505' NOT NULL;--> statement-breakpoint
ALTER TABLE "devices" ADD COLUMN "mac" text;--> statement-breakpoint
ALTER TABLE "devices" ADD COLUMN "sip_address" text;--> statement-breakpoint
ALTER TABLE "devices" ADD COLUMN "provisioning_username" text;--> statement-breakpoint
ALTER TABLE "devices" ADD COLUMN "provisioning_password_enc" text;--> statement-breakpoint
ALTER TABLE "provisioning_fetches" ADD CONSTRAINT "provisioning_fetches_device_id_devices_id_fk" FOREIGN KEY ("device_id") REFERENCES "public"."devices"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "provisioning_fetches_device_idx" ON "provisioning_fetches" USING btree ("device_id","at");--> statement-breakpoint
CREATE INDEX "devices_driver_model_idx" ON "devices" USING btree ("driver","model");--> statement-breakpoint
ALTER TABLE "devices" ADD CONSTRAINT "devices_mac_unique" UNIQUE("mac");--> statement-breakpoint
ALTER TABLE "devices" ADD CONSTRAINT "devices_driver_check" CHECK ("devices"."driver" in ('api', 'web', 'provisioning'));