-- Who holds the lease of the resource @r (the row with the highest
-- version), until when, and the server's time to compare with.
SELECT argMax(holder, version), argMax(until, version), now() FROM work_leases WHERE resource = @r
