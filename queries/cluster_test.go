package queries

import "testing"

func TestForClusterRewritesSubqueries(t *testing.T) {
	for in, want := range map[string]string{
		"WHERE key_hash IN (SELECT key_hash FROM contributions\n WHERE x":                                                "WHERE key_hash IN (SELECT key_hash FROM db.contributions_local\n WHERE x",
		"AND key IN (SELECT key FROM contributions WHERE":                                                                "AND key GLOBAL IN (SELECT key FROM db.contributions WHERE",
		"repo_id IN (SELECT repo_id FROM sync_checkpoints WHERE":                                                         "repo_id IN (SELECT repo_id FROM db.sync_checkpoints WHERE",
		"SELECT count() FROM contributions":                                                                              "SELECT count() FROM contributions",
		"AND actor_id NOT IN (SELECT actor_id FROM roster_identities WHERE":                                              "AND actor_id NOT IN (SELECT actor_id FROM db.roster_identities WHERE",
		"x NOT IN (SELECT y FROM contributions":                                                                          "x GLOBAL NOT IN (SELECT y FROM db.contributions",
		"AND (contributions.repo_id, contributions.number) IN\n      (SELECT repo_id, number FROM contributions\n WHERE": "AND (contributions.repo_id, contributions.number) GLOBAL IN (SELECT repo_id, number FROM db.contributions\n WHERE",
		"WHERE (repo_id, number) IN (SELECT repo_id, number FROM contributions WHERE":                                    "WHERE (repo_id, number) GLOBAL IN (SELECT repo_id, number FROM db.contributions WHERE",
		"AND actor_id IN (SELECT author_id FROM pull_requests":                                                           "AND actor_id IN (SELECT author_id FROM db.pull_requests",
	} {
		if got := ForCluster(in, "db"); got != want {
			t.Errorf("ForCluster(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestInsertTable(t *testing.T) {
	for name, want := range map[string]string{
		"checkpoints_insert.sql":   "sync_checkpoints",
		"lease_write.sql":          "work_leases",
		"contributions_insert.sql": "contributions",
		"rollup_marks_insert.sql":  "rollup_marks",
		"setting.sql":              "",
		"rollup_swap.sql":          "",
	} {
		if got := InsertTable(MustRead(name)); got != want {
			t.Errorf("InsertTable(%s) = %q, want %q", name, got, want)
		}
	}
}
