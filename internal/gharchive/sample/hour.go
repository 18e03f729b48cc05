package sample

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"time"
)

// epoch is hour index 0; GH Archive uses the Events API format from here on.
var epoch = time.Date(2015, 1, 1, 0, 0, 0, 0, time.UTC)

// diurnal is the relative activity per UTC hour of day, in percent (mean 100):
// quiet during the Pacific night, busiest when Europe and the US overlap.
var diurnal = [24]int64{70, 62, 56, 52, 54, 62, 74, 88, 100, 110, 116, 120,
	126, 136, 150, 160, 156, 146, 132, 118, 104, 92, 84, 76}

const (
	defaultEventsPerHour = 400
	maxEventsPerHour     = 50_000
	// hourStride ids are reserved per hour in the per-hour id spaces (push ids,
	// commit comment ids, forkee ids); it exceeds any hour's event count.
	hourStride      = 100_000
	eventIDBase     = 2_485_000_000 // event ids near 2015-01-01T00 in real GH Archive
	eventIDsPerHour = 400_000       // roughly GitHub's pace, so 2024 ids look like 2024's
)

func hourTime(hi int64) time.Time { return epoch.Add(time.Duration(hi) * time.Hour) }

func hourOfDay(hi int64) int64 { return (hi%24 + 24) % 24 }

func splitmix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// mix combines two values into one well-spread PCG seed word.
func mix(a, b uint64) uint64 { return splitmix(a ^ splitmix(b)) }

// hourGen generates the events of one hour.
type hourGen struct {
	p         *population
	r         *rand.Rand
	hi        int64
	start     time.Time
	aws       []*repository // organisation repositories existing in this hour
	other     []*repository
	awsWeight int
	othWeight int
	counter   int64 // per-hour id counter
}

func generateHour(hour time.Time, opts Options) ([]*event, error) {
	hour = hour.UTC()
	switch {
	case !hour.Truncate(time.Hour).Equal(hour):
		return nil, fmt.Errorf("sample: hour %s is not truncated to the hour", hour.Format(time.RFC3339Nano))
	case hour.Before(epoch):
		return nil, fmt.Errorf("sample: hour %s is before 2015-01-01, when GH Archive used the Timeline format", hour.Format(time.RFC3339))
	case opts.EventsPerHour < 0 || opts.EventsPerHour > maxEventsPerHour:
		return nil, fmt.Errorf("sample: EventsPerHour %d out of range [0, %d]", opts.EventsPerHour, maxEventsPerHour)
	}
	eph := opts.EventsPerHour
	if eph == 0 {
		eph = defaultEventsPerHour
	}
	p := getPopulation()
	hi := int64(hour.Sub(epoch) / time.Hour)
	g := &hourGen{p: p, hi: hi, start: hour, r: rand.New(rand.NewPCG(mix(uint64(opts.Seed), 0x686f7572), uint64(hi)))}
	for _, repo := range p.repos {
		switch {
		case repo.created > hi:
		case repo.AWS:
			g.aws, g.awsWeight = append(g.aws, repo), g.awsWeight+repo.Weight
		default:
			g.other, g.othWeight = append(g.other, repo), g.othWeight+repo.Weight
		}
	}

	// Issues and pull requests created in the last lifecycleHours hours.
	var events []*event
	end := hour.Add(time.Hour)
	for _, repo := range p.repos {
		for h := max(hi-lifecycleHours, repo.created); h <= hi; h++ {
			for j := range repo.slots {
				it := p.planItem(opts.Seed, repo, h, j, eph)
				if it == nil {
					continue
				}
				for i, a := range it.acts {
					if !a.at.Before(hour) && a.at.Before(end) {
						events = append(events, it.event(i))
					}
				}
			}
		}
	}
	events = append(events, g.releases()...)
	n := int(int64(eph) * diurnal[hourOfDay(hi)] * int64(90+g.r.IntN(21)) / 10_000)
	for len(events) < n {
		events = append(events, g.free())
	}

	slices.SortStableFunc(events, func(a, b *event) int { return a.at.Compare(b.at) })
	if len(events) >= eventIDsPerHour {
		return nil, errors.New("sample: too many events in one hour")
	}
	gap := min(3, (eventIDsPerHour-1)/max(1, len(events)))
	id := eventIDBase + hi*eventIDsPerHour
	for _, e := range events {
		id += 1 + g.r.Int64N(int64(gap))
		e.ID = itoa(id)
	}
	return events, nil
}

// nextID returns a fresh id in a per-hour id space.
func (g *hourGen) nextID() int64 {
	g.counter++
	return g.hi*hourStride + g.counter
}

// orgRepo returns an organisation repository, AWS ones four times out of five,
// weighted by activity.
func (g *hourGen) orgRepo() *repository {
	list, total := g.aws, g.awsWeight
	if g.r.IntN(100) < 18 || len(g.aws) == 0 {
		list, total = g.other, g.othWeight
	}
	x := g.r.IntN(total)
	for _, repo := range list {
		if x < repo.Weight {
			return repo
		}
		x -= repo.Weight
	}
	return list[len(list)-1]
}

func (g *hourGen) randomTime() time.Time {
	return g.start.Add(time.Duration(g.r.IntN(3600)) * time.Second)
}

func (g *hourGen) zipfUser() *account { return g.p.users[g.p.pickUser(g.r)] }

func (g *hourGen) anyUser() *account { return g.p.users[g.r.IntN(len(g.p.users))] }

func (g *hourGen) personalRepo(u *account) *repository {
	own := g.p.personal[u.idx]
	return own[g.r.IntN(len(own))]
}

type createPayload struct {
	Ref          *string `json:"ref"`
	RefType      string  `json:"ref_type"`
	MasterBranch string  `json:"master_branch"`
	Description  *string `json:"description"`
	PusherType   string  `json:"pusher_type"`
}

type releasePayload struct {
	Action  string       `json:"action"`
	Release *releaseJSON `json:"release"`
}

// releases publishes at most one release per repository and hour: big
// repositories release about daily, the others about weekly. The tag of a
// release is derived from the hour (minor = days since the repository was
// created, patch = hour of day), so it is unique in its repository.
func (g *hourGen) releases() []*event {
	var events []*event
	for _, repo := range append(slices.Clip(g.aws), g.other...) {
		perMille := 6
		if repo.Weight >= 10 {
			perMille = 40
		}
		if repo.Major == 0 || g.r.IntN(1000) >= perMille {
			continue
		}
		at, since := g.randomTime(), g.hi-repo.created
		tag := fmt.Sprintf("v%d.%d.%d", repo.Major, since/24, hourOfDay(g.hi))
		author := g.p.actions
		switch {
		case repo.Name == "aws-cdk" || repo.Owner.Login == "cdklabs":
			author = g.p.cdkAutomation
		case g.r.IntN(2) == 0:
			author = g.p.maintainer(g.r, repo, nil)
		}
		full, id := repo.fullName(), 700_000_000+g.hi*128+int64(repo.ord) // fewer than 128 repositories
		rel := &releaseJSON{URL: api + "repos/" + full + "/releases/" + itoa(id),
			HTMLURL: web + full + "/releases/tag/" + tag, ID: id, TagName: tag,
			TargetCommitish: repo.Branch, Name: tag, Author: userObj(author), CreatedAt: ts(at.Add(-time.Minute)),
			PublishedAt: ts(at), Assets: []struct{}{}, TarballURL: api + "repos/" + full + "/tarball/" + tag,
			ZipballURL: api + "repos/" + full + "/zipball/" + tag,
			Body:       "## What's Changed\n\n* " + changeTitle(g.r) + "\n* " + changeTitle(g.r)}
		events = append(events,
			newEvent("CreateEvent", author, repo, at, createPayload{ptr(tag), "tag", repo.Branch, ptr(repo.Desc), "user"}),
			newEvent("ReleaseEvent", author, repo, at, releasePayload{"published", rel}))
	}
	return events
}
