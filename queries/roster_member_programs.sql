-- The programs each member of the roster import @imp held at some time in
-- [@from, @to) (Unix seconds), sorted.
SELECT member_id, arraySort(groupUniqArray(program)) FROM roster_memberships
WHERE import_id = @imp AND program != '' AND starts < toDateTime(@to, 'UTC') AND ends > toDateTime(@from, 'UTC')
GROUP BY member_id
