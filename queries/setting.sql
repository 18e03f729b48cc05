-- A stored setting's latest value (no row when unset): the setting @name.
SELECT argMax(value, updated_at) FROM settings WHERE name = @name GROUP BY name
