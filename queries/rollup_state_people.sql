-- The people rollup's latest snapshot, as part 3 of rollup_state.sql (Unix
-- seconds of a Monday; 0 when the rollup is empty).
UNION ALL
SELECT toUInt8(3), toUInt32(0), toUInt8(0), toUInt64(toUInt32(toDateTime(max(period), 'UTC'))), toUInt64(0)
FROM rollup_people
