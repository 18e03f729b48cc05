-- Publishes the scoring rules (store.PublishRules): one row per rule, all
-- of one publication sharing its version.
INSERT INTO scoring_rules (name, value, version)
