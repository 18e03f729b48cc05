package contrib

import "testing"

// GitHub's ids and keys keep their stored meaning; another platform's
// never meet them or each other's.
func TestPlatformsKeepIDsAndKeysApart(t *testing.T) {
	if GitHub.ID("account", 42) != 42 || GitHub.Key(KeyForID(7)) != "7" {
		t.Fatal("GitHub's ids and keys must be kept as stored")
	}
	const gitlab, gitea Platform = "gitlab", "gitea"
	for _, what := range []string{"account", "repo"} {
		seen := map[uint64]string{} // accounts and repositories are stored apart
		for _, p := range []Platform{GitHub, gitlab, gitea} {
			for id := uint64(1); id <= 1000; id++ {
				got := p.ID(what, id)
				name := string(p) + " " + what + " " + KeyForID(int64(id))
				if prev, ok := seen[got]; ok {
					t.Fatalf("%s and %s share id %d", prev, name, got)
				}
				seen[got] = name
				if p != GitHub && (got&derivedIDBit == 0 || IsEmailActor(got)) {
					t.Fatalf("%s maps to %d, outside the derived ids", name, got)
				}
			}
		}
	}
	if gitlab.Key(KeyForNumber(5, 1)) == GitHub.Key(KeyForNumber(5, 1)) || gitlab.Key("5#1") != "gitlab:5#1" {
		t.Errorf("keys: gitlab %q, github %q", gitlab.Key("5#1"), GitHub.Key("5#1"))
	}
}
