-- The latest publication's version of the scoring rules (0 before any):
-- a new publication takes a later one (store.PublishRules).
SELECT max(version) FROM scoring_rules
