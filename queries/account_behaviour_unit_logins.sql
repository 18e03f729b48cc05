-- The accounts the latest storing of unit @unit held (store.UnitLogins):
-- storing it again must judge them again, whatever it holds now.
SELECT DISTINCT any(login)
FROM account_behaviour
WHERE unit = @unit AND login_lc != ''
  AND version = (SELECT max(version) FROM account_behaviour WHERE unit = @unit)
GROUP BY login_lc
