-- Before 2026-12-04, merging B into C left the records merged into B earlier pointing at B, a
-- record that no longer lives; the mailing export, the Odoo push and erasure reach a customer in
-- one step from merged_into, so those records' history and consent fell out of C's. Point them at
-- the customer B became, one level at a time, and note them in that merge's snapshot as a merge
-- now does (repointedIds), so that undoing it points them back at B.
DO $$
DECLARE
  moved integer;
  rounds integer := 0;
BEGIN
  LOOP
    WITH chained AS (
      SELECT a.id, b.id AS via, b.merged_into AS root
      FROM customers a JOIN customers b ON b.id = a.merged_into
      WHERE b.merged_into IS NOT NULL AND b.merged_into NOT IN (a.id, b.id) AND a.id <> b.id
    ), noted AS (
      UPDATE customer_merges m
      SET snapshot = jsonb_set(
        m.snapshot,
        '{repointedIds}',
        coalesce(m.snapshot -> 'repointedIds', '[]'::jsonb)
          || (SELECT jsonb_agg(c.id::text) FROM chained c WHERE c.via = m.merged_id)
      )
      WHERE m.undone_at IS NULL
        AND EXISTS (SELECT 1 FROM chained c WHERE c.via = m.merged_id AND c.root = m.survivor_id)
      RETURNING m.id
    )
    UPDATE customers a SET merged_into = c.root, updated_at = now()
    FROM chained c WHERE a.id = c.id;
    GET DIAGNOSTICS moved = ROW_COUNT;
    rounds := rounds + 1;
    -- Merges never make a cycle; were one there, stop rather than turn forever.
    EXIT WHEN moved = 0 OR rounds >= 100;
  END LOOP;
END $$;
