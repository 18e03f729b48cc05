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
