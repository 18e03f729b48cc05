-- The class of a contribution (affiliations.sql and the view
-- contributor_days): vendor staff, community or other, by the affiliation
-- its person held at the time (astarts, aends, avendors), else by the
-- commit email's domain (roster import @roster); the community is the
-- roster's members (person ids with bit 61 set).
       if(arrayExists((s, e) -> at >= s AND at < e, astarts, aends),
          if(arrayExists((s, e, v) -> v = 1 AND at >= s AND at < e, astarts, aends, avendors), 'vendor',
             if(bitShiftRight(person, 61) = 1, 'community', 'other')),
          if(domain IN (SELECT domain FROM roster_domains WHERE import_id = @roster AND vendor = 1), 'vendor',
             if(bitShiftRight(person, 61) = 1, 'community', 'other'))) AS class
