// Package contrib defines the normalised contribution: the one shape every
// source (GH Archive, the GitHub API) is turned into before it is stored.
package contrib

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"hash"
	"strconv"
	"strings"
	"time"
)

// Kinds lists every kind in its stored order (KindTable's).
var Kinds = kindsOf(kindTable, false)

// ContributionKinds lists the kinds that count as contributions, in the
// same order (everything but the star and fork signals).
var ContributionKinds = kindsOf(kindTable, true)

// IsContribution reports whether k counts towards leaderboards.
func (k Kind) IsContribution() bool {
	i, ok := Info(k)
	return ok && i.Contribution
}

// Valid reports whether k is one of the known kinds.
func (k Kind) Valid() bool {
	for _, x := range Kinds {
		if x == k {
			return true
		}
	}
	return false
}

// ParseKind returns the kind named s, or an error listing the valid names.
func ParseKind(s string) (Kind, error) {
	k := Kind(strings.TrimSpace(s))
	if !k.Valid() {
		names := make([]string, len(Kinds))
		for i, x := range Kinds {
			names[i] = string(x)
		}
		return "", fmt.Errorf("unknown kind %q (valid: %s)", s, strings.Join(names, ", "))
	}
	return k, nil
}

// Via says how a contribution reached contribtrack: the transport, not
// the platform (every one today is GitHub's). It is stored (the
// contributions table's source column) and decides which sighting of a
// contribution is kept when several are stored (store.sourceRank).
type Via string

// The ways contributions arrive.
const (
	ViaGHArchive Via = "gharchive"
	ViaREST      Via = "rest"
	ViaGraphQL   Via = "graphql"
)

// Contribution is one normalised contribution or signal.
//
// Key is the natural key: it identifies the contribution whatever source saw
// it, so that the same contribution stored twice counts once (see KeyFor*).
type Contribution struct {
	Kind       Kind
	Key        string
	CreatedAt  time.Time // UTC
	ActorID    uint64    // GitHub user id, or a derived id (see LoginActorID, EmailActorID)
	ActorLogin string    // login at the time, "" for an email-only identity
	RepoID     uint64
	RepoName   string // owner/name as seen at the time
	Org        string // the owner part of RepoName
	Via        Via
	// EmailDomain is the domain of a commit's author email (lower-cased),
	// for affiliations by domain; "" for other kinds. The address itself is
	// never kept.
	EmailDomain string
	// Number is the number, within its repository, of the issue or pull
	// request the contribution belongs to: its own for pr_opened, pr_merged,
	// pr_closed, issue_opened and issue_closed; its parent's for pr_review,
	// pr_review_comment and issue_comment (a comment on a pull request's
	// conversation carries the pull request's number: issues and pull
	// requests share one sequence). 0 when the source does not say, and for
	// commit, commit_comment, release, star and fork.
	Number int64
	// ReviewState is a pr_review's state (ReviewApproved, ...; "" when the
	// source does not say, and for other kinds).
	ReviewState string
	// PR is what the source saw of the pull request with this sighting of
	// a pr_opened, pr_merged or pr_closed (nil when it did not say).
	PR *PullRequest
}

// DomainOf returns the lower-cased domain of an email address ("" when
// there is none).
func DomainOf(email string) string {
	i := strings.LastIndexByte(email, '@')
	if i < 0 {
		return ""
	}
	return strings.ToLower(strings.TrimSpace(email[i+1:]))
}

// derivedIDBit marks actor ids that contribtrack derived itself rather than
// read from GitHub. GitHub's ids are far below 2^63.
const derivedIDBit = uint64(1) << 63

// emailIDBit further marks derived ids that come from a commit email.
const emailIDBit = uint64(1) << 62

// LoginActorID derives a stable actor id from a login, for sources that give
// no numeric id (GH Archive's 2011-2014 Timeline format). Logins are
// case-insensitive on GitHub, so the id is too.
func LoginActorID(login string) uint64 {
	return derivedIDBit | (hash64("login:", login) &^ (derivedIDBit | emailIDBit))
}

// EmailKey is the secret that email identities are derived with (an
// HMAC-SHA256 key): without it, nobody can tell from the stored ids or the
// email:<hex> labels whose address an identity is, even knowing the address.
// The same key must be used by every process writing to one database.
type EmailKey []byte

// ActorID derives the stable actor id of a commit author known only by
// email. The email itself is never stored. For many emails in one
// goroutine, an EmailHasher is faster.
func (k EmailKey) ActorID(email string) uint64 { return k.Hasher().ActorID(email) }

// Fingerprint identifies the key without revealing it: databases keep it to
// refuse identities derived with another key.
func (k EmailKey) Fingerprint() string {
	mac := hmac.New(sha256.New, k)
	mac.Write([]byte("contribtrack email key fingerprint"))
	return fmt.Sprintf("%x", mac.Sum(nil)[:8])
}

// Hasher returns an EmailHasher for k: one per goroutine.
func (k EmailKey) Hasher() *EmailHasher {
	return &EmailHasher{mac: hmac.New(sha256.New, k), seen: map[string]uint64{}}
}

// EmailHasher derives email identities under one key, reusing its HMAC
// state and remembering recent emails (a push lists many commits by one
// author). It is not safe for concurrent use.
type EmailHasher struct {
	mac  hash.Hash
	sum  [sha256.Size]byte
	low  []byte
	seen map[string]uint64
}

// maxSeen bounds the memory of an EmailHasher.
const maxSeen = 4096

// ActorID derives the actor id of email.
func (h *EmailHasher) ActorID(email string) uint64 {
	if id, ok := h.seen[email]; ok {
		return id
	}
	h.low = append(h.low[:0], strings.TrimSpace(email)...)
	for i, c := range h.low {
		if 'A' <= c && c <= 'Z' {
			h.low[i] = c + 'a' - 'A'
		}
	}
	h.mac.Reset()
	h.mac.Write(h.low)
	v := binary.BigEndian.Uint64(h.mac.Sum(h.sum[:0]))
	id := derivedIDBit | emailIDBit | (v &^ (derivedIDBit | emailIDBit))
	if len(h.seen) >= maxSeen {
		clear(h.seen)
	}
	h.seen[email] = id
	return id
}

// EmailActorID is the actor id of an email under the empty key (tests and
// tools that have no key).
func EmailActorID(email string) uint64 { return EmailKey(nil).ActorID(email) }

// IsEmailActor reports whether id was derived from a commit email.
func IsEmailActor(id uint64) bool { return id&(derivedIDBit|emailIDBit) == derivedIDBit|emailIDBit }

// EmailLabel is how an email-only identity is shown: a short opaque tag that
// never reveals the address.
func EmailLabel(id uint64) string { return fmt.Sprintf("email:%012x", id&(1<<48-1)) }

// hash64 is FNV-1a over prefix and s, with ASCII letters of s lower-cased
// (logins, emails and natural keys are case-insensitive); it does not
// allocate.
func hash64(prefix, s string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(prefix); i++ {
		h = (h ^ uint64(prefix[i])) * 1099511628211
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		h = (h ^ uint64(c)) * 1099511628211
	}
	return h
}

// KeyHash is the 64-bit hash of a natural key stored in key_hash: FNV-1a
// of "kind/key". Queries count distinct key_hash values.
func KeyHash(k Kind, key string) uint64 {
	return hash64(string(k)+"/", key)
}

// KeyForNumber is the natural key of something numbered within a repository
// (a pull request or an issue): "<repo id>#<number>".
func KeyForNumber(repoID uint64, number int64) string {
	return strconv.FormatUint(repoID, 10) + "#" + strconv.FormatInt(number, 10)
}

// KeyForID is the natural key of something with its own GitHub id (a review,
// a comment, a release).
func KeyForID(id int64) string { return strconv.FormatInt(id, 10) }

// KeyForCommit is the natural key of a commit on a repository: "<repo id>@<sha>".
func KeyForCommit(repoID uint64, sha string) string {
	return strconv.FormatUint(repoID, 10) + "@" + strings.ToLower(sha)
}

// KeyForActorOnRepo is the natural key of a once-per-person signal on a
// repository (a star, a fork): "<repo id>:<actor id>".
func KeyForActorOnRepo(repoID, actorID uint64) string {
	return strconv.FormatUint(repoID, 10) + ":" + strconv.FormatUint(actorID, 10)
}

// OrgOf returns the owner part of "owner/name".
func OrgOf(repoName string) string {
	if i := strings.IndexByte(repoName, '/'); i >= 0 {
		return repoName[:i]
	}
	return ""
}
