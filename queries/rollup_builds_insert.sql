-- Records that buckets were rebuilt (store.recordBuilds): one row per
-- bucket with the build's generation and the latest mark it covers.
INSERT INTO rollup_builds (bucket, gen, covers)
