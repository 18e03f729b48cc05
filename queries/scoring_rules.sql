-- The scoring rules as last published (store.PublishRules): each rule's
-- latest value.
SELECT name, argMax(value, version) FROM scoring_rules GROUP BY name
