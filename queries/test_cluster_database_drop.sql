-- Drops a test's database on every node of the test cluster {cluster}
-- when the test ends (internal/testing/chtest): {database} is its
-- generated name. Nothing is bound.
DROP DATABASE IF EXISTS {database} ON CLUSTER {cluster}
