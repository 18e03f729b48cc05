// Command github-testserver runs contribtrack's GitHub test server
// (package internal/githubtest) for demos and manual testing:
//
//	github-testserver [--addr 127.0.0.1:0] [--seed N] [--size small|bench]
//	                  [--end TIME] [--token T]... [--schema PATH]
//
// It prints one line, url=<base url>, and serves until SIGINT or SIGTERM.
// Point contribtrack at it with --github-url <base url> (REST under
// /api/v3/, GraphQL at /api/graphql). Without --token it accepts
// githubtest.DemoToken. GraphQL queries are validated against GitHub's
// schema, by default ../shared/fixtures/github-graphql/schema.graphql
// when that file exists. --end moves the end of the generated activity
// (default 2026-11-01) to a date or an RFC 3339 time: scripts/demo.sh
// passes the current hour, so the demo's data ends today and the
// last-30-days gauges of /metrics have something to count.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"net"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/vektah/gqlparser/v2/ast"

	"contribtrack/internal/githubtest"
	"contribtrack/internal/githubtest/ghdata"
	"contribtrack/internal/githubtest/gqlexec"
)

// defaultSchema is GitHub's GraphQL schema beside the repository.
const defaultSchema = "../shared/fixtures/github-graphql/schema.graphql"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// tokens collects repeated --token flags.
type tokens []string

func (t *tokens) String() string     { return fmt.Sprintf("%d token(s)", len(*t)) }
func (t *tokens) Set(v string) error { *t = append(*t, v); return nil }

// run starts the server and serves until ctx is done. It returns the
// exit code: 0 after a clean stop, 1 when the server cannot start, 2 for
// bad flags.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fl := flag.NewFlagSet("github-testserver", flag.ContinueOnError)
	fl.SetOutput(stderr)
	addr := fl.String("addr", "127.0.0.1:0", "address to listen on")
	seed := fl.Uint64("seed", 1, "seed of the generated dataset")
	size := fl.String("size", "small", "dataset size: small or bench")
	schema := fl.String("schema", "", "GitHub's GraphQL schema (SDL); default "+defaultSchema+" when present")
	end := fl.String("end", "", "end of the generated activity: YYYY-MM-DD (midnight UTC) or an RFC 3339 time; default 2026-11-01")
	var toks tokens
	fl.Var(&toks, "token", "accepted token (repeatable; default githubtest.DemoToken)")
	if err := fl.Parse(args); err != nil {
		return 2
	}
	spec, err := datasetSpec(*size, *seed, *end)
	if err != nil {
		fmt.Fprintf(stderr, "github-testserver: %v\n", err)
		return 2
	}
	opts := githubtest.Options{Dataset: ghdata.Generate(spec), Tokens: toks}
	sc, err := loadSchema(*schema, stderr)
	if err != nil {
		fmt.Fprintf(stderr, "github-testserver: %v\n", err)
		return 1
	}
	opts.Schema = sc

	l, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintf(stderr, "github-testserver: %v\n", err)
		return 1
	}
	s, err := githubtest.Listen(l, opts)
	if err != nil {
		l.Close()
		fmt.Fprintf(stderr, "github-testserver: %v\n", err)
		return 1
	}
	fmt.Fprintf(stdout, "url=%s\n", s.URL)
	<-ctx.Done()
	s.Close()
	return 0
}

// datasetSpec is the generated dataset's spec for --size, --seed and
// --end (empty: the generator's default end).
func datasetSpec(size string, seed uint64, end string) (ghdata.Spec, error) {
	var spec ghdata.Spec
	switch size {
	case "small":
		spec = ghdata.SmallSpec(seed)
	case "bench":
		spec = ghdata.BenchSpec(seed)
	default:
		return spec, fmt.Errorf("--size %q: want small or bench", size)
	}
	if end == "" {
		return spec, nil
	}
	t, err := time.Parse(time.RFC3339, end)
	if err != nil {
		if t, err = time.Parse(time.DateOnly, end); err != nil {
			return spec, fmt.Errorf("--end %q: want YYYY-MM-DD or an RFC 3339 time such as 2026-12-07T06:00:00Z", end)
		}
	}
	if !t.After(defaultStart) {
		return spec, fmt.Errorf("--end %s: the generated activity starts %s", end, defaultStart.Format(time.DateOnly))
	}
	spec.End = t.UTC()
	return spec, nil
}

// defaultStart is where the generated activity starts (ghdata's default).
var defaultStart = time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC)

// loadSchema loads the GraphQL schema: an explicit path must load; the
// default one is used when present, with a warning when it is absent or
// does not load.
func loadSchema(path string, stderr io.Writer) (*ast.Schema, error) {
	explicit := path != ""
	if !explicit {
		path = defaultSchema
	}
	sdl, err := os.ReadFile(path)
	if err == nil {
		var sc *ast.Schema
		if sc, err = gqlexec.LoadSchema(string(sdl)); err == nil {
			return sc, nil
		}
	}
	if explicit {
		return nil, fmt.Errorf("--schema %s: %w", path, err)
	}
	reason := err.Error()
	if errors.Is(err, fs.ErrNotExist) {
		reason = "not found"
	}
	fmt.Fprintf(stderr, "github-testserver: warning: GitHub's GraphQL schema %s: %s; serving GraphQL without validation\n",
		path, strings.TrimPrefix(reason, "open "+path+": "))
	return nil, nil
}
