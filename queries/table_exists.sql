-- Whether the store's database has the table @table (store.EnsureSchema).
SELECT count() FROM system.tables WHERE database = currentDatabase() AND name = @table
