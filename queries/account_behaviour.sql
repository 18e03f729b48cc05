-- The behaviour stored of the accounts @logins (lower-cased), summed over
-- the units, each unit's latest rows (store.Behaviour).
SELECT login_lc, any(login), signal, sum(n)
FROM
(
    SELECT login_lc, unit, signal, argMax(login, version) AS login, argMax(n, version) AS n
    FROM account_behaviour
    WHERE login_lc IN @logins
    GROUP BY login_lc, unit, signal
)
GROUP BY login_lc, signal
