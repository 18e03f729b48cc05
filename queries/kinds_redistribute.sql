-- Recreates the Distributed table {table} over its local tables after the
-- kinds changed them (store.ensureKinds; on one server, nothing).
{{redistributed "{table}"}};
