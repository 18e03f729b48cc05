-- The active roster: the latest import (no row when none).
SELECT import_id, imported_at, source, members FROM roster_imports ORDER BY import_id DESC LIMIT 1
