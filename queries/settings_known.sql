-- Which of some settings (@names) the server knows: a statement that needs
-- a setting on current releases sends it only to servers that know it
-- (ClickHouse 18.16 refuses a query with a setting it does not know).
SELECT name FROM system.settings WHERE name IN @names
