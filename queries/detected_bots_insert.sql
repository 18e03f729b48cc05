-- Stores verdicts on accounts (store.SaveVerdicts), column by column in
-- this order.
INSERT INTO detected_bots (login_lc, login, bot, because, version)
