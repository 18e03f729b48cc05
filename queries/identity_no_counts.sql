-- Included by people.sql instead of identity_counts.sql:
-- the counts per kind are not wanted (summing them costs more than the
-- rest of the identity step).
emptyArrayUInt64() AS cs
