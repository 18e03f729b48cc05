-- Creates the build table {build} of rollup_people_days
-- (store.buildPeople): the structure of {table} and its partitions.
-- Nothing is bound.
CREATE TABLE {build} AS {table} ENGINE = MergeTree PARTITION BY toYYYYMM(period) ORDER BY (period, person)
