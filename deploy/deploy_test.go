// Package deploy_test checks that the Docker stack in this folder agrees
// with the rest of the repository: every file it mounts or builds from
// exists, Prometheus scrapes the port contribtrack listens on, Grafana's
// provisioned data sources point at the compose services with the
// database contribtrack writes to, the dashboard provider loads the folder
// compose mounts, and contribtrack is given only environment variables it
// reads and a configuration it accepts. Nothing here needs Docker.
package deploy_test

import (
	"bufio"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/goccy/go-yaml"

	"contribtrack/internal/chversion"
	"contribtrack/internal/config"
	"contribtrack/internal/localch"
)

const (
	composeFile = "docker-compose.yml"
	repoRoot    = ".."

	clickhouseImage = "clickhouse/clickhouse-server"
	prometheusImage = "prom/prometheus"
	grafanaImage    = "grafana/grafana"

	clickhousePlugin = "grafana-clickhouse-datasource"
	clickhouseUID    = "contribtrack-clickhouse"
	prometheusUID    = "contribtrack-prometheus"
)

// compose is the part of the compose file the tests read.
type compose struct {
	Services map[string]service `yaml:"services"`
	Volumes  map[string]any     `yaml:"volumes"`
}

type service struct {
	Image       string `yaml:"image"`
	Build       any    `yaml:"build"`       // a context path, or {context, dockerfile}
	Command     any    `yaml:"command"`     // a string or a list
	Environment any    `yaml:"environment"` // a map or a list of NAME[=value]
	Volumes     []any  `yaml:"volumes"`     // short "src:dst[:mode]" or long {type, source, target}
	Ports       []any  `yaml:"ports"`
}

// mount is one entry of a service's volumes.
type mount struct {
	Source string // host path (relative to deploy/) or volume name
	Target string // path in the container
	Bind   bool   // Source is a host path
}

func loadCompose(t *testing.T) compose {
	t.Helper()
	var c compose
	readYAML(t, composeFile, &c)
	if len(c.Services) == 0 {
		t.Fatalf("%s: no services", composeFile)
	}
	return c
}

func readYAML(t *testing.T, path string, v any) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("reading %s: %v", path, err)
	}
	if err := yaml.Unmarshal(data, v); err != nil {
		t.Fatalf("parsing %s: %s", path, yaml.FormatError(err, false, true))
	}
}

// mounts returns a service's volumes in one shape.
func (s service) mounts(t *testing.T, name string) []mount {
	t.Helper()
	var out []mount
	for i, v := range s.Volumes {
		switch v := v.(type) {
		case string:
			parts := strings.Split(v, ":")
			if len(parts) < 2 {
				t.Fatalf("services.%s.volumes[%d] %q: want source:target", name, i, v)
			}
			out = append(out, mount{Source: parts[0], Target: parts[1], Bind: isHostPath(parts[0])})
		case map[string]any:
			src, _ := v["source"].(string)
			dst, _ := v["target"].(string)
			typ, _ := v["type"].(string)
			out = append(out, mount{Source: src, Target: dst, Bind: typ == "bind"})
		default:
			t.Fatalf("services.%s.volumes[%d]: unexpected %T", name, i, v)
		}
	}
	return out
}

func isHostPath(s string) bool {
	return strings.HasPrefix(s, ".") || strings.HasPrefix(s, "/") || strings.HasPrefix(s, "~")
}

// env returns a service's environment; a name without a value (passed
// through from the shell running compose) maps to "".
func (s service) env(t *testing.T, name string) map[string]string {
	t.Helper()
	out := map[string]string{}
	switch e := s.Environment.(type) {
	case nil:
	case map[string]any:
		for k, v := range e {
			if v == nil {
				out[k] = ""
			} else {
				out[k] = scalar(v)
			}
		}
	case []any:
		for _, kv := range e {
			k, v, _ := strings.Cut(scalar(kv), "=")
			out[k] = v
		}
	default:
		t.Fatalf("services.%s.environment: unexpected %T", name, e)
	}
	return out
}

func scalar(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case uint64:
		return strconv.FormatUint(v, 10)
	case int64:
		return strconv.FormatInt(v, 10)
	case bool:
		return strconv.FormatBool(v)
	default:
		return ""
	}
}

// args returns a service's command as a list.
func (s service) args() []string {
	switch c := s.Command.(type) {
	case string:
		return strings.Fields(c)
	case []any:
		var out []string
		for _, a := range c {
			out = append(out, scalar(a))
		}
		return out
	}
	return nil
}

// flag returns the value of --name (or --name=value) in args.
func flag(args []string, name string) (string, bool) {
	for i, a := range args {
		if a == "--"+name && i+1 < len(args) {
			return args[i+1], true
		}
		if v, ok := strings.CutPrefix(a, "--"+name+"="); ok {
			return v, true
		}
	}
	return "", false
}

// build returns a service's build context and Dockerfile, relative to
// deploy/; ok is false when the service is not built.
func (s service) build() (context, dockerfile string, ok bool) {
	switch b := s.Build.(type) {
	case string:
		return b, filepath.Join(b, "Dockerfile"), true
	case map[string]any:
		ctx, _ := b["context"].(string)
		if ctx == "" {
			ctx = "."
		}
		df, _ := b["dockerfile"].(string)
		if df == "" {
			df = "Dockerfile"
		}
		return ctx, filepath.Join(ctx, df), true
	}
	return "", "", false
}

// containerPorts returns the container side of a service's published ports.
func (s service) containerPorts() []string {
	var out []string
	for _, p := range s.Ports {
		switch p := p.(type) {
		case string:
			parts := strings.Split(p, ":")
			out = append(out, strings.TrimSuffix(parts[len(parts)-1], "/tcp"))
		case map[string]any:
			out = append(out, scalar(p["target"]))
		}
	}
	return out
}

// serviceByImage finds the one service running image (any tag).
func serviceByImage(t *testing.T, c compose, image string) (string, service) {
	t.Helper()
	var names []string
	for name, s := range c.Services {
		if s.Image == image || strings.HasPrefix(s.Image, image+":") {
			names = append(names, name)
		}
	}
	if len(names) != 1 {
		t.Fatalf("%s: want exactly one service running %s, found %v", composeFile, image, names)
	}
	return names[0], c.Services[names[0]]
}

// contribtrackService finds the service built from the repository's root.
func contribtrackService(t *testing.T, c compose) (string, service) {
	t.Helper()
	root, err := filepath.Abs(repoRoot)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for name, s := range c.Services {
		if ctx, _, ok := s.build(); ok {
			if abs, err := filepath.Abs(ctx); err == nil && abs == root {
				names = append(names, name)
			}
		}
	}
	if len(names) != 1 {
		t.Fatalf("%s: want exactly one service built from the repository root (the contribtrack service), found %v", composeFile, names)
	}
	return names[0], c.Services[names[0]]
}

// hostPathOf maps a path in a service's container back to the repository
// file a bind mount puts there.
func hostPathOf(t *testing.T, mounts []mount, containerPath string) (string, bool) {
	t.Helper()
	for _, m := range mounts {
		if !m.Bind {
			continue
		}
		if containerPath == m.Target {
			return m.Source, true
		}
		if rest, ok := strings.CutPrefix(containerPath, strings.TrimSuffix(m.Target, "/")+"/"); ok {
			return filepath.Join(m.Source, rest), true
		}
	}
	return "", false
}

func TestComposeReferencesExist(t *testing.T) {
	c := loadCompose(t)
	names := make([]string, 0, len(c.Services))
	for name := range c.Services {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		s := c.Services[name]
		if s.Image == "" && s.Build == nil {
			t.Errorf("services.%s: neither image nor build", name)
		}
		if s.Image != "" {
			if i := strings.LastIndex(s.Image, ":"); i < 0 || s.Image[i+1:] == "latest" {
				t.Errorf("services.%s.image %q: pin a version tag", name, s.Image)
			}
		}
		if ctx, df, ok := s.build(); ok {
			if fi, err := os.Stat(ctx); err != nil || !fi.IsDir() {
				t.Errorf("services.%s.build.context %q: no such directory relative to deploy/", name, ctx)
			}
			if _, err := os.Stat(df); err != nil {
				t.Errorf("services.%s.build: Dockerfile %s does not exist", name, df)
			}
		}
		for _, m := range s.mounts(t, name) {
			if m.Bind {
				if _, err := os.Stat(m.Source); err != nil {
					t.Errorf("services.%s.volumes: %s (mounted at %s) does not exist relative to deploy/", name, m.Source, m.Target)
				}
			} else if _, ok := c.Volumes[m.Source]; !ok {
				t.Errorf("services.%s.volumes: named volume %q is not declared under the top-level volumes", name, m.Source)
			}
		}
	}
}

func TestDockerfileBuildsContribtrack(t *testing.T) {
	c := loadCompose(t)
	name, s := contribtrackService(t, c)
	_, df, _ := s.build()
	data, err := os.ReadFile(df)
	if err != nil {
		t.Fatalf("services.%s: %v", name, err)
	}
	text := string(data)
	build := regexp.MustCompile(`go build\b[^\n]*\s(\./cmd/[A-Za-z0-9_/-]+)`).FindStringSubmatch(text)
	if build == nil {
		t.Fatalf("%s: no `go build ... ./cmd/...` line", df)
	}
	if build[1] != "./cmd/contribtrack" {
		t.Errorf("%s builds %s, want ./cmd/contribtrack", df, build[1])
	}
	main := filepath.Join(repoRoot, build[1], "main.go")
	if src, err := os.ReadFile(main); err != nil || !strings.Contains(string(src), "package main") {
		t.Errorf("%s builds %s, but %s is not a main package (%v)", df, build[1], main, err)
	}
	if !strings.Contains(text, "CGO_ENABLED=0") {
		t.Errorf("%s: build with CGO_ENABLED=0 (a static binary for the small runtime image)", df)
	}
	if n := len(regexp.MustCompile(`(?m)^FROM\s`).FindAllString(text, -1)); n < 2 {
		t.Errorf("%s: %d FROM lines, want a multi-stage build", df, n)
	}
	users := regexp.MustCompile(`(?m)^USER\s+(\S+)`).FindAllStringSubmatch(text, -1)
	if len(users) == 0 {
		t.Errorf("%s: no USER: the image must not run as root", df)
	} else if u := users[len(users)-1][1]; u == "root" || u == "0" || strings.HasPrefix(u, "0:") || strings.HasPrefix(u, "root:") {
		t.Errorf("%s: runs as USER %s, want a non-root user", df, u)
	}
	if !regexp.MustCompile(`(?m)^ENTRYPOINT\s+\[?"?\S*contribtrack"?`).MatchString(text) {
		t.Errorf("%s: ENTRYPOINT should be the contribtrack binary", df)
	}
}

// listenAddr is where the contribtrack service's serve answers: --listen,
// else CONTRIBTRACK_LISTEN, else the configuration file's serve.listen.
func listenAddr(t *testing.T, c compose) string {
	t.Helper()
	name, s := contribtrackService(t, c)
	args := s.args()
	if !slices.Contains(args, "serve") {
		t.Fatalf("services.%s.command %v: want contribtrack serve", name, args)
	}
	if v, ok := flag(args, "listen"); ok {
		return v
	}
	return loadServiceConfig(t, c).Serve.Listen
}

func TestPrometheusScrapesContribtrack(t *testing.T) {
	c := loadCompose(t)
	ctName, ct := contribtrackService(t, c)
	listen := listenAddr(t, c)
	host, port, err := net.SplitHostPort(listen)
	if err != nil {
		t.Fatalf("contribtrack listens on %q: %v", listen, err)
	}
	if host != "" && host != "0.0.0.0" && host != "::" {
		t.Errorf("services.%s listens on %s: other containers cannot reach it; listen on 0.0.0.0", ctName, listen)
	}
	if !slices.Contains(ct.containerPorts(), port) {
		t.Errorf("services.%s.ports %v do not publish the port it listens on (%s)", ctName, ct.containerPorts(), port)
	}

	promName, prom := serviceByImage(t, c, prometheusImage)
	promFile, ok := hostPathOf(t, prom.mounts(t, promName), "/etc/prometheus/prometheus.yml")
	if !ok {
		t.Fatalf("services.%s: nothing mounted at /etc/prometheus/prometheus.yml", promName)
	}
	var cfg struct {
		ScrapeConfigs []struct {
			JobName       string `yaml:"job_name"`
			MetricsPath   string `yaml:"metrics_path"`
			Scheme        string `yaml:"scheme"`
			StaticConfigs []struct {
				Targets []string `yaml:"targets"`
			} `yaml:"static_configs"`
		} `yaml:"scrape_configs"`
	}
	readYAML(t, promFile, &cfg)
	want := net.JoinHostPort(ctName, port)
	found := false
	for _, sc := range cfg.ScrapeConfigs {
		for _, st := range sc.StaticConfigs {
			for _, target := range st.Targets {
				if target != want {
					continue
				}
				found = true
				path := sc.MetricsPath
				if path == "" {
					path = "/metrics" // Prometheus's default
				}
				if path != "/metrics" {
					t.Errorf("%s: job %s scrapes %s%s, want /metrics", promFile, sc.JobName, target, path)
				}
				if sc.Scheme != "" && sc.Scheme != "http" {
					t.Errorf("%s: job %s uses scheme %s; contribtrack serves plain HTTP", promFile, sc.JobName, sc.Scheme)
				}
			}
		}
	}
	if !found {
		t.Errorf("%s: no scrape target %s (the compose service %s and the port it listens on)", promFile, want, ctName)
	}
}

// grafanaProvisioning returns the host path of the folder mounted at
// Grafana's provisioning path, and the Grafana service.
func grafanaProvisioning(t *testing.T, c compose) (string, string, service) {
	t.Helper()
	name, s := serviceByImage(t, c, grafanaImage)
	dir, ok := hostPathOf(t, s.mounts(t, name), "/etc/grafana/provisioning")
	if !ok {
		t.Fatalf("services.%s: nothing mounted at /etc/grafana/provisioning", name)
	}
	return dir, name, s
}

type datasource struct {
	Name     string         `yaml:"name"`
	Type     string         `yaml:"type"`
	UID      string         `yaml:"uid"`
	URL      string         `yaml:"url"`
	JSONData map[string]any `yaml:"jsonData"`
}

func TestGrafanaDatasources(t *testing.T) {
	c := loadCompose(t)
	dir, grafanaName, grafana := grafanaProvisioning(t, c)
	path := filepath.Join(dir, "datasources", "contribtrack.yaml")
	var file struct {
		APIVersion  int          `yaml:"apiVersion"`
		Datasources []datasource `yaml:"datasources"`
	}
	readYAML(t, path, &file)
	if file.APIVersion != 1 {
		t.Errorf("%s: apiVersion %d, want 1", path, file.APIVersion)
	}
	byUID := map[string]datasource{}
	var uids []string
	for _, ds := range file.Datasources {
		byUID[ds.UID] = ds
		uids = append(uids, ds.UID)
	}
	sort.Strings(uids)
	if want := []string{clickhouseUID, prometheusUID}; !slices.Equal(uids, want) {
		t.Fatalf("%s: data source uids %q, want exactly %q (the dashboards reference them)", path, uids, want)
	}

	// ClickHouse: the plugin, native protocol, the compose service, the
	// database contribtrack writes to.
	ch := byUID[clickhouseUID]
	if ch.Type != clickhousePlugin {
		t.Errorf("%s: %s has type %q, want %s", path, ch.UID, ch.Type, clickhousePlugin)
	}
	if p := scalar(ch.JSONData["protocol"]); p != "native" {
		t.Errorf("%s: %s jsonData.protocol %q, want native (HTTP does not work with ClickHouse 18.16)", path, ch.UID, p)
	}
	if p := scalar(ch.JSONData["port"]); p != "9000" {
		t.Errorf("%s: %s jsonData.port %q, want 9000 (native)", path, ch.UID, p)
	}
	chName, _ := serviceByImage(t, c, clickhouseImage)
	if h := scalar(ch.JSONData["host"]); h != chName {
		t.Errorf("%s: %s jsonData.host %q, want the compose ClickHouse service %q", path, ch.UID, h, chName)
	}
	ctName, ct := contribtrackService(t, c)
	dsn := ct.env(t, ctName)["CONTRIBTRACK_CLICKHOUSE"]
	if dsn == "" {
		t.Fatalf("services.%s.environment: CONTRIBTRACK_CLICKHOUSE is not set", ctName)
	}
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatalf("services.%s CONTRIBTRACK_CLICKHOUSE %q: %v", ctName, dsn, err)
	}
	if u.Scheme != "clickhouse" || u.Hostname() != chName || u.Port() != "9000" {
		t.Errorf("services.%s CONTRIBTRACK_CLICKHOUSE %q: want clickhouse://%s:9000/<database> (native protocol, the compose service)", ctName, dsn, chName)
	}
	database := strings.Trim(u.Path, "/")
	if db := scalar(ch.JSONData["defaultDatabase"]); db != database {
		t.Errorf("%s: %s jsonData.defaultDatabase %q, but contribtrack writes to %q (CONTRIBTRACK_CLICKHOUSE)", path, ch.UID, db, database)
	}
	user := u.User.Username()
	if user == "" {
		user = "default"
	}
	if got := scalar(ch.JSONData["username"]); got != user {
		t.Errorf("%s: %s jsonData.username %q, but contribtrack connects as %q", path, ch.UID, got, user)
	}
	if plugins := grafana.env(t, grafanaName)["GF_INSTALL_PLUGINS"]; !slices.Contains(strings.Split(plugins, ","), clickhousePlugin) {
		t.Errorf("services.%s: GF_INSTALL_PLUGINS %q does not install %s", grafanaName, plugins, clickhousePlugin)
	}

	// Prometheus: the compose service on its port.
	pr := byUID[prometheusUID]
	if pr.Type != "prometheus" {
		t.Errorf("%s: %s has type %q, want prometheus", path, pr.UID, pr.Type)
	}
	promName, prom := serviceByImage(t, c, prometheusImage)
	pu, err := url.Parse(pr.URL)
	if err != nil || pu.Scheme != "http" || pu.Hostname() != promName || pu.Port() != "9090" {
		t.Errorf("%s: %s url %q, want http://%s:9090 (the compose Prometheus service)", path, pr.UID, pr.URL, promName)
	}
	if !slices.Contains(prom.containerPorts(), "9090") {
		t.Errorf("services.%s.ports %v: publish 9090", promName, prom.containerPorts())
	}
}

func TestGrafanaDashboardProvider(t *testing.T) {
	c := loadCompose(t)
	dir, grafanaName, grafana := grafanaProvisioning(t, c)
	path := filepath.Join(dir, "dashboards", "contribtrack.yaml")
	var file struct {
		APIVersion int `yaml:"apiVersion"`
		Providers  []struct {
			Name    string `yaml:"name"`
			Type    string `yaml:"type"`
			Options struct {
				Path string `yaml:"path"`
			} `yaml:"options"`
		} `yaml:"providers"`
	}
	readYAML(t, path, &file)
	if file.APIVersion != 1 || len(file.Providers) != 1 {
		t.Fatalf("%s: want apiVersion 1 and one provider, got %d and %d", path, file.APIVersion, len(file.Providers))
	}
	p := file.Providers[0]
	if p.Type != "file" {
		t.Errorf("%s: provider %s has type %q, want file", path, p.Name, p.Type)
	}
	if p.Options.Path == "" {
		t.Fatalf("%s: provider %s has no options.path", path, p.Name)
	}
	want, err := filepath.Abs(filepath.Join(repoRoot, "dashboards"))
	if err != nil {
		t.Fatal(err)
	}
	host, ok := hostPathOf(t, grafana.mounts(t, grafanaName), p.Options.Path)
	if !ok {
		t.Fatalf("%s: provider %s loads %s, where services.%s mounts nothing", path, p.Name, p.Options.Path, grafanaName)
	}
	if abs, _ := filepath.Abs(host); abs != want {
		t.Errorf("%s: provider %s loads %s, where services.%s mounts %s, not the repository's dashboards/", path, p.Name, p.Options.Path, grafanaName, host)
	}
}

// readEnvNames returns the names internal/cli reads with getenv besides
// config.Env's overrides (the tokens, the configuration file).
func readEnvNames(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(repoRoot, "internal", "cli", "*.go"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no Go files in internal/cli (%v)", err)
	}
	re := regexp.MustCompile(`getenv\("([A-Z0-9_]+)"\)`)
	seen := map[string]bool{}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		fh, err := os.Open(f)
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(fh)
		for sc.Scan() {
			for _, m := range re.FindAllStringSubmatch(sc.Text(), -1) {
				seen[m[1]] = true
			}
		}
		fh.Close()
	}
	var out []string
	for n := range seen {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

func TestContribtrackEnvironmentNames(t *testing.T) {
	read := readEnvNames(t)
	// The names the brief of this stack relies on must still be read.
	for _, n := range []string{"CONTRIBTRACK_CONFIG", "CONTRIBTRACK_API_TOKEN", "GITHUB_TOKEN", "GITHUB_TOKENS"} {
		if !slices.Contains(read, n) {
			t.Errorf("internal/cli no longer reads %s (it reads %v): update the stack and this test", n, read)
		}
	}
	known := map[string]bool{}
	for _, n := range read {
		known[n] = true
	}
	for _, e := range config.Env {
		known[e.Name] = true
	}
	c := loadCompose(t)
	name, s := contribtrackService(t, c)
	env := s.env(t, name)
	if len(env) == 0 {
		t.Fatalf("services.%s sets no environment", name)
	}
	for n := range env {
		if !known[n] {
			t.Errorf("services.%s.environment sets %s, which contribtrack never reads (config.Env and internal/cli read: %v)", name, n, sortedKeys(known))
		}
	}
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// loadServiceConfig loads the configuration file the contribtrack service
// is given (--config, else CONTRIBTRACK_CONFIG), from the repository file
// mounted there, with the service's environment.
func loadServiceConfig(t *testing.T, c compose) *config.Config {
	t.Helper()
	name, s := contribtrackService(t, c)
	env := s.env(t, name)
	path, ok := flag(s.args(), "config")
	if !ok {
		path = env["CONTRIBTRACK_CONFIG"]
	}
	if path == "" {
		t.Fatalf("services.%s: no --config and no CONTRIBTRACK_CONFIG", name)
	}
	host, ok := hostPathOf(t, s.mounts(t, name), path)
	if !ok {
		t.Fatalf("services.%s reads its configuration from %s, where nothing is mounted", name, path)
	}
	cfg, err := config.Load(host, func(k string) string { return env[k] })
	if err != nil {
		t.Fatalf("services.%s: the configuration %s (mounted at %s) does not load: %v", name, host, path, err)
	}
	return cfg
}

func TestContribtrackConfigLoads(t *testing.T) {
	c := loadCompose(t)
	name, s := contribtrackService(t, c)
	cfg := loadServiceConfig(t, c)
	if want := s.env(t, name)["CONTRIBTRACK_CLICKHOUSE"]; cfg.ClickHouse != want {
		t.Errorf("services.%s: effective clickhouse DSN %q, want %q from CONTRIBTRACK_CLICKHOUSE", name, cfg.ClickHouse, want)
	}
	if len(cfg.Orgs)+len(cfg.Repos) == 0 {
		t.Errorf("services.%s: the configuration tracks no org or repository", name)
	}
	// The email key lives in data_dir: it must be on a volume, or every
	// new container would derive commit-email identities with a new key
	// (and contribtrack would refuse the database).
	if cfg.DataDir == "" {
		t.Fatalf("services.%s: set data_dir to a volume's path", name)
	}
	onVolume := false
	for _, m := range s.mounts(t, name) {
		if !m.Bind && m.Target == cfg.DataDir {
			onVolume = true
		}
	}
	if !onVolume {
		t.Errorf("services.%s: data_dir %s is not a named volume's mount point", name, cfg.DataDir)
	}
	// A new volume takes the ownership of the image's directory: the image
	// must create data_dir for its non-root user.
	if _, df, ok := s.build(); ok {
		if b, err := os.ReadFile(df); err != nil || !strings.Contains(string(b), cfg.DataDir) {
			t.Errorf("%s does not create data_dir %s for its user (%v)", df, cfg.DataDir, err)
		}
	}
}

// The stack runs the ClickHouse release the tests run: the image's tag
// names the same year.month as the pinned library that the embedded
// server and every single-server test run (internal/localch).
func TestClickHouseImageMatchesTestedRelease(t *testing.T) {
	_, s := serviceByImage(t, loadCompose(t), clickhouseImage)
	tag := s.Image[strings.LastIndex(s.Image, ":")+1:]
	image, err := chversion.Parse(tag)
	if err != nil {
		t.Fatalf("%s: image %q: %v", composeFile, s.Image, err)
	}
	tested, err := chversion.Parse(localch.LibraryVersion)
	if err != nil {
		t.Fatal(err)
	}
	if image != tested {
		t.Errorf("%s runs ClickHouse %s (%s), but the tests run %s (%s@%s): pin the tested release",
			composeFile, image, s.Image, tested, localch.LibraryPackage, localch.LibraryVersion)
	}
	if image.Less(chversion.MinSupported) {
		t.Errorf("%s runs ClickHouse %s, older than the oldest supported %s", composeFile, image, chversion.MinSupported)
	}
}
