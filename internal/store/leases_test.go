package store

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"
)

// TestLeases: a claim excludes others until it expires; of collectors
// claiming a free resource at once, exactly one wins; the holder renews.
func TestLeases(t *testing.T) {
	ctx := context.Background()
	s := migrated(t)
	ok, err := s.Claim(ctx, "repo:1", "a", 2*time.Second, 100*time.Millisecond)
	if err != nil || !ok {
		t.Fatalf("first claim: %v %v", ok, err)
	}
	if ok, err := s.Claim(ctx, "repo:1", "b", 2*time.Second, 100*time.Millisecond); err != nil || ok {
		t.Fatalf("claim of a held lease: %v %v", ok, err)
	}
	if ok, err := s.Claim(ctx, "repo:1", "a", 2*time.Second, 0); err != nil || !ok {
		t.Fatalf("renewal: %v %v", ok, err)
	}
	// Expired: someone else takes it.
	time.Sleep(3 * time.Second)
	if ok, err := s.Claim(ctx, "repo:1", "b", 2*time.Second, 100*time.Millisecond); err != nil || !ok {
		t.Fatalf("claim of an expired lease: %v %v", ok, err)
	}
	// Five at once on a free resource: one winner.
	for round := 0; round < 5; round++ {
		res := fmt.Sprintf("repo:race%d", round)
		var mu sync.Mutex
		winners := 0
		var wg sync.WaitGroup
		for i := 0; i < 5; i++ {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				ok, err := s.Claim(ctx, res, fmt.Sprintf("c%d", i), 10*time.Second, 500*time.Millisecond)
				if err != nil {
					t.Error(err)
				}
				if ok {
					mu.Lock()
					winners++
					mu.Unlock()
				}
			}(i)
		}
		wg.Wait()
		if winners != 1 {
			t.Errorf("%s: %d winners, want 1", res, winners)
		}
	}
}
