-- The estate's own family for each product (iSaVigne's "Famille", Odoo's category): where it says
-- "Vins" or "Accessoires", it decides whether the product is a wine before its name does.
ALTER TABLE "products" ADD COLUMN "category" text;