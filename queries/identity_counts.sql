-- Included by people.sql when the counts per kind are
-- wanted (in the order of contrib.Kinds); identity_no_counts.sql otherwise.
sumForEach([{{kinds "c_{kind}" ", "}}]) AS cs
