package gharchive

import (
	"bufio"
	"encoding/json"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"contribtrack/internal/contrib"
	"contribtrack/internal/testing/fixtures"
)

// Every pull request event of the real sample carries its pull request's
// facts, as of the event's time, exactly as an independent decoding of
// the same lines reads them; every review its state.
func TestPullRequestFactsFromTheSample(t *testing.T) {
	path := fixtures.Path(t, "gharchive/gofaster-sample.small.2014-2021.jsonl")
	type user struct {
		ID    uint64 `json:"id"`
		Login string `json:"login"`
		Type  string `json:"type"`
	}
	type want struct {
		at    time.Time
		facts contrib.PullRequest
	}
	wants := map[string][]want{}   // contribution key -> events' facts
	reviews := map[string]string{} // review key -> state
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 64<<20)
	for sc.Scan() {
		var ev struct {
			Type      string    `json:"type"`
			CreatedAt time.Time `json:"created_at"`
			Repo      struct {
				ID uint64 `json:"id"`
			} `json:"repo"`
			Payload struct {
				Action      string `json:"action"`
				PullRequest *struct {
					Number       int64     `json:"number"`
					CreatedAt    time.Time `json:"created_at"`
					Title        string    `json:"title"`
					Draft        bool      `json:"draft"`
					User         *user     `json:"user"`
					MergedBy     *user     `json:"merged_by"`
					Additions    int64     `json:"additions"`
					Deletions    int64     `json:"deletions"`
					ChangedFiles int64     `json:"changed_files"`
					Labels       []struct {
						Name string `json:"name"`
					} `json:"labels"`
				} `json:"pull_request"`
				Review *struct {
					ID    int64  `json:"id"`
					State string `json:"state"`
				} `json:"review"`
			} `json:"payload"`
		}
		// The Events API format (2015 on); the Timeline lines of 2014 name
		// their repository and users otherwise, and are checked below.
		if err := json.Unmarshal(sc.Bytes(), &ev); err != nil || ev.Repo.ID == 0 {
			continue
		}
		switch {
		case ev.Type == "PullRequestEvent" && ev.Payload.PullRequest != nil && ev.Payload.PullRequest.Title != "":
			pr := ev.Payload.PullRequest
			var labels []string
			for _, l := range pr.Labels {
				labels = append(labels, strings.ToLower(l.Name))
			}
			slices.Sort(labels)
			w := contrib.PullRequest{ObservedAt: ev.CreatedAt, OpenedAt: pr.CreatedAt, AuthorID: pr.User.ID, AuthorType: pr.User.Type, Title: pr.Title, Draft: pr.Draft,
				Labels: slices.Compact(labels), Additions: pr.Additions, Deletions: pr.Deletions, ChangedFiles: pr.ChangedFiles}
			if pr.MergedBy != nil {
				w.MergedByID = pr.MergedBy.ID
			}
			key := contrib.KeyForNumber(ev.Repo.ID, pr.Number)
			wants[key] = append(wants[key], want{ev.CreatedAt, w})
		case ev.Type == "PullRequestReviewEvent" && ev.Payload.Review != nil:
			reviews[contrib.KeyForID(ev.Payload.Review.ID)] = strings.ToLower(ev.Payload.Review.State)
		}
	}
	if len(wants) == 0 || len(reviews) == 0 {
		t.Fatalf("the sample has %d pull requests with facts and %d reviews: nothing to check", len(wants), len(reviews))
	}
	_, got := collect(t, []Input{FileInput(path)}, Options{Selector: NewSelector(true, nil, nil)})
	checked, labelled, merged, timeline := 0, 0, 0, 0
	for _, c := range got {
		switch c.Kind {
		case contrib.PROpened, contrib.PRMerged, contrib.PRClosed:
			if c.PR == nil || c.PR.Title == "" {
				t.Errorf("%s %s: no pull request facts", c.Kind, c.Key)
				continue
			}
			if _, ok := wants[c.Key]; !ok {
				timeline++ // a Timeline event's: its facts are there (above)
				continue
			}
			i := slices.IndexFunc(wants[c.Key], func(w want) bool { return w.at.Equal(c.PR.ObservedAt) })
			if i < 0 {
				t.Errorf("%s %s: facts observed at %s, which no event of the sample has", c.Kind, c.Key, c.PR.ObservedAt)
				continue
			}
			w := wants[c.Key][i].facts
			if len(w.Labels) == 0 {
				w.Labels = nil
			}
			g := *c.PR
			if len(g.Labels) == 0 {
				g.Labels = nil
			}
			if !g.ObservedAt.Equal(w.ObservedAt) || !g.OpenedAt.Equal(w.OpenedAt) || g.AuthorID != w.AuthorID || g.AuthorType != w.AuthorType || g.Title != w.Title ||
				g.Draft != w.Draft || !slices.Equal(g.Labels, w.Labels) || g.MergedByID != w.MergedByID ||
				g.Additions != w.Additions || g.Deletions != w.Deletions || g.ChangedFiles != w.ChangedFiles {
				t.Errorf("%s %s:\n got %+v\nwant %+v", c.Kind, c.Key, g, w)
			}
			checked++
			if len(g.Labels) > 0 {
				labelled++
			}
			if g.MergedByID != 0 {
				merged++
			}
		case contrib.PRReview:
			if want, ok := reviews[c.Key]; ok && c.ReviewState != want || !ok && c.ReviewState != "" {
				t.Errorf("review %s: state %q, want %q", c.Key, c.ReviewState, want)
			}
		}
	}
	if checked == 0 || labelled == 0 || merged == 0 || timeline == 0 {
		t.Errorf("checked %d pull request sightings, %d labelled, %d merged, %d of Timeline events: the sample has all four", checked, labelled, merged, timeline)
	}
}
