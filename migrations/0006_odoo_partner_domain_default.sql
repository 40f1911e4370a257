-- Until 2026-12-04 an Odoo source saved its default customer domain, `user_ids = False`, which
-- leaves out the web shop's customers (portal users). The sync now leaves out the staff and the
-- website's accounts itself: a source still holding that old default gets the new one.
UPDATE sources SET config = config - 'partnerDomain', updated_at = now()
WHERE kind = 'odoo' AND config -> 'partnerDomain' IN (
  '[["user_ids", "=", false]]'::jsonb,
  -- The default of a few hours on 2026-12-04, which Odoo 16 reads as "has a portal user".
  '["!", ["user_ids.share", "=", false], "!", ["user_ids.login", "in", ["public", "portaltemplate"]]]'::jsonb
);
