-- sightings: the raw sightings (the contributions table, every delivery of
-- every contribution; reduce them to one per key_hash with argMax(...,
-- version) as docs/schema.md shows) with bot, 1 when the actor is a bot by
-- bot_rules, for questions about single pull requests and issues (time to
-- merge, first responses) that the rollup cannot answer.
CREATE OR REPLACE VIEW sightings AS
SELECT *,
-- @include views/is_bot.sql
FROM
(
    SELECT *, actor_login AS credited_login FROM contributions
)
