CREATE TABLE "proxy_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"address" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"up" boolean NOT NULL,
	"rtt_ms" integer,
	"reason" text NOT NULL
);
--> statement-breakpoint
ALTER TABLE "devices" ADD COLUMN "maintenance" boolean DEFAULT false NOT NULL;--> statement-breakpoint
CREATE INDEX "proxy_events_address_idx" ON "proxy_events" USING btree ("address","at");