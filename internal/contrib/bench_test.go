package contrib

import (
	"fmt"
	"testing"
)

// BenchmarkEmailActorID measures deriving an email identity with the key
// against the cost of the natural-key hash every contribution pays
// (KeyHash), the baseline in the same run.
func BenchmarkEmailActorID(b *testing.B) {
	key := EmailKey("a-benchmark-secret-key-0001")
	email := "4e7a1c2b9f0d3e5a6b7c8d9e0f1a2b3c4d5e6f70@users.noreply.github.com"
	b.Run("keyed-email-id", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			_ = key.ActorID(email)
		}
	})
	b.Run("keyed-email-id-hasher", func(b *testing.B) {
		h := key.Hasher()
		emails := make([]string, 8192) // more than it remembers
		for i := range emails {
			emails[i] = fmt.Sprintf("%040x@users.noreply.github.com", i)
		}
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			_ = h.ActorID(emails[i%len(emails)])
		}
	})
	b.Run("baseline-key-hash", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			_ = KeyHash(Commit, "123456789@4e7a1c2b9f0d3e5a6b7c8d9e0f1a2b3c4d5e6f70")
		}
	})
}
