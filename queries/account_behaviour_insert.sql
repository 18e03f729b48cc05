-- Stores what accounts did in one unit (store.SaveBehaviour), column by
-- column in this order.
INSERT INTO account_behaviour (login_lc, login, unit, signal, n, version)
