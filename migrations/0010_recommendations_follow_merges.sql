-- Before 2026-12-04 a merge left the merged record's recommendations behind: the review list
-- showed the person twice, and a wine rejected for one record could be offered to the other.
-- Move them to the customer each record now belongs to as a merge now does: a decision wins over
-- a pending one, the survivor's when both are pending or both decided (the other stays with the
-- merged record as its history; a pending one is removed, the next run makes it again if it
-- still holds). Noted in the merge's snapshot (recommendationIds), so that undoing it gives them
-- back.
DO $$
BEGIN
  DELETE FROM recommendations s
  USING recommendations m, customers c
  WHERE c.merged_into IS NOT NULL AND m.customer_id = c.id
    AND s.tenant_id = m.tenant_id AND s.customer_id = c.merged_into
    AND s.product_id = m.product_id AND s.campaign_id IS NOT DISTINCT FROM m.campaign_id
    AND s.status = 'pending' AND m.status <> 'pending';

  WITH candidates AS (
    -- Two records merged into one person may hold the same wine: the decided, latest one goes.
    SELECT DISTINCT ON (c.merged_into, m.campaign_id, m.product_id)
      m.id, c.id AS merged_id, c.merged_into AS survivor_id
    FROM recommendations m JOIN customers c ON c.id = m.customer_id
    WHERE c.merged_into IS NOT NULL
      AND NOT EXISTS (
        SELECT 1 FROM recommendations s
        WHERE s.tenant_id = m.tenant_id AND s.customer_id = c.merged_into
          AND s.product_id = m.product_id AND s.campaign_id IS NOT DISTINCT FROM m.campaign_id)
    ORDER BY c.merged_into, m.campaign_id, m.product_id, (m.status = 'pending'), m.updated_at DESC, m.id
  ), moved AS (
    UPDATE recommendations r SET customer_id = cand.survivor_id, updated_at = now()
    FROM candidates cand WHERE r.id = cand.id
    RETURNING r.id, cand.merged_id, cand.survivor_id
  ), noted AS (
    -- Each on the record's own merge and, for a record merged into one merged in turn (A into B,
    -- B into C), also on the later one, which repointed it: as merges now note them. Undoing
    -- B into C puts them with B (A is back under B); undoing A into B then gives them to A.
    SELECT g.id AS merge_id, jsonb_agg(mv.id::text) AS ids
    FROM moved mv JOIN customer_merges g
      ON g.undone_at IS NULL
     AND (g.merged_id = mv.merged_id
          OR (g.survivor_id = mv.survivor_id
              AND coalesce(g.snapshot -> 'repointedIds', '[]'::jsonb) ? mv.merged_id::text))
    GROUP BY g.id
  )
  UPDATE customer_merges g
  SET snapshot = jsonb_set(
    g.snapshot,
    '{recommendationIds}',
    coalesce(g.snapshot -> 'recommendationIds', '[]'::jsonb) || n.ids
  )
  FROM noted n WHERE g.id = n.merge_id;

  DELETE FROM recommendations r
  USING customers c
  WHERE c.id = r.customer_id AND c.merged_into IS NOT NULL AND r.status = 'pending';
END $$;
