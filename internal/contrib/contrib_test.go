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
