CREATE TABLE "status_samples" (
	"at" timestamp with time zone PRIMARY KEY NOT NULL,
	"registered_primary" integer NOT NULL,
	"registered_redundant" integer NOT NULL,
	"registering" integer NOT NULL,
	"unregistered" integer NOT NULL,
	"failed" integer NOT NULL,
	"unreachable" integer NOT NULL,
	"unknown" integer NOT NULL,
	"total" integer NOT NULL
);
