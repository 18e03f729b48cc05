-- Who counts, when every selected kind weighs more than nothing: a score
-- above half the smallest weight (@min_score) means at least one
-- contribution, and one sum is cheaper than two.
    HAVING sum(sign * arrayDotProduct(counts, @weights)) > @min_score
