-- What a product is: a wine, or what else an invoice line sells (the carrier's charge, a discount,
-- a deposit, a case, a glass), never recommended. Guessed from the name at each write unless the
-- staff set it; products already here are guessed when the migrations are applied (applyMigrations).
ALTER TABLE "products" ADD COLUMN "kind" text DEFAULT 'wine' NOT NULL;--> statement-breakpoint
ALTER TABLE "products" ADD COLUMN "kind_by_staff" boolean DEFAULT false NOT NULL;