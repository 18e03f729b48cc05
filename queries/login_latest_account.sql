-- The GitHub account that used the lower-cased login @login last (0 when
-- none): a login can have belonged to someone else before. Derived ids
-- (the high bit set) are left out.
SELECT argMax(actor_id, created_at) FROM contributions
WHERE lower(actor_login) = @login AND bitShiftRight(actor_id, 63) = 0
