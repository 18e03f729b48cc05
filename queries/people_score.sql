-- The people stage's score (people.sql): each kind's count times its
-- weight; people_score_credited.sql in its place for the accepted
-- profile.
                   sum({{kinds "c_{kind} * @w_{kind}" " + "}}) AS score,
