// Package sample generates a deterministic, realistic GH Archive sample:
// hourly files of GitHub events in the Events API format that GH Archive has
// stored since 2015, for demos and tests where gharchive.org is not reachable.
//
// The population is fixed: the AWS organisations (aws, awslabs, aws-samples,
// aws-powertools, cdklabs, aws-amplify, aws-cloudformation) with well-known
// repositories, a few unrelated organisations (kubernetes, golang, hashicorp, ...),
// 320 users with personal repositories and forks, and the bots dependabot[bot],
// github-actions[bot], renovate[bot], mergify[bot] plus the aws-cdk-automation
// account. User activity is Zipf-distributed, so leaderboards have a clear top.
//
// Issues and pull requests have a consistent life across hours: an item's
// author, reviews, comments and merge are derived from (seed, repository,
// number), so a pull request opened in one hour is merged in a later one, whichever
// hours are generated.
package sample

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/klauspost/compress/gzip"
)

// Options controls a generated sample.
type Options struct {
	Seed          int64 // same seed + same options => byte-identical output
	EventsPerHour int   // average events per hour (default 400 when 0, at most 50000)
}

// WriteHour writes one GH Archive hour (hour must be truncated to the hour, UTC,
// and not before 2015-01-01) as newline-delimited JSON (not compressed) to w.
func WriteHour(w io.Writer, hour time.Time, opts Options) error {
	events, err := generateHour(hour, opts)
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false) // GH Archive keeps <, > and & as they are
	for _, e := range events {
		if err := enc.Encode(e); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// FileName returns the GH Archive file name of hour, e.g. "2024-01-01-0.json.gz"
// or "2024-01-01-15.json.gz" (hour of day without a leading zero).
func FileName(hour time.Time) string {
	hour = hour.UTC()
	return fmt.Sprintf("%s-%d.json.gz", hour.Format(time.DateOnly), hour.Hour())
}

// WriteHours writes hour files from..to inclusive into dir, gzip-compressed,
// named exactly as GH Archive names them: "2024-01-01-0.json.gz",
// "2024-01-01-15.json.gz" (hour without a leading zero). It creates dir if
// needed and returns the paths written (on error, those written before it).
func WriteHours(dir string, from, to time.Time, opts Options) ([]string, error) {
	if to.Before(from) {
		return nil, fmt.Errorf("sample: to %s is before from %s", to.Format(time.RFC3339), from.Format(time.RFC3339))
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	var paths []string
	for h := from.UTC(); !h.After(to); h = h.Add(time.Hour) {
		path := filepath.Join(dir, FileName(h))
		if err := writeGzipFile(path, h, opts); err != nil {
			return paths, err
		}
		paths = append(paths, path)
	}
	return paths, nil
}

func writeGzipFile(path string, hour time.Time, opts Options) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			err = errors.Join(err, os.Remove(path))
		}
	}()
	// Fixed settings and an empty header (no name, zero ModTime): same input, same bytes.
	zw, err := gzip.NewWriterLevel(f, gzip.DefaultCompression)
	if err != nil {
		return err
	}
	if err := WriteHour(zw, hour, opts); err != nil {
		return err
	}
	return zw.Close()
}
