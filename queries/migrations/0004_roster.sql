-- The community roster (docs/roster.md). Every import writes a new
-- import_id into all four tables, and roster_imports last: queries read the
-- rows of the latest import listed there, so an import that fails part-way
-- leaves the previous roster in place.
CREATE TABLE IF NOT EXISTS {{table "roster_imports"}} {{onCluster}}
(
    import_id   UInt64,
    imported_at DateTime('UTC'),
    source      String,
    members     UInt32
)
ENGINE = {{engine "MergeTree"}}
ORDER BY import_id;

CREATE TABLE IF NOT EXISTS {{table "roster_members"}} {{onCluster}}
(
    import_id  UInt64,
    member_id  UInt64,
    member_key String,
    name       String,
    login      String,
    country    String,
    region     String
)
ENGINE = {{engine "MergeTree"}}
ORDER BY (import_id, member_id);

-- How contributions find their member: by GitHub id (actor_id), by login
-- (value, lower-cased), or by commit email (actor_id is the id derived from
-- the email, value only its domain: emails are never stored in clear).
CREATE TABLE IF NOT EXISTS {{table "roster_identities"}} {{onCluster}}
(
    import_id UInt64,
    kind      Enum8('login' = 1, 'id' = 2, 'email' = 3),
    value     String,
    actor_id  UInt64,
    member_id UInt64
)
ENGINE = {{engine "MergeTree"}}
ORDER BY (import_id, kind, value, actor_id);

-- Dated memberships, [starts, ends). Every member also has one row with
-- program '' covering all time, for filters by region or country alone.
CREATE TABLE IF NOT EXISTS {{table "roster_memberships"}} {{onCluster}}
(
    import_id UInt64,
    member_id UInt64,
    program   String,
    category  String,
    grp       String,
    country   String,
    region    String,
    starts    DateTime('UTC'),
    ends      DateTime('UTC')
)
ENGINE = {{engine "MergeTree"}}
ORDER BY (import_id, program, member_id);

-- Corrections that are not identities: accounts that are bots, accounts
-- that are people whatever the bot rules say, people who opted out.
CREATE TABLE IF NOT EXISTS {{table "roster_flags"}} {{onCluster}}
(
    import_id UInt64,
    flag      Enum8('bot' = 1, 'human' = 2, 'opt_out' = 3),
    value     String
)
ENGINE = {{engine "MergeTree"}}
ORDER BY (import_id, flag, value);
