-- Leaves the bots' logins (@bots) out of the people rollup's rows.
  AND login NOT IN @bots
