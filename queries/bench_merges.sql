-- How many merges the server is running in database @database: the
-- benchmarks wait for none before they measure (benchload.Settle).
SELECT count() FROM system.merges WHERE database = @database
