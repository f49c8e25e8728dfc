-- FerretDB v1 on PostgreSQL, made to use its indexes (installed by scripts/lib/postgres.ts).
--
-- FerretDB turns a MongoDB index into a btree on `(_jsonb->'field')`, but pushes an equality
-- filter down as `_jsonb->'field' @> '<value>'`, which a btree cannot serve: every look-up
-- would scan its table. For every btree FerretDB creates on such expressions (the `_id` index
-- of each new collection, and each index the app declares), this trigger creates a GIN index
-- (jsonb_path_ops, which serves `@>`) on each key expression. Nested keys (`a.b`) get the
-- `#>` form FerretDB pushes down for them. The GIN indexes are named from a hash of table and
-- expression, so re-running is a no-op and a field shared by two indexes gets one GIN.
-- Idempotent: safe to run at every start.
--
-- The GIN indexes have no pending list (`fastupdate = off`). With it, new entries wait in an
-- unsorted list (up to gin_pending_list_limit, 4 MB) until a vacuum or an overflowing insert
-- merges them, and every look-up reads the whole list: on a 1M-event audit trail each equality
-- look-up read 220-250 pending pages (2.4-6 ms) where a merged index reads 3 (~0.02 ms), and
-- autovacuum merges a table that large only every ~200k inserts. Each row gives one key per
-- index here (one scalar), so inserting it directly costs about what a btree insert does.

CREATE OR REPLACE FUNCTION entrada_gin_expression(expr text) RETURNS text
LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
  parts text[];
BEGIN
  -- pg_get_indexdef renders FerretDB's keys as (_jsonb -> 'f'::text) or ((_jsonb -> 'a'::text) -> 'b'::text)
  IF expr !~ '^\(*_jsonb( -> ''([^'']|'''')*''::text\)*)+$' THEN
    RETURN NULL;
  END IF;
  SELECT array_agg(replace(m[1], '''''', '''') ORDER BY n)
    INTO parts
    FROM regexp_matches(expr, '-> ''((?:[^'']|'''')*)''::text', 'g') WITH ORDINALITY AS t(m, n);
  IF array_length(parts, 1) = 1 THEN
    RETURN format('(_jsonb -> %L)', parts[1]);
  END IF;
  RETURN format('(_jsonb #> %L::text[])', parts::text);
END $$;

CREATE OR REPLACE FUNCTION entrada_mirror_index(btree oid) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  ix record;
  k int;
  gin_expr text;
BEGIN
  SELECT i.indrelid, i.indnatts, n.nspname, c.relname
    INTO ix
    FROM pg_index i
    JOIN pg_class ic ON ic.oid = i.indexrelid
    JOIN pg_am am ON am.oid = ic.relam AND am.amname = 'btree'
    JOIN pg_class c ON c.oid = i.indrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace
   WHERE i.indexrelid = btree
     AND c.relname NOT LIKE '\_ferretdb\_%'  -- FerretDB's own metadata, read by `=`
     AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = i.indrelid AND a.attname = '_jsonb' AND NOT a.attisdropped);
  IF NOT FOUND THEN
    RETURN;
  END IF;
  FOR k IN 1 .. ix.indnatts LOOP
    gin_expr := entrada_gin_expression(pg_get_indexdef(btree, k, false));
    CONTINUE WHEN gin_expr IS NULL;
    EXECUTE format('CREATE INDEX IF NOT EXISTS %I ON %I.%I USING gin (%s jsonb_path_ops) WITH (fastupdate = off)',
                   'gin_' || md5(ix.nspname || '.' || ix.relname || '.' || gin_expr),
                   ix.nspname, ix.relname, gin_expr);
  END LOOP;
END $$;

CREATE OR REPLACE FUNCTION entrada_mirror_created_indexes() RETURNS event_trigger
LANGUAGE plpgsql AS $$
DECLARE
  cmd record;
BEGIN
  FOR cmd IN SELECT objid FROM pg_event_trigger_ddl_commands() WHERE object_type = 'index' LOOP
    BEGIN
      PERFORM entrada_mirror_index(cmd.objid);
    EXCEPTION WHEN OTHERS THEN
      -- Never fail FerretDB's own index creation because of the mirror.
      RAISE WARNING 'entrada: could not mirror index %: %', cmd.objid::regclass, SQLERRM;
    END;
  END LOOP;
END $$;

SET client_min_messages = warning;
DROP EVENT TRIGGER IF EXISTS entrada_mirror_indexes;
CREATE EVENT TRIGGER entrada_mirror_indexes ON ddl_command_end
  WHEN TAG IN ('CREATE INDEX')
  EXECUTE FUNCTION entrada_mirror_created_indexes();

-- Indexes that existed before the trigger (a database from an older version).
DO $$
BEGIN
  PERFORM entrada_mirror_index(i.indexrelid)
     FROM pg_index i
     JOIN pg_class c ON c.oid = i.indrelid
     JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast');
END $$;

-- GIN twins made by an older version, with a pending list: switched off and merged once.
DO $$
DECLARE
  ix regclass;
BEGIN
  FOR ix IN SELECT c.oid::regclass
              FROM pg_class c
              JOIN pg_am am ON am.oid = c.relam AND am.amname = 'gin'
             WHERE c.relname ~ '^gin_[0-9a-f]{32}$'
               AND NOT coalesce(c.reloptions @> ARRAY['fastupdate=off'], false) LOOP
    EXECUTE format('ALTER INDEX %s SET (fastupdate = off)', ix);
    PERFORM gin_clean_pending_list(ix);
  END LOOP;
END $$;
