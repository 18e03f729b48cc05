-- Whether a server answers.
SELECT 1
