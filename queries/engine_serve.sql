-- The embedded ClickHouse engine's whole run (internal/localch/engine.go):
-- clickhouse-local opens its native and HTTP listeners, then runs a query
-- that never ends, which keeps them open until engine_stop.sql kills it.
SYSTEM START LISTEN TCP;
SYSTEM START LISTEN HTTP;
SELECT sleepEachRow(1) FROM system.numbers SETTINGS max_block_size = 1 FORMAT Null
