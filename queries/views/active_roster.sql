-- The active roster (the latest import; 0 when none), in place of the
-- roster parameter (@roster, @imp) of the statements a view includes.
(SELECT max(import_id) FROM roster_imports)
