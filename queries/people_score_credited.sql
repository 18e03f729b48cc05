-- The people stage's score under the accepted profile (people.sql, in
-- place of people_score.sql): each row is one contribution
-- (credits_rows.sql), worth its kind's weight times its factor.
                   sum(({{kinds "c_{kind} * @w_{kind}" " + "}}) * row_factor) AS score,
