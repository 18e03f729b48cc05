-- Leaderboard: the contributions of the period per person (the people
-- stage, with the memberships and affiliations stages when filters need
-- them, in place of the input marker below; see store.statement): score
-- (rounded to 6 decimals), count of the selected kinds and counts per kind
-- (in the order of contrib.Kinds). People without a contribution of a
-- selected kind are left out.
SELECT
    person,
    argMax(credited_login, (at, credited_login)) AS latest_login,
    -- email-only identities are shown as email:<low 48 bits in hex>
    if(latest_login = '', concat('email:', lower(substring(hex(person), 5, 12))), latest_login) AS shown_login,
    round(sum(score), 6) AS total,
    sum(n) AS contributions,
    sumForEach(cs) AS counts
FROM
(
-- @input
)
GROUP BY person
HAVING contributions > 0
ORDER BY total DESC, shown_login ASC, person ASC
LIMIT @limit
