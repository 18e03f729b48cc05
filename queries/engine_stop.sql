-- Ends the embedded engine's keep-alive query (engine_serve.sql), after
-- which clickhouse-local shuts down cleanly. The second condition keeps this
-- statement, whose text contains the pattern, from matching itself.
KILL QUERY WHERE query LIKE '%sleepEachRow(1) FROM system.numbers%' AND query NOT LIKE '%KILL QUERY%' SYNC
