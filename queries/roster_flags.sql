-- The flags of the roster import @imp: bot, human or opt_out, and the
-- lower-cased login or id each names.
SELECT toString(flag), value FROM roster_flags WHERE import_id = @imp
