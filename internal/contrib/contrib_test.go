package contrib

import "testing"

func TestEmailKeyedIdentities(t *testing.T) {
	a, b := EmailKey("first-secret-key-0001"), EmailKey("second-secret-key-002")
	id := a.ActorID("Ana@Example.org")
	if id != a.ActorID(" ana@example.org ") {
		t.Errorf("the same email in another case or with spaces gives another id")
	}
	if id == b.ActorID("ana@example.org") || id == EmailActorID("ana@example.org") {
		t.Errorf("another key gives the same id: the key does not protect the address")
	}
	if !IsEmailActor(id) || IsEmailActor(LoginActorID("ana")) || IsEmailActor(12345) {
		t.Errorf("IsEmailActor is wrong")
	}
	if a.ActorID("ana@example.org") == a.ActorID("bo@example.org") {
		t.Errorf("two emails, one id")
	}
	if DomainOf("X@Corp.Example") != "corp.example" || DomainOf("nodomain") != "" {
		t.Errorf("DomainOf is wrong")
	}
}

func TestEmailHasherAgreesWithActorID(t *testing.T) {
	k := EmailKey("a-key-for-the-hasher-test")
	h := k.Hasher()
	for i := 0; i < 3*maxSeen; i++ { // past its memory, twice
		e := string(rune('A'+i%26)) + "dev" + string(rune('a'+i%7)) + "@Corp.example"
		if h.ActorID(e) != k.ActorID(e) {
			t.Fatalf("%s: the hasher and ActorID disagree", e)
		}
	}
	if len(h.seen) > maxSeen {
		t.Errorf("the hasher remembers %d emails, more than %d", len(h.seen), maxSeen)
	}
}

// TestKindTable: every kind once, with what its readers need.
func TestKindTable(t *testing.T) {
	seen := map[string]bool{}
	for i, k := range KindTable() {
		for _, name := range []string{"kind " + string(k.Kind), "label " + k.Label, "short " + k.Short} {
			if seen[name] {
				t.Errorf("%s twice", name)
			}
			seen[name] = true
		}
		if k.Label == "" || k.Short == "" || k.Credited == "" {
			t.Errorf("%s: label %q, short %q, credited %q", k.Kind, k.Label, k.Short, k.Credited)
		}
		if k.Contribution != (k.Group != "") || k.Contribution != (k.Weight > 0) {
			t.Errorf("%s: a contribution has a group and a weight, a signal neither: %+v", k.Kind, k)
		}
		if Kinds[i] != k.Kind {
			t.Errorf("Kinds[%d] = %s, the table's %s", i, Kinds[i], k.Kind)
		}
		if k.Kind.IsContribution() != k.Contribution || !k.Kind.Valid() {
			t.Errorf("%s: IsContribution %v, Valid %v", k.Kind, k.Kind.IsContribution(), k.Kind.Valid())
		}
	}
	if len(ContributionKinds) != 11 || ContributionKinds[10] != Release {
		t.Errorf("ContributionKinds = %v", ContributionKinds)
	}
	if Star.IsContribution() || Kind("nope").IsContribution() {
		t.Error("a signal or an unknown kind counts as a contribution")
	}
}
