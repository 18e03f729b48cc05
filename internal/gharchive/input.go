package gharchive

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
)

// DefaultBaseURL is where GH Archive publishes its hour files.
const DefaultBaseURL = "https://data.gharchive.org/"

// hourPattern matches GH Archive's hour names: 2024-01-01-0 .. 2024-01-01-23.
var hourPattern = regexp.MustCompile(`^(\d{4}-\d{2}-\d{2})-(\d{1,2})$`)

// ParseHour parses an hour as GH Archive names it ("2024-01-01-5").
func ParseHour(s string) (time.Time, error) {
	m := hourPattern.FindStringSubmatch(s)
	if m == nil {
		return time.Time{}, fmt.Errorf("hour %q: want YYYY-MM-DD-H, for example 2024-01-01-5", s)
	}
	day, err := time.Parse("2006-01-02", m[1])
	if err != nil {
		return time.Time{}, fmt.Errorf("hour %q: %w", s, err)
	}
	h, _ := strconv.Atoi(m[2])
	if h > 23 {
		return time.Time{}, fmt.Errorf("hour %q: hour of day must be 0-23", s)
	}
	return day.Add(time.Duration(h) * time.Hour), nil
}

// HourName is GH Archive's name for the hour file holding t: "2024-01-01-5.json.gz".
func HourName(t time.Time) string {
	t = t.UTC()
	return fmt.Sprintf("%s-%d.json.gz", t.Format("2006-01-02"), t.Hour())
}

// ErrHourMissing is an hour file the server does not have (GH Archive has
// gaps).
var ErrHourMissing = errors.New("hour missing")

// maxHours bounds one hour range (about ten years), to catch typos.
const maxHours = 24 * 366 * 10

// Resolver turns command-line arguments into inputs.
type Resolver struct {
	BaseURL string       // for hour ranges; DefaultBaseURL when empty
	Client  *http.Client // for URLs and hour ranges; NewHTTPClient() when nil
}

// NewHTTPClient returns the client used to fetch hour files: it gives up on
// a server that does not answer within a minute, but puts no limit on how
// long a large file takes to stream (the caller's context does).
func NewHTTPClient() *http.Client {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.ResponseHeaderTimeout = time.Minute
	return &http.Client{Transport: t}
}

// Resolve turns each argument into inputs: a file, a directory (its
// *.json.gz and *.json files in name order), an http(s) URL, one hour
// ("2024-01-01-5") or an hour range ("2024-01-01-0..2024-01-01-23",
// inclusive), fetched from BaseURL.
func (r Resolver) Resolve(args []string) ([]Input, error) {
	var out []Input
	for _, a := range args {
		switch {
		case strings.HasPrefix(a, "http://") || strings.HasPrefix(a, "https://"):
			out = append(out, r.urlInput(a))
		case isHourRange(a):
			from, to, ok := strings.Cut(a, "..")
			f, err := ParseHour(from)
			if !ok || err != nil {
				return nil, fmt.Errorf("hour range %q: want FROM..TO such as 2024-01-01-0..2024-01-01-23: %v", a, err)
			}
			t, err := ParseHour(to)
			if err != nil {
				return nil, fmt.Errorf("hour range %q: %w", a, err)
			}
			if t.Before(f) {
				return nil, fmt.Errorf("hour range %q: ends before it starts", a)
			}
			if t.Sub(f)/time.Hour >= maxHours {
				return nil, fmt.Errorf("hour range %q: more than %d hours", a, maxHours)
			}
			for h := f; !h.After(t); h = h.Add(time.Hour) {
				out = append(out, r.urlInput(r.base()+HourName(h)))
			}
		default:
			if _, err := os.Stat(a); err != nil && hourPattern.MatchString(a) {
				h, err := ParseHour(a)
				if err != nil {
					return nil, err
				}
				out = append(out, r.urlInput(r.base()+HourName(h)))
				continue
			}
			ins, err := pathInputs(a)
			if err != nil {
				return nil, err
			}
			out = append(out, ins...)
		}
	}
	return out, nil
}

// isHourRange tells an hour range ("2024-01-01-0..2024-01-01-23") from a
// path that merely contains "..": a range is not an existing file and its
// first half is an hour.
func isHourRange(a string) bool {
	from, _, ok := strings.Cut(a, "..")
	if !ok {
		return false
	}
	if _, err := os.Stat(a); err == nil {
		return false
	}
	return hourPattern.MatchString(from)
}

func (r Resolver) base() string {
	b := r.BaseURL
	if b == "" {
		b = DefaultBaseURL
	}
	if !strings.HasSuffix(b, "/") {
		b += "/"
	}
	return b
}

func pathInputs(p string) ([]Input, error) {
	st, err := os.Stat(p)
	if err != nil {
		return nil, fmt.Errorf("input %s: %w", p, err)
	}
	if !st.IsDir() {
		return []Input{FileInput(p)}, nil
	}
	entries, err := os.ReadDir(p)
	if err != nil {
		return nil, fmt.Errorf("input %s: %w", p, err)
	}
	var names []string
	for _, e := range entries {
		if n := e.Name(); !e.IsDir() && (strings.HasSuffix(n, ".json.gz") || strings.HasSuffix(n, ".json")) {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	if len(names) == 0 {
		return nil, fmt.Errorf("input %s: directory holds no .json.gz or .json files", p)
	}
	var out []Input
	for _, n := range names {
		out = append(out, FileInput(filepath.Join(p, n)))
	}
	return out, nil
}

// FileInput reads a local file.
func FileInput(path string) Input {
	return Input{Name: path, Open: func(context.Context) (io.ReadCloser, int64, error) {
		f, err := os.Open(path)
		if err != nil {
			return nil, 0, err
		}
		size := int64(-1)
		if st, err := f.Stat(); err == nil {
			size = st.Size()
		}
		return f, size, nil
	}}
}

func (r Resolver) urlInput(url string) Input {
	client := r.Client
	if client == nil {
		client = NewHTTPClient()
	}
	return Input{Name: url, Open: func(ctx context.Context) (io.ReadCloser, int64, error) {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		if err != nil {
			return nil, 0, err
		}
		resp, err := client.Do(req)
		if err != nil {
			return nil, 0, err
		}
		if resp.StatusCode != http.StatusOK {
			resp.Body.Close()
			if resp.StatusCode == http.StatusNotFound {
				return nil, 0, fmt.Errorf("not found (HTTP 404; GH Archive has missing hours): %w", ErrHourMissing)
			}
			return nil, 0, fmt.Errorf("HTTP %s", resp.Status)
		}
		return resp.Body, resp.ContentLength, nil
	}}
}
