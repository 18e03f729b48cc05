package sample

import (
	"fmt"
	"strings"
)

// Events that are not part of an issue or pull request life: pushes, stars,
// branches, forks, wiki edits, commit comments and collaborators.

type watchPayload struct {
	Action string `json:"action"`
}

type forkPayload struct {
	Forkee *repoJSON `json:"forkee"`
}

type gollumPayload struct {
	Pages []pageJSON `json:"pages"`
}

type commitCommentPayload struct {
	Comment *commentJSON `json:"comment"`
}

type memberPayload struct {
	Member *userJSON `json:"member"`
	Action string    `json:"action"`
}

// free returns one event, drawn with roughly the mix of a real GH Archive hour.
func (g *hourGen) free() *event {
	switch weighted(g.r, 520, 140, 120, 45, 45, 15, 15, 8) {
	case 0:
		return g.push()
	case 1:
		return newEvent("WatchEvent", g.anyUser(), g.orgRepo(), g.randomTime(), watchPayload{"started"})
	case 2:
		return g.create()
	case 3:
		return g.delete()
	case 4:
		return g.fork()
	case 5:
		return g.gollum()
	case 6:
		return g.commitComment()
	default:
		owner := g.zipfUser()
		member := g.anyUser()
		if member == owner {
			member = g.p.users[(owner.idx+1)%len(g.p.users)]
		}
		return newEvent("MemberEvent", owner, g.personalRepo(owner), g.randomTime(), memberPayload{userObj(member), "added"})
	}
}

// featureBranch returns a branch name as people name them.
func (g *hourGen) featureBranch(u *account) string {
	return pick(g.r, []string{"feat/", "fix/", u.Login + "/", "", "chore/"}) + pick(g.r, scopes) + "-" + pick(g.r, syllables) + pick(g.r, syllables)
}

// pushTarget picks who pushes where: bots and maintainers push to organisation
// repositories, other contributors push to their forks and personal repositories.
func (g *hourGen) pushTarget() (actor *account, repo *repository, branch string) {
	r, p := g.r, g.p
	if r.IntN(100) < 10 {
		actor = g.zipfUser()
		repo = g.personalRepo(actor)
		if branch = repo.Branch; r.IntN(5) == 0 {
			branch = g.featureBranch(actor)
		}
		return actor, repo, branch
	}
	repo = g.orgRepo()
	switch x := r.IntN(100); {
	case x < 12:
		actor = p.dependabot
		_, branch = depBump(r, actor)
	case x < 20:
		actor, branch = p.actions, pick(r, []string{repo.Branch, "gh-pages", "automation/update-metadata"})
		if repo.Name == "aws-cdk" {
			actor = p.cdkAutomation
		}
	case x < 75:
		actor, branch = p.maintainer(r, repo, nil), repo.Branch
		if r.IntN(10) < 7 {
			branch = g.featureBranch(actor)
		}
	default:
		actor = g.zipfUser()
		branch = g.featureBranch(actor)
		if !containsAccount(repo.maint, actor) {
			repo = p.forkOf(actor, repo)
		}
	}
	return actor, repo, branch
}

func (g *hourGen) push() *event {
	r := g.r
	actor, repo, branch := g.pushTarget()
	var size int
	switch weighted(r, 60, 28, 9, 3) {
	case 0:
		size = 1
	case 1:
		size = 2 + r.IntN(4)
	case 2:
		size = 6 + r.IntN(15)
	default:
		size = 21 + r.IntN(60) // GitHub lists only 20 of them
	}
	nonDistinct := 0 // the oldest commits of a push may already be on another branch
	switch x := r.IntN(100); {
	case x < 7:
		nonDistinct = size
	case x < 12:
		nonDistinct = r.IntN(size)
	}
	listed := min(size, 20)
	commits := make([]commitJSON, listed)
	for k := range commits {
		author := actor
		if actor.idx >= 0 && r.IntN(10) == 0 {
			author = g.zipfUser()
		}
		msg := commitMessage(r)
		switch actor {
		case g.p.dependabot, g.p.renovate:
			msg, _ = depBump(r, actor)
		case g.p.actions, g.p.cdkAutomation:
			msg = pick(r, []string{"chore(release): bump version", "docs: update API reference", "chore: update metadata [skip ci]"})
		}
		commits[k] = newCommit(repo, newSHA(r), author, msg, size-listed+k >= nonDistinct)
	}
	return pushEvent(r, actor, repo, branch, g.randomTime(), 3_000_000_000+2*g.nextID()+1, commits, size, size-nonDistinct)
}

func (g *hourGen) create() *event {
	r, at := g.r, g.randomTime()
	switch x := r.IntN(100); {
	case x < 45:
		actor, repo, branch := g.pushTarget()
		return newEvent("CreateEvent", actor, repo, at, createPayload{ptr(branch), "branch", repo.Branch, ptr(repo.Desc), "user"})
	case x < 60:
		owner := g.zipfUser()
		repo := g.personalRepo(owner)
		return newEvent("CreateEvent", owner, repo, at, createPayload{ptr("v" + version(r)), "tag", repo.Branch, ptr(repo.Desc), "user"})
	default:
		owner := g.zipfUser()
		return newEvent("CreateEvent", owner, g.personalRepo(owner), at, createPayload{nil, "repository", "main", nil, "user"})
	}
}

func (g *hourGen) delete() *event {
	actor, repo, branch := g.pushTarget()
	if branch == repo.Branch || branch == "gh-pages" {
		branch = g.featureBranch(actor)
	}
	return newEvent("DeleteEvent", actor, repo, g.randomTime(), deletePayload{branch, "branch", "user"})
}

func (g *hourGen) fork() *event {
	actor, upstream, at := g.anyUser(), g.orgRepo(), g.randomTime()
	fork := g.p.forkOf(actor, upstream)
	fork.ID, fork.Created = 5_000_000_000+g.nextID(), at // a new repository, with a new id
	forkee := repoObj(fork, at)
	forkee.Public = ptr(true)
	return newEvent("ForkEvent", actor, upstream, at, forkPayload{forkee})
}

func (g *hourGen) gollum() *event {
	r, repo := g.r, g.orgRepo()
	var pages []pageJSON
	for _, name := range pickDistinct(r, []string{"Home", "Getting-Started", "FAQ", "Contributing", "Release-Process", "Troubleshooting"}, 1+r.IntN(2)) {
		pages = append(pages, pageJSON{PageName: name, Title: strings.ReplaceAll(name, "-", " "),
			Action: pick(r, []string{"edited", "edited", "created"}), SHA: newSHA(r), HTMLURL: web + repo.fullName() + "/wiki/" + name})
	}
	return newEvent("GollumEvent", g.zipfUser(), repo, g.randomTime(), gollumPayload{pages})
}

func (g *hourGen) commitComment() *event {
	r, actor, repo, at := g.r, g.zipfUser(), g.orgRepo(), g.randomTime()
	id, sha := 2_000_000_000+2*g.nextID()+1, newSHA(r)
	c := &commentJSON{URL: fmt.Sprintf("%srepos/%s/comments/%d", api, repo.fullName(), id),
		HTMLURL: fmt.Sprintf("%s%s/commit/%s#commitcomment-%d", web, repo.fullName(), sha, id),
		ID:      id, CommitID: sha, User: userObj(actor), CreatedAt: ts(at), UpdatedAt: ts(at), Body: pick(r, comments)}
	return newEvent("CommitCommentEvent", actor, repo, at, commitCommentPayload{c})
}
