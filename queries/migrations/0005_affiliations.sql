-- Affiliations (docs/roster.md): who worked for whom when, so that
-- contributions split into vendor staff, the community and others.
--
-- The domain of a commit's author email, kept so that domain rules
-- ("amazon.com is Amazon") apply to commits nobody has claimed. The address
-- itself is never stored. (A re-run after a failure finds the column there:
-- the store skips that "already exists" error for ADD COLUMN.)
ALTER TABLE {{table "contributions"}} {{onCluster}} ADD COLUMN email_domain String DEFAULT '';
{{redistributed "contributions"}};

-- Dated employers of roster members.
CREATE TABLE IF NOT EXISTS {{table "roster_affiliations"}} {{onCluster}}
(
    import_id UInt64,
    member_id UInt64,
    employer  String,
    vendor    UInt8,
    starts    DateTime('UTC'),
    ends      DateTime('UTC')
)
ENGINE = {{engine "MergeTree"}}
ORDER BY (import_id, member_id);

-- Employers by commit email domain (gitdm-style), for everyone.
CREATE TABLE IF NOT EXISTS {{table "roster_domains"}} {{onCluster}}
(
    import_id UInt64,
    domain    String,
    employer  String,
    vendor    UInt8
)
ENGINE = {{engine "MergeTree"}}
ORDER BY (import_id, domain);
