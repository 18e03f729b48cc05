-- Who counts, when a selected kind weighs nothing: at least one
-- contribution of a selected kind (@selection: 1 for each selected kind,
-- in the order of contrib.Kinds).
    HAVING sum(sign * arrayDotProduct(counts, @selection)) > 0
