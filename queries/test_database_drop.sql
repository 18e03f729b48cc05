-- Drops a test's database when the test ends (internal/testing/chtest):
-- {database} is its generated name. Nothing is bound.
DROP DATABASE IF EXISTS {database}
