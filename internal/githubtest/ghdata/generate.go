package ghdata

import (
	"crypto/sha1"
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"
)

// Spec is the size and shape of a generated dataset. Per-repository
// figures are averages: busier repositories get more, quieter ones less,
// and the totals match the figures times the number of repositories.
type Spec struct {
	Seed        uint64
	Orgs        []string // organisation logins; default ["aws-samples"]
	ReposPerOrg int      // default 5
	Users       int      // people besides the bots; default 60

	PullsPerRepo          int     // default 20
	ReviewsPerPull        float64 // default 3
	ReviewCommentsPerPull float64 // default 2
	IssuesPerRepo         int     // default 30
	CommentsPerIssue      float64 // default 3 (pull requests get a third of that)
	CommitsPerRepo        int     // default 100
	ReleasesPerRepo       int     // default 4
	StarsPerRepo          int     // default 30
	ForksPerRepo          int     // default 5
	// CommitCommentsPerRepo are comments on default-branch commits;
	// default 3, negative for none. They are drawn from a random source of
	// their own, so a dataset's other activity does not depend on them.
	CommitCommentsPerRepo int

	Start, End time.Time // activity window; default 2021-01-01 to 2026-11-01

	// Gaming adds the histories acceptance-based scoring judges (self-
	// merges, self-reviews, spam, drafts, a campaign, a template bot
	// without "[bot]"; gaming.go), by accounts of their own.
	Gaming bool
}

// SmallSpec is a dataset small enough for unit tests.
func SmallSpec(seed uint64) Spec {
	return Spec{Seed: seed, Orgs: []string{"aws-samples", "cdklabs"}, ReposPerOrg: 3, Users: 25,
		PullsPerRepo: 12, IssuesPerRepo: 15, CommitsPerRepo: 40, ReleasesPerRepo: 2, StarsPerRepo: 10, ForksPerRepo: 3}
}

// BenchSpec is the dataset of the cost benchmark: 20 repositories, 2,000
// pull requests with about 3 reviews each, 3,000 issues with comments and
// 10,000 commits.
func BenchSpec(seed uint64) Spec {
	return Spec{Seed: seed, Orgs: []string{"aws-samples"}, ReposPerOrg: 20, Users: 400,
		PullsPerRepo: 100, ReviewsPerPull: 3, IssuesPerRepo: 150, CommitsPerRepo: 500,
		ReleasesPerRepo: 8, StarsPerRepo: 60, ForksPerRepo: 10}
}

func (s *Spec) fill() {
	def := func(v *int, d int) {
		if *v == 0 {
			*v = d
		}
	}
	deff := func(v *float64, d float64) {
		if *v == 0 {
			*v = d
		}
	}
	if len(s.Orgs) == 0 {
		s.Orgs = []string{"aws-samples"}
	}
	def(&s.ReposPerOrg, 5)
	def(&s.Users, 60)
	def(&s.PullsPerRepo, 20)
	deff(&s.ReviewsPerPull, 3)
	deff(&s.ReviewCommentsPerPull, 2)
	def(&s.IssuesPerRepo, 30)
	deff(&s.CommentsPerIssue, 3)
	def(&s.CommitsPerRepo, 100)
	def(&s.ReleasesPerRepo, 4)
	def(&s.StarsPerRepo, 30)
	def(&s.ForksPerRepo, 5)
	def(&s.CommitCommentsPerRepo, 3)
	if s.Start.IsZero() {
		s.Start = time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	if s.End.IsZero() {
		s.End = time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	}
}

// Generate builds a dataset from spec. The same spec gives the same
// dataset, byte for byte, on every run.
func Generate(spec Spec) *Dataset {
	spec.fill()
	d := &Dataset{nextID: 1000, nextCC: 70_000_000, byLogin: map[string]*User{}, byName: map[string]*Repo{}, Now: spec.End}
	g := &generator{d: d, rng: rand.New(rand.NewPCG(spec.Seed, 0x636f6e74726962)), spec: spec,
		ccRng: rand.New(rand.NewPCG(spec.Seed, 0x636f6d6d656e74))}
	d.gen = g
	g.population()
	repoNames := []string{"serverless-patterns", "cdk-constructs", "lambda-powertools-demo", "eks-blueprints",
		"bedrock-samples", "amplify-ui-kit", "s3-uploader", "dynamodb-toolbox", "step-functions-workflows",
		"cloudformation-guard-rules", "sagemaker-notebooks", "iot-greengrass-examples", "appsync-resolvers",
		"ecs-deploy-action", "cdk-nag-packs", "eventbridge-pipes", "opensearch-dashboards-kit", "rds-proxy-demo",
		"kinesis-consumers", "cognito-auth-flows", "glue-etl-jobs", "lex-chatbot", "batch-compute-env", "sqs-workers"}
	for _, org := range d.Orgs {
		for i := 0; i < spec.ReposPerOrg; i++ {
			name := repoNames[i%len(repoNames)]
			if i >= len(repoNames) {
				name = fmt.Sprintf("%s-%d", name, i/len(repoNames)+1)
			}
			created := g.between(spec.Start.AddDate(-2, 0, 0), spec.Start)
			r := &Repo{ID: d.newID(), Owner: org, Name: name, DefaultBranch: "main", CreatedAt: created,
				Description: "Examples for " + strings.ReplaceAll(name, "-", " "),
				Archived:    i%5 == 2, Fork: i%4 == 1}
			if i%4 == 3 {
				r.DefaultBranch = "develop"
			}
			r.NodeID = nodeID("R", r.ID)
			d.Repos = append(d.Repos, r)
			d.byName[strings.ToLower(r.FullName())] = r
		}
	}
	// Busier repositories first, quieter last, averaging 1 over all.
	n := len(d.Repos)
	for i, r := range d.Repos {
		w := 0.4 + 1.2*float64(n-1-i)/float64(max(n-1, 1))
		g.activity(r, w, spec.Start, spec.End, scaleSpec(spec, w))
	}
	if spec.Gaming {
		g.gamingCases()
	}
	g.assignIDs()
	return d
}

func scaleSpec(s Spec, w float64) Spec {
	sc := func(n int) int { return int(float64(n)*w + 0.5) }
	s.PullsPerRepo, s.IssuesPerRepo, s.CommitsPerRepo = sc(s.PullsPerRepo), sc(s.IssuesPerRepo), sc(s.CommitsPerRepo)
	s.ReleasesPerRepo, s.StarsPerRepo, s.ForksPerRepo = sc(s.ReleasesPerRepo), sc(s.StarsPerRepo), sc(s.ForksPerRepo)
	s.CommitCommentsPerRepo = sc(s.CommitCommentsPerRepo)
	return s
}

// Activity is new activity added to an existing dataset by AddActivity,
// per repository (archived repositories get none).
type Activity struct {
	Seed          uint64
	Pulls         int
	Issues        int
	Commits       int
	CommentsOnOld int // new comments on existing issues and pull requests
	ReviewsOnOld  int // new reviews on existing open pull requests
	CloseOld      int // existing open issues and pull requests closed or merged
	Stars, Forks  int
	Releases      int
	// CommitComments are new comments on the default branch's commits,
	// old ones included.
	CommitComments int
	// MergedBranchCommits are commits made on a branch before the current
	// head and merged with a merge commit at the end of the activity.
	MergedBranchCommits int
	Over                time.Duration // the activity spans this long after Now; default a day
	OnlyRepos           []string      // owner/name; empty means every repository
	NewContributor      bool          // add one person never seen before, who opens a pull request
}

// AddActivity appends activity after d.Now, including changes to old
// issues and pull requests, and moves d.Now to the end of it.
func (d *Dataset) AddActivity(a Activity) {
	d.Lock()
	defer d.Unlock()
	g := d.gen
	g.rng = rand.New(rand.NewPCG(a.Seed, 0x6d6f7265))
	g.ccRng = rand.New(rand.NewPCG(a.Seed, 0x63636d6f7265))
	if a.Over == 0 {
		a.Over = 24 * time.Hour
	}
	from, to := d.Now.Add(time.Second), d.Now.Add(a.Over)
	only := map[string]bool{}
	for _, n := range a.OnlyRepos {
		only[strings.ToLower(n)] = true
	}
	if a.NewContributor {
		g.addUser(fmt.Sprintf("newcomer-%d", len(d.Users)), "User")
	}
	for _, r := range d.Repos {
		if r.Archived || (len(only) > 0 && !only[strings.ToLower(r.FullName())]) {
			continue
		}
		s := g.spec
		s.PullsPerRepo, s.IssuesPerRepo, s.CommitsPerRepo = a.Pulls, a.Issues, a.Commits
		s.ReleasesPerRepo, s.StarsPerRepo, s.ForksPerRepo = a.Releases, a.Stars, a.Forks
		s.CommitCommentsPerRepo = a.CommitComments
		head := r.Head()
		g.activity(r, 1, from, to, s)
		g.mergedBranch(r, a.MergedBranchCommits, head, to)
		g.touchOld(r, a, from, to)
		if a.NewContributor {
			g.newcomerPull(r, d.Users[len(d.Users)-1], g.between(from, to))
		}
	}
	d.Now = to
	g.assignIDs()
}

// generator holds the random source and the population.
type generator struct {
	d      *Dataset
	rng    *rand.Rand
	ccRng  *rand.Rand // commit comments only
	spec   Spec
	people []*User // humans, most active first
	maint  []*User // maintainers: they review, merge and release
	bots   []*User // dependabot and friends (type Bot)
	listed *User   // a bot-like account of type User on the maintained list
	emails []string
}

func (g *generator) addUser(login, typ string) *User {
	u := &User{ID: g.d.newID(), Login: login, Type: typ, CreatedAt: g.spec.Start.AddDate(-3, 0, 0)}
	u.NodeID = nodeID("U", u.ID)
	if typ == "Bot" {
		u.NodeID = nodeID("BOT", u.ID)
	}
	u.Name = login
	u.Email = fmt.Sprintf("%d+%s@users.noreply.github.com", u.ID, login)
	g.d.Users = append(g.d.Users, u)
	g.d.byLogin[strings.ToLower(login)] = u
	return u
}

func (g *generator) population() {
	d := g.d
	for _, o := range g.spec.Orgs {
		u := &User{ID: d.newID(), Login: o, Type: "Organization", Name: o, CreatedAt: g.spec.Start.AddDate(-5, 0, 0)}
		u.NodeID = nodeID("O", u.ID)
		d.Orgs = append(d.Orgs, u)
		d.byLogin[strings.ToLower(o)] = u
	}
	given := []string{"maria", "james", "aiko", "wei", "priya", "lukas", "fatima", "diego", "olga", "kwame",
		"sofia", "mateo", "hannah", "raj", "yuki", "chen", "amara", "elena", "tomasz", "noah"}
	family := []string{"garcia", "smith", "tanaka", "zhang", "patel", "muller", "haddad", "silva", "ivanova",
		"mensah", "rossi", "lopez", "sharma", "sato", "okafor", "kowalski", "brown", "iyer", "costa", "khan"}
	// People whose logins look like bots but who are people: broad
	// patterns such as "*bot" must not catch them.
	botLike := []string{"abbot", "talbot-dev", "robotics-lab-ana"}
	for i := 0; i < g.spec.Users; i++ {
		login := fmt.Sprintf("%s-%s", given[i%len(given)], family[(i/len(given)+i)%len(family)])
		if i >= len(given)*len(family)/4 {
			login = fmt.Sprintf("%s%d", login, i)
		}
		if i > 0 && i%17 == 0 && i/17-1 < len(botLike) {
			login = botLike[i/17-1]
		}
		u := g.addUser(login, "User")
		u.Name = strings.Title(strings.ReplaceAll(login, "-", " ")) //nolint:staticcheck // ASCII names
		if i%3 == 0 {
			u.Email = login + "@example.com" // a public email GitHub links to the account
		}
		g.people = append(g.people, u)
	}
	nm := max(3, len(g.people)/8)
	g.maint = g.people[:nm]
	for _, b := range []string{"dependabot[bot]", "github-actions[bot]", "renovate[bot]"} {
		g.bots = append(g.bots, g.addUser(b, "Bot"))
	}
	g.listed = g.addUser("aws-cdk-automation", "User")
	for i := 0; i < 12; i++ {
		g.emails = append(g.emails, fmt.Sprintf("dev%02d@corp%d.example", i, i%3))
	}
}

// person picks a human, skewed so that a few do most of the work.
func (g *generator) person() *User {
	n := len(g.people)
	x := g.rng.Float64()
	return g.people[int(x*x*x*float64(n))%n]
}

func (g *generator) maintainer() *User { return g.maint[g.rng.IntN(len(g.maint))] }

func (g *generator) between(a, b time.Time) time.Time {
	if !b.After(a) {
		return a
	}
	return a.Add(time.Duration(g.rng.Int64N(int64(b.Sub(a))))).Truncate(time.Second)
}

// count draws a non-negative count with the given mean.
func (g *generator) count(mean float64) int {
	if mean <= 0 {
		return 0
	}
	return g.rng.IntN(int(2*mean) + 1)
}

// after returns a time shortly after t, never after end.
func (g *generator) after(t, end time.Time, within time.Duration) time.Time {
	x := t.Add(time.Second + time.Duration(g.rng.Int64N(int64(within)))).Truncate(time.Second)
	if x.After(end) {
		return end
	}
	return x
}

func (g *generator) sha(parts ...any) string {
	h := sha1.Sum([]byte(fmt.Sprint(parts...)))
	return hex.EncodeToString(h[:])
}
