-- The accounts whose latest verdict is bot (store.DetectedBots), with the
-- signals that decided.
SELECT argMax(login, version), argMax(because, version)
FROM detected_bots
GROUP BY login_lc
HAVING argMax(bot, version) = 1
ORDER BY login_lc
