// Package githubtest is contribtrack's GitHub test server: an HTTP server
// that behaves like api.github.com and GitHub Enterprise Server for the
// parts of the REST and GraphQL APIs contribtrack uses, serving a
// deterministic ghdata dataset. It meters every token's budgets and sends
// the rate-limit headers GitHub sends, answers conditional requests with
// 304, paginates with Link headers, issues GitHub App installation tokens,
// injects faults (5xx, secondary limits, resets, truncated bodies) on
// demand, and counts what clients do wrong (requests sent while a budget
// was exhausted or during a Retry-After period).
//
// Point go-github at Server.URL with
//
//	github.NewClient(hc).WithAuthToken(tok).WithEnterpriseURLs(s.URL, s.URL)
//
// (REST is served under /api/v3/ as on GitHub Enterprise Server, and also at
// the root as on api.github.com) and githubv4 with
//
//	githubv4.NewEnterpriseClient(s.URL+"/api/graphql", hc)
//
// (GraphQL is also served at /graphql).
//
// It is test support: production code never imports it.
package githubtest

import (
	"context"
	"crypto/rsa"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/vektah/gqlparser/v2/ast"

	"contribtrack/internal/githubtest/ghdata"
	"contribtrack/internal/githubtest/gqlexec"
)

// DemoToken is the token accepted when Options.Tokens is empty.
const DemoToken = "ghp_contribtrackTestServerDemoToken0001"

// Options configures a Server. The zero value serves ghdata.SmallSpec(1)
// to DemoToken with GitHub's default budgets.
type Options struct {
	// Dataset is what the server serves; nil means
	// ghdata.Generate(ghdata.SmallSpec(1)).
	Dataset *ghdata.Dataset
	// Tokens are the accepted personal access tokens, each with its own
	// budgets. A token's index in this list identifies it in Stats; empty
	// means []string{DemoToken}.
	Tokens []string
	// Apps are the GitHub Apps that may create installation tokens.
	Apps []App
	// InstallationTokenTTL is how long an installation token works;
	// default one hour, as on GitHub.
	InstallationTokenTTL time.Duration

	// CoreLimit and GraphQLLimit are the points per window of the REST
	// (core) and GraphQL budgets; default 5000 each.
	CoreLimit, GraphQLLimit int
	// Window is how long a budget lasts from a token's first request in
	// that resource until it resets; default one hour.
	Window time.Duration

	// BeforeServe, when set, is called with each request before it is
	// served (without locks held): tests use it to change the dataset in
	// the middle of a client's walk.
	BeforeServe func(*http.Request)

	// Schema is GitHub's GraphQL schema used to validate queries; nil
	// means no validation.
	Schema *ast.Schema
	// SchemaPath, when Schema is nil, is an SDL file to load the schema
	// from (gqlexec.LoadSchema).
	SchemaPath string
}

// App is a GitHub App allowed to mint installation tokens: requests to
// POST /app/installations/{InstallationID}/access_tokens must carry a JWT
// signed (RS256) with the private key matching PublicKey and whose iss is
// ID.
type App struct {
	ID             int64
	PublicKey      *rsa.PublicKey
	InstallationID int64
}

// Server is a running GitHub test server.
type Server struct {
	// URL is the base URL, such as http://127.0.0.1:41234, without the
	// /api/v3 suffix.
	URL string

	opts Options
	ds   *ghdata.Dataset
	exec *gqlexec.Executor

	hts *httptest.Server // NewServer
	hs  *http.Server     // Listen

	mu        sync.Mutex
	tokens    map[string]*tokenState
	nextIndex int
	issued    int // installation tokens issued
	stats     Stats
	faults    faultState
}

// NewServer starts a test server on a loopback port. It panics when the
// options are unusable (a SchemaPath that does not load), like httptest.
// Close it when done.
func NewServer(opts Options) *Server {
	s, err := newServer(opts)
	if err != nil {
		panic("githubtest: " + err.Error())
	}
	s.hts = httptest.NewServer(s)
	s.URL = s.hts.URL
	return s
}

// Listen starts a test server that serves on l (which it closes on
// Close). The URL is http://<l's address>.
func Listen(l net.Listener, opts Options) (*Server, error) {
	s, err := newServer(opts)
	if err != nil {
		return nil, err
	}
	s.hs = &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second}
	s.URL = "http://" + l.Addr().String()
	go func() { _ = s.hs.Serve(l) }()
	return s, nil
}

func newServer(opts Options) (*Server, error) {
	if opts.Dataset == nil {
		opts.Dataset = ghdata.Generate(ghdata.SmallSpec(1))
	}
	if len(opts.Tokens) == 0 {
		opts.Tokens = []string{DemoToken}
	}
	if opts.InstallationTokenTTL <= 0 {
		opts.InstallationTokenTTL = time.Hour
	}
	if opts.CoreLimit <= 0 {
		opts.CoreLimit = 5000
	}
	if opts.GraphQLLimit <= 0 {
		opts.GraphQLLimit = 5000
	}
	if opts.Window <= 0 {
		opts.Window = time.Hour
	}
	if opts.Schema == nil && opts.SchemaPath != "" {
		sdl, err := os.ReadFile(opts.SchemaPath)
		if err != nil {
			return nil, fmt.Errorf("reading GraphQL schema: %w", err)
		}
		sc, err := gqlexec.LoadSchema(string(sdl))
		if err != nil {
			return nil, fmt.Errorf("loading GraphQL schema %s: %w", opts.SchemaPath, err)
		}
		opts.Schema = sc
	}
	s := &Server{opts: opts, ds: opts.Dataset, tokens: map[string]*tokenState{}}
	s.exec = gqlexec.New(opts.Dataset, opts.Schema)
	for _, t := range opts.Tokens {
		if _, dup := s.tokens[t]; dup {
			return nil, errors.New("a token is listed twice in Options.Tokens")
		}
		s.tokens[t] = s.newTokenLocked(time.Time{})
	}
	s.stats = newStats()
	return s, nil
}

// Close stops the server and closes its connections.
func (s *Server) Close() {
	if s.hts != nil {
		s.hts.Close()
	}
	if s.hs != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		if err := s.hs.Shutdown(ctx); err != nil {
			_ = s.hs.Close()
		}
	}
}

// Dataset returns the dataset the server serves. Hold its lock while
// reading it; AddActivity on it changes what the server serves.
func (s *Server) Dataset() *ghdata.Dataset { return s.ds }

// ServeHTTP routes a request: GraphQL, the installation-token endpoint or
// REST (with or without the /api/v3 prefix).
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if s.opts.BeforeServe != nil {
		s.opts.BeforeServe(r)
	}
	path := r.URL.Path
	if path == "/api/graphql" || path == "/graphql" {
		rec := s.arrive(w, kindGraphQL)
		defer rec.finish()
		s.serveGraphQL(rec, r)
		return
	}
	rec := s.arrive(w, kindREST)
	defer rec.finish()
	prefix := ""
	if path == "/api/v3" || strings.HasPrefix(path, "/api/v3/") {
		prefix, path = "/api/v3", strings.TrimPrefix(path, "/api/v3")
	}
	if path == "" {
		path = "/"
	}
	if id, ok := installationPath(path); ok {
		s.serveInstallationToken(rec, r, id)
		return
	}
	s.serveREST(rec, r, prefix, path)
}

// bearer returns the token of an "Authorization: Bearer T" or "token T"
// header.
func bearer(r *http.Request) string {
	h := strings.TrimSpace(r.Header.Get("Authorization"))
	scheme, tok, ok := strings.Cut(h, " ")
	if !ok {
		return ""
	}
	switch strings.ToLower(scheme) {
	case "bearer", "token":
		return strings.TrimSpace(tok)
	}
	return ""
}

// authenticate returns the state of the request's token, or nil when the
// token is missing, unknown or expired.
func (s *Server) authenticate(r *http.Request, now time.Time) *tokenState {
	tok := bearer(r)
	if tok == "" {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	ts := s.tokens[tok]
	if ts == nil || (!ts.expires.IsZero() && !now.Before(ts.expires)) {
		return nil
	}
	return ts
}

// recorder counts the status of a response in Stats when its header is
// written, before any of it reaches the client, so that a client that has
// its answer sees it counted.
type recorder struct {
	http.ResponseWriter
	s      *Server
	status int // -1 once the connection was closed without an answer
}

func (r *recorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
		r.s.recordStatus(code)
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *recorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.WriteHeader(http.StatusOK)
	}
	return r.ResponseWriter.Write(b)
}

// reset records a connection closed without a response.
func (r *recorder) reset() {
	r.status = -1
	r.s.recordStatus(0)
}

// finish records a handler that wrote nothing (an empty 200).
func (r *recorder) finish() {
	if r.status == 0 {
		r.WriteHeader(http.StatusOK)
	}
}

// Unwrap lets http.ResponseController reach the connection.
func (r *recorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }
