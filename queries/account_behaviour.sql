-- The behaviour stored of the accounts @logins (lower-cased), summed over
-- the units, each unit as its latest storing said it (store.Behaviour).
SELECT login_lc, any(login), signal, sum(n)
FROM account_behaviour
WHERE login_lc IN @logins
  AND (unit, version) IN (SELECT unit, max(version) FROM account_behaviour GROUP BY unit)
GROUP BY login_lc, signal
