package store

import (
	"context"
	"testing"
	"time"

	"contribtrack/internal/roster"
)

func TestImportRosterAndMemberTargets(t *testing.T) {
	ctx := context.Background()
	s := migrated(t)
	r, err := roster.Load("../../examples/roster.yaml", "../../examples/identities.yaml")
	if err != nil {
		t.Fatal(err)
	}
	imp, err := s.ImportRoster(ctx, r, "examples", nil)
	if err != nil {
		t.Fatal(err)
	}
	active, err := s.ActiveRoster(ctx)
	if err != nil || active.ID != imp.ID || active.Members != 4 {
		t.Fatalf("active roster %+v, %v; want the import %d with 4 members", active, err, imp.ID)
	}
	ts, err := s.MemberTargets(ctx, imp.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(ts) != 4 {
		t.Fatalf("%d member targets, want 4", len(ts))
	}
	if amara := ts[0]; amara.Key != "amara-builds" || len(amara.IDs) != 1 || amara.IDs[0] != 7011001 {
		t.Errorf("amara = %+v", amara)
	}
	ana := ts[1] // by key: amara-builds, ana-ferreira-dev, ...
	if ana.Key != "ana-ferreira-dev" || len(ana.Logins) != 2 || len(ana.IDs) != 0 ||
		!ana.Since.Equal(time.Date(2019, 5, 1, 0, 0, 0, 0, time.UTC)) || ana.MemberID != roster.MemberID("ana-ferreira-dev") {
		t.Errorf("ana = %+v", ana)
	}
	people, err := s.People(ctx, imp.ID)
	if err != nil || people.Logins[roster.MemberID("kwatanabe")] != "kwatanabe" || len(people.Flags["opt_out"]) != 1 {
		t.Errorf("people = %+v, %v", people, err)
	}
}
