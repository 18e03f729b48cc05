-- Who counts, when a selected kind weighs nothing: at least one
-- contribution of a selected kind.
HAVING sum(sign * n) > 0
