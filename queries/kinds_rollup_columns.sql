-- Gives the identity rollup's tables a count column per kind of the kind
-- table (contrib.KindTable; store.ensureKinds), for a kind the table added
-- at its end: rows built before count 0 of it, which is what was stored of
-- it. A column already there is skipped (the store ignores that error, as
-- in migrations). Nothing is bound.
{{kinds "ALTER TABLE {{table \"rollup_days\"}} {{onCluster}} ADD COLUMN c_{kind} UInt32 DEFAULT 0" ";\n"}};
{{kinds "ALTER TABLE {{table \"rollup_months\"}} {{onCluster}} ADD COLUMN c_{kind} UInt32 DEFAULT 0" ";\n"}};
{{kinds "ALTER TABLE {{table \"rollup_years\"}} {{onCluster}} ADD COLUMN c_{kind} UInt32 DEFAULT 0" ";\n"}};
{{redistributed "rollup_days"}};
{{redistributed "rollup_months"}};
{{redistributed "rollup_years"}};
