-- Stores a setting (store.SetSetting): its name and value, one row; the
-- latest (updated_at) wins.
INSERT INTO settings (name, value)
