//go:build kindtest

package contrib

// Discussion is a kind that only the kindtest build knows: answering in
// a GitHub Discussion. Adding it here, at the end of the kind table, is
// all it takes for the schema, the rollups and the leaderboards to count
// it (internal/store's kinds_kindtest_test.go; scripts/test.sh runs it).
const Discussion Kind = "discussion"

var testKinds = []KindInfo{
	{Discussion, true, 4, "the answer's author", "Discussion answers", "disc", "Comments & releases"},
}
