package contrib

import "strconv"

// Platform is the forge, or other system, that an account, a repository
// or a natural key belongs to.
type Platform string

// GitHub is the platform of every source today, and the one whose ids and
// keys are stored as they are: the stored data predates platforms, and it
// keeps its meaning.
const GitHub Platform = "github"

// ID maps an id that the platform gave an account or a repository into
// the ids contribtrack stores. GitHub's are kept. Another platform's are
// derived from the platform, what the id names ("account", "repo") and
// the id, in the space of derived ids (as LoginActorID's). They can never
// be taken for a GitHub id, and stay apart from each other platform's.
func (p Platform) ID(what string, id uint64) uint64 {
	if p == GitHub || p == "" {
		return id
	}
	return derivedIDBit | (hash64(string(p)+":"+what+":", strconv.FormatUint(id, 10)) &^ (derivedIDBit | emailIDBit))
}

// Key makes a natural key (KeyFor*) the platform's: GitHub's are kept,
// another platform's carry its name ("gitlab:" + key), so that equal
// numbers on two platforms are two contributions.
func (p Platform) Key(key string) string {
	if p == GitHub || p == "" {
		return key
	}
	return string(p) + ":" + key
}
