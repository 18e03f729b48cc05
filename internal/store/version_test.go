package store

import (
	"context"
	"errors"
	"strings"
	"testing"

	"contribtrack/internal/chversion"
	"contribtrack/internal/testing/chtest"
)

// A server older than the oldest supported release is refused by migrate
// and by the schema check (readiness), naming both releases.
func TestOldServerIsRefused(t *testing.T) {
	dsn, _, _ := chtest.LegacyDatabase(t)
	ctx := context.Background()
	s, err := Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if v := s.ServerVersion(); !v.Less(chversion.MinSupported) {
		t.Fatalf("the legacy server says %s", v)
	}
	_, err = s.Migrate(ctx)
	if !errors.Is(err, ErrServerTooOld) {
		t.Fatalf("Migrate on %s: %v, want ErrServerTooOld", s.ServerVersion(), err)
	}
	for _, want := range []string{"18.16", chversion.MinSupported.String()} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not name %s", err, want)
		}
	}
	if err := s.CheckSchema(ctx); !errors.Is(err, ErrServerTooOld) {
		t.Errorf("CheckSchema: %v, want ErrServerTooOld", err)
	}
	s.AllowUnsupportedServer()
	if _, err := s.Migrate(ctx); err != nil {
		t.Fatalf("Migrate with AllowUnsupportedServer (what the replication tests do): %v", err)
	}
	if err := s.CheckSchema(ctx); err != nil {
		t.Errorf("CheckSchema with AllowUnsupportedServer: %v", err)
	}
}

func TestCurrentServerIsAccepted(t *testing.T) {
	dsn, _ := chtest.Database(t)
	s, err := Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if v := s.ServerVersion(); v.Less(chversion.MinSupported) || !s.modern() {
		t.Fatalf("the test server says %s", v)
	}
	if err := s.checkVersion(); err != nil {
		t.Fatal(err)
	}
}
