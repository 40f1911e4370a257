-- Every committed write to the estate's tables sends one notification on `crm_reco_changes`
-- (PostgreSQL folds a transaction's identical notifications into one). The web process listens to
-- keep what it read (signed-in callers, review pages) only while nothing has changed since.
-- A table added by a later migration needs the same trigger: a test checks that every table has it.
CREATE FUNCTION crm_reco_notify_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('crm_reco_changes', '');
  RETURN NULL;
END $$;
--> statement-breakpoint
DO $$
DECLARE t record;
BEGIN
  FOR t IN SELECT tablename FROM pg_tables WHERE schemaname = 'public' LOOP
    EXECUTE format(
      'CREATE TRIGGER %I AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON %I FOR EACH STATEMENT EXECUTE FUNCTION crm_reco_notify_change()',
      t.tablename || '_changed', t.tablename);
  END LOOP;
END $$;
