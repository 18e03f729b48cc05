// Package reliability is contribtrack's fault suite (issue 16): its tests
// run the real contribtrack binary as processes against ClickHouse servers
// and a GitHub test server of their own, kill them (kill -9) at random
// moments, inject faults, load the API and search every output for planted
// secrets, and print one table of what held.
//
// The tests skip unless CONTRIBTRACK_RELIABILITY is "short" (a few trials
// of each, what .ci/run runs through scripts/test.sh) or "full" (the
// figures in the README). scripts/reliability.sh runs them:
//
//	scripts/reliability.sh          # the full suite
//	scripts/reliability.sh --short  # the short form
package reliability
