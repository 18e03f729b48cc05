-- Makes the contributions' kind enum the kind table's (contrib.KindTable;
-- store.ensureKinds): every kind, valued by its position from 1. Run only
-- when the schema lacks a kind that the table added at its end: adding
-- values to an Enum8 rewrites no data. Nothing is bound: the values are
-- the table's names.
ALTER TABLE {{table "contributions"}} {{onCluster}} MODIFY COLUMN kind Enum8({{kinds "'{kind}' = {i}" ", "}});
