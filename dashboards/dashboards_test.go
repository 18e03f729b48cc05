// Package dashboards_test checks every Grafana dashboard of this folder
// without a Grafana server: it parses strictly as a dashboard (the Grafana
// foundation SDK), references only the provisioned data-source uids and
// variables it defines (or Grafana's and the ClickHouse plugin's built-in
// ones), carries no export noise, describes every panel, and asks
// Prometheus only for metrics contribtrack exposes.
package dashboards_test

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/goccy/go-yaml"
	"github.com/grafana/grafana-foundation-sdk/go/cog"
	"github.com/grafana/grafana-foundation-sdk/go/cog/plugins"
	"github.com/grafana/grafana-foundation-sdk/go/dashboard"
	"github.com/prometheus/client_golang/prometheus"

	"contribtrack/internal/metrics"
)

const (
	datasourcesFile = "../grafana/provisioning/datasources/contribtrack.yaml"
	scrapeGolden    = "../internal/metrics/testdata/scrape.golden"

	clickhouseType = "grafana-clickhouse-datasource"
	prometheusType = "prometheus"
)

// dashboardFiles lists dashboards/*.json; there must be at least one, so
// that the checks below never pass by checking nothing.
func dashboardFiles(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob("*.json")
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no dashboards/*.json: nothing to check")
	}
	sort.Strings(files)
	return files
}

func readDashboard(t testing.TB, path string) ([]byte, map[string]any) {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatalf("%s: not JSON: %v", path, err)
	}
	return raw, m
}

// provisioned returns the provisioned data sources' types by uid, read
// from the provisioning file Grafana loads.
func provisioned(t *testing.T) map[string]string {
	t.Helper()
	data, err := os.ReadFile(datasourcesFile)
	if err != nil {
		t.Fatal(err)
	}
	var file struct {
		Datasources []struct {
			UID  string `yaml:"uid"`
			Type string `yaml:"type"`
		} `yaml:"datasources"`
	}
	if err := yaml.Unmarshal(data, &file); err != nil {
		t.Fatalf("%s: %v", datasourcesFile, err)
	}
	out := map[string]string{}
	for _, ds := range file.Datasources {
		if ds.UID == "" {
			t.Fatalf("%s: a data source without a fixed uid", datasourcesFile)
		}
		out[ds.UID] = ds.Type
	}
	if len(out) == 0 {
		t.Fatalf("%s: no data sources", datasourcesFile)
	}
	return out
}

func TestDashboardsParseStrictly(t *testing.T) {
	plugins.RegisterDefaultPlugins()
	uids := map[string]string{}
	titles := map[string]string{}
	for _, path := range dashboardFiles(t) {
		raw, _ := readDashboard(t, path)
		var d dashboard.Dashboard
		err := d.UnmarshalJSONStrict(raw)
		// On success the SDK returns a nil cog.BuildErrors in a non-nil
		// error interface.
		if errs, ok := err.(cog.BuildErrors); ok {
			for _, e := range errs {
				t.Errorf("%s: %s", path, e)
			}
		} else if err != nil {
			t.Errorf("%s: %v", path, err)
		}
		if d.Uid == nil || *d.Uid == "" {
			t.Errorf("%s: no uid (give each dashboard a fixed uid, so links and bookmarks survive provisioning)", path)
		} else if other, dup := uids[*d.Uid]; dup {
			t.Errorf("%s: uid %q is also %s's", path, *d.Uid, other)
		} else {
			uids[*d.Uid] = path
		}
		if d.Title == nil || *d.Title == "" {
			t.Errorf("%s: no title", path)
		} else if other, dup := titles[*d.Title]; dup {
			t.Errorf("%s: title %q is also %s's", path, *d.Title, other)
		} else {
			titles[*d.Title] = path
		}
	}
}

func TestNoExportNoise(t *testing.T) {
	for _, path := range dashboardFiles(t) {
		raw, m := readDashboard(t, path)
		for _, k := range []string{"__inputs", "__requires", "__elements", "iteration"} {
			if _, ok := m[k]; ok {
				t.Errorf("%s: %q is left over from an export: remove it", path, k)
			}
		}
		if id, ok := m["id"]; ok && id != nil {
			t.Errorf("%s: id %v: dashboard ids belong to one Grafana instance; use null (or leave it out) and a fixed uid", path, id)
		}
		if strings.Contains(string(raw), "${DS_") {
			t.Errorf("%s: ${DS_...} inputs are not resolved by provisioning: reference the provisioned uids", path)
		}
	}
}

// query is one query a dashboard sends: a panel's target or a variable's.
type query struct {
	where string // for messages: panel "title" target A, variable "x"
	uid   string // the data source's uid
	text  string
}

// panels returns every panel, those inside collapsed rows included.
func panels(m map[string]any) []map[string]any {
	var out []map[string]any
	var walk func(list any)
	walk = func(list any) {
		items, _ := list.([]any)
		for _, it := range items {
			p, ok := it.(map[string]any)
			if !ok {
				continue
			}
			out = append(out, p)
			walk(p["panels"])
		}
	}
	walk(m["panels"])
	return out
}

func variables(m map[string]any) []map[string]any {
	tpl, _ := m["templating"].(map[string]any)
	items, _ := tpl["list"].([]any)
	var out []map[string]any
	for _, it := range items {
		if v, ok := it.(map[string]any); ok {
			out = append(out, v)
		}
	}
	return out
}

// dsUID reads a data-source reference ({"type", "uid"}); ok is false when
// there is none.
func dsUID(errorf func(string, ...any), path, where string, ref any) (string, bool) {
	switch r := ref.(type) {
	case nil:
		return "", false
	case map[string]any:
		uid, _ := r["uid"].(string)
		if uid == "" {
			errorf("%s: %s: a data-source reference without a uid", path, where)
		}
		return uid, true
	default:
		errorf("%s: %s: data source %v: reference it as {\"type\", \"uid\"} with a provisioned uid", path, where, r)
		return "", false
	}
}

func str(v any) string { s, _ := v.(string); return s }

// queries collects a dashboard's queries, and the problems with the data
// sources they use (not provisioned, missing).
func queries(path string, m map[string]any, known map[string]string) ([]query, []string) {
	var out []query
	var problems []string
	errorf := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }
	check := func(where, uid string) {
		if _, ok := known[uid]; !ok {
			errorf("%s: %s uses data source uid %q, which is not provisioned (%s has %v)", path, where, uid, datasourcesFile, sortedKeys(known))
		}
	}
	for _, p := range panels(m) {
		where := fmt.Sprintf("panel %q", str(p["title"]))
		panelUID, hasPanelDS := dsUID(errorf, path, where, p["datasource"])
		if hasPanelDS {
			check(where, panelUID)
		}
		targets, _ := p["targets"].([]any)
		for i, tg := range targets {
			target, _ := tg.(map[string]any)
			tw := fmt.Sprintf("%s target %v", where, target["refId"])
			if tw == where+" target <nil>" {
				tw = fmt.Sprintf("%s target %d", where, i)
			}
			uid, ok := dsUID(errorf, path, tw, target["datasource"])
			if ok {
				check(tw, uid)
			} else if hasPanelDS {
				uid = panelUID
			} else {
				errorf("%s: %s has no data source: Grafana would use whatever is the default", path, tw)
				continue
			}
			for _, k := range []string{"rawSql", "expr", "query"} {
				if s := str(target[k]); s != "" {
					out = append(out, query{where: tw, uid: uid, text: s})
				}
			}
		}
	}
	for _, v := range variables(m) {
		where := fmt.Sprintf("variable %q", str(v["name"]))
		switch str(v["type"]) {
		case "datasource":
			errorf("%s: %s: data-source variables are not needed: reference the provisioned uids", path, where)
			continue
		case "query":
		default:
			continue
		}
		uid, ok := dsUID(errorf, path, where, v["datasource"])
		if !ok {
			errorf("%s: %s has no data source", path, where)
			continue
		}
		check(where, uid)
		texts := []string{str(v["definition"])}
		switch q := v["query"].(type) {
		case string:
			texts = append(texts, q)
		case map[string]any:
			texts = append(texts, str(q["query"]), str(q["rawSql"]))
		}
		for _, s := range texts {
			if s != "" {
				out = append(out, query{where: where, uid: uid, text: s})
			}
		}
	}
	annotations, _ := m["annotations"].(map[string]any)
	list, _ := annotations["list"].([]any)
	for i, a := range list {
		an, _ := a.(map[string]any)
		where := fmt.Sprintf("annotation %d (%q)", i, str(an["name"]))
		uid, ok := dsUID(errorf, path, where, an["datasource"])
		if !ok {
			continue
		}
		if uid == "-- Grafana --" && an["builtIn"] != nil {
			continue // Grafana's own annotations
		}
		check(where, uid)
		for _, k := range []string{"rawSql", "expr", "query"} {
			if s := str(an[k]); s != "" {
				out = append(out, query{where: where, uid: uid, text: s})
			}
		}
	}
	return out, problems
}

// mustQueries returns a dashboard's queries; TestDataSourcesAreProvisioned
// reports the problems.
func mustQueries(path string, m map[string]any, known map[string]string) []query {
	qs, _ := queries(path, m, known)
	return qs
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func TestDataSourcesAreProvisioned(t *testing.T) {
	known := provisioned(t)
	for _, path := range dashboardFiles(t) {
		_, m := readDashboard(t, path)
		qs, problems := queries(path, m, known)
		for _, p := range problems {
			t.Error(p)
		}
		if len(qs) == 0 {
			t.Errorf("%s: no queries", path)
		}
		// Anything else that names a data source (library panels, links,
		// future fields) must name a provisioned one too.
		var walk func(where string, v any)
		walk = func(where string, v any) {
			switch v := v.(type) {
			case map[string]any:
				for k, x := range v {
					if k == "datasource" {
						if ref, ok := x.(map[string]any); ok {
							uid := str(ref["uid"])
							if _, ok := known[uid]; !ok && uid != "-- Grafana --" {
								t.Errorf("%s: %s.datasource: uid %q is not provisioned", path, where, uid)
							}
						}
					}
					walk(where+"."+k, x)
				}
			case []any:
				for i, x := range v {
					walk(fmt.Sprintf("%s[%d]", where, i), x)
				}
			}
		}
		walk("dashboard", m)
	}
}

// Grafana's global variables, usable in any query.
var globalVariables = []string{
	"__dashboard", "__from", "__to", "__org", "__user", "__timezone",
	"__interval", "__interval_ms", "__range", "__range_s", "__range_ms",
	"__rate_interval", "__rate_interval_ms",
}

// The ClickHouse plugin's macros that work on every server contribtrack
// supports (../shared/CLICKHOUSE.md: $__timeInterval* and every *_ms macro
// fail on ClickHouse 18.16).
var clickhouseMacros = []string{
	"__timeFilter", "__dateFilter", "__dateTimeFilter", "__fromTime", "__toTime",
	"__interval_s", "__conditionalAll",
}

// varRef finds $name, ${name}, ${name:format}, ${name.field} and [[name]].
var varRef = regexp.MustCompile(`\$\{([A-Za-z0-9_]+)(?:[.:][^}]*)?\}|\$([A-Za-z0-9_]+)|\[\[([A-Za-z0-9_]+)(?::[^\]]*)?\]\]`)

func referencedVariables(s string) []string {
	var out []string
	for _, m := range varRef.FindAllStringSubmatch(s, -1) {
		name := m[1] + m[2] + m[3]
		if strings.Trim(name, "0123456789") == "" {
			continue // $1: a regex group in label_replace, not a variable
		}
		out = append(out, name)
	}
	return out
}

func TestVariablesAreDefined(t *testing.T) {
	known := provisioned(t)
	for _, path := range dashboardFiles(t) {
		_, m := readDashboard(t, path)
		defined := map[string]bool{}
		for _, v := range variables(m) {
			name := str(v["name"])
			if name == "" {
				t.Errorf("%s: a variable without a name", path)
			}
			if defined[name] {
				t.Errorf("%s: variable %q is defined twice", path, name)
			}
			defined[name] = true
		}
		for _, q := range mustQueries(path, m, known) {
			for _, p := range undefinedVariables(q.text, known[q.uid], defined) {
				t.Errorf("%s: %s %s", path, q.where, p)
			}
		}
	}
}

// undefinedVariables returns what is wrong with the variables a query of a
// data source of type dsType uses, given the dashboard's variables.
func undefinedVariables(text, dsType string, defined map[string]bool) []string {
	var out []string
	builtins := globalVariables
	if dsType == clickhouseType {
		builtins = append(slices.Clip(globalVariables), clickhouseMacros...)
	}
	for _, name := range referencedVariables(text) {
		switch {
		case dsType == clickhouseType && (strings.HasPrefix(name, "__timeInterval") || strings.HasSuffix(name, "_ms")):
			out = append(out, fmt.Sprintf("uses $%s, which fails on ClickHouse 18.16: bucket with toDateTime(intDiv(toUInt32(ts), $__interval_s) * $__interval_s), filter with $__timeFilter", name))
		case defined[name], slices.Contains(builtins, name):
		default:
			out = append(out, fmt.Sprintf("uses $%s, which is neither a variable of the dashboard (%v) nor a built-in", name, sortedKeys(defined)))
		}
	}
	return out
}

func TestUndefinedVariables(t *testing.T) {
	defined := map[string]bool{"org": true, "kind": true}
	for _, c := range []struct {
		text, dsType string
		bad          int
	}{
		{"SELECT 1 WHERE $__timeFilter(created_at) AND $__conditionalAll(org IN (${org:singlequote}), $org)", clickhouseType, 0},
		{"SELECT toDateTime(intDiv(toUInt32(ts), $__interval_s) * $__interval_s) AS time WHERE ts >= $__fromTime AND ts < $__toTime AND kind IN (${kind:singlequote})", clickhouseType, 0},
		{"SELECT $__timeInterval(ts) AS time", clickhouseType, 1},
		{"SELECT 1 WHERE ts >= $__fromTime_ms", clickhouseType, 1},
		{"SELECT 1 WHERE repo = '$repo'", clickhouseType, 1},
		{"SELECT 1 WHERE $__conditionalAll(1, $org)", prometheusType, 1},
		{`sum(rate(x_total{org=~"$org"}[$__rate_interval]))`, prometheusType, 0},
		{`label_replace(x, "a", "$1", "b", "(.*)")`, prometheusType, 0},
		{"[[org]] ${__user.login} ${__from:date:iso}", prometheusType, 0},
	} {
		if got := undefinedVariables(c.text, c.dsType, defined); len(got) != c.bad {
			t.Errorf("undefinedVariables(%q, %s) = %q, want %d problem(s)", c.text, c.dsType, got, c.bad)
		}
	}
}

func TestPanelsAreDescribed(t *testing.T) {
	for _, path := range dashboardFiles(t) {
		_, m := readDashboard(t, path)
		for _, p := range panels(m) {
			if str(p["type"]) == "row" {
				continue
			}
			if strings.TrimSpace(str(p["description"])) == "" {
				t.Errorf("%s: panel %q has no description (say what it counts, for which kinds)", path, str(p["title"]))
			}
		}
	}
}

// registeredMetrics returns the names a running contribtrack exposes: the
// descriptors of the registry serve builds (metrics.New, runtime
// collectors included), each with the series names a histogram adds.
func registeredMetrics(t *testing.T) map[string]bool {
	t.Helper()
	ch := make(chan *prometheus.Desc)
	go func() {
		metrics.New().Registry().Describe(ch)
		close(ch)
	}()
	out := map[string]bool{}
	for d := range ch {
		m := descName.FindStringSubmatch(d.String())
		if m == nil {
			t.Fatalf("cannot read a metric name from %s", d)
		}
		for _, suffix := range []string{"", "_bucket", "_sum", "_count"} {
			out[m[1]+suffix] = true
		}
	}
	if len(out) == 0 {
		t.Fatal("the metrics registry describes nothing")
	}
	return out
}

var descName = regexp.MustCompile(`fqName: "([^"]+)"`)

// exposedMetrics returns the series names in contribtrack's golden scrape:
// a histogram's _bucket, _sum and _count, every other metric's name.
func exposedMetrics(t *testing.T) map[string]bool {
	t.Helper()
	f, err := os.Open(scrapeGolden)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := map[string]bool{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) != 4 || fields[0] != "#" || fields[1] != "TYPE" {
			continue
		}
		switch name, typ := fields[2], fields[3]; typ {
		case "histogram":
			out[name+"_bucket"], out[name+"_sum"], out[name+"_count"] = true, true, true
		case "summary":
			out[name], out[name+"_sum"], out[name+"_count"] = true, true, true
		default:
			out[name] = true
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if len(out) == 0 {
		t.Fatalf("%s: no # TYPE lines", scrapeGolden)
	}
	return out
}

var (
	promStrings   = regexp.MustCompile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'|`[^`]*`")
	promBraces    = regexp.MustCompile(`\{[^}]*\}`)
	promBrackets  = regexp.MustCompile(`\[[^\]]*\]`)
	promGrouping  = regexp.MustCompile(`\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)`)
	promIdent     = regexp.MustCompile(`[A-Za-z_:][A-Za-z0-9_:]*`)
	labelValues   = regexp.MustCompile(`^\s*label_values\((.*)\)\s*$`)
	queryResult   = regexp.MustCompile(`^\s*query_result\((.*)\)\s*$`)
	promqlKeyword = map[string]bool{
		"sum": true, "min": true, "max": true, "avg": true, "group": true, "stddev": true, "stdvar": true,
		"count": true, "count_values": true, "bottomk": true, "topk": true, "quantile": true,
		"limitk": true, "limit_ratio": true, "and": true, "or": true, "unless": true, "bool": true,
		"offset": true, "by": true, "without": true, "on": true, "ignoring": true,
		"group_left": true, "group_right": true, "inf": true, "nan": true, "atan2": true,
	}
)

// metricNames returns the metric names a Prometheus query reads: a PromQL
// expression, or a Grafana variable query (label_values, query_result).
func metricNames(q string) []string {
	if m := labelValues.FindStringSubmatch(q); m != nil {
		i := strings.LastIndex(m[1], ",")
		if i < 0 {
			return nil // label_values(label): no metric
		}
		q = m[1][:i]
	} else if m := queryResult.FindStringSubmatch(q); m != nil {
		q = m[1]
	}
	s := varRef.ReplaceAllString(q, " ")
	s = promStrings.ReplaceAllString(s, " ")
	s = promBraces.ReplaceAllString(s, " ")
	s = promBrackets.ReplaceAllString(s, " ")
	s = promGrouping.ReplaceAllString(s, " ")
	var out []string
	for _, loc := range promIdent.FindAllStringIndex(s, -1) {
		if loc[0] > 0 && strings.ContainsRune("0123456789.", rune(s[loc[0]-1])) {
			continue // a duration or number: 5m, 1e3
		}
		word := s[loc[0]:loc[1]]
		if promqlKeyword[strings.ToLower(word)] {
			continue
		}
		if rest := strings.TrimLeft(s[loc[1]:], " \t\n"); strings.HasPrefix(rest, "(") {
			continue // a function
		}
		if !slices.Contains(out, word) {
			out = append(out, word)
		}
	}
	return out
}

func TestMetricNames(t *testing.T) {
	for _, c := range []struct {
		q    string
		want []string
	}{
		{`time() - max by (repo) (contribtrack_collector_repo_last_success_timestamp_seconds{repo=~"$repo"})`, []string{"contribtrack_collector_repo_last_success_timestamp_seconds"}},
		{`histogram_quantile(0.95, sum by (le) (rate(contribtrack_collector_flush_duration_seconds_bucket[$__rate_interval])))`, []string{"contribtrack_collector_flush_duration_seconds_bucket"}},
		{`sum(rate(a_total[5m] offset 1h)) / on (job) group_left sum(b_total) > 1e3`, []string{"a_total", "b_total"}},
		{`label_values(contribtrack_github_rate_limit_remaining_points{resource="core"}, token)`, []string{"contribtrack_github_rate_limit_remaining_points"}},
		{`label_values(repo)`, nil},
		{`label_replace(up, "dst", "$1", "src", "(.*)")`, []string{"up"}},
	} {
		if got := metricNames(c.q); !slices.Equal(got, c.want) {
			t.Errorf("metricNames(%q) = %q, want %q", c.q, got, c.want)
		}
	}
}

func TestPrometheusMetricsAreExposed(t *testing.T) {
	known := provisioned(t)
	exposed, registered := exposedMetrics(t), registeredMetrics(t)
	checked := 0
	for _, path := range dashboardFiles(t) {
		_, m := readDashboard(t, path)
		for _, q := range mustQueries(path, m, known) {
			if known[q.uid] != prometheusType {
				continue
			}
			names := metricNames(q.text)
			if len(names) == 0 && !labelValues.MatchString(q.text) {
				t.Errorf("%s: %s: no metric in %q", path, q.where, q.text)
			}
			for _, name := range names {
				checked++
				if !registered[name] {
					t.Errorf("%s: %s reads %s, which contribtrack's metrics registry does not describe", path, q.where, name)
				}
				if !exposed[name] {
					t.Errorf("%s: %s reads %s, which contribtrack does not expose (%s)", path, q.where, name, scrapeGolden)
				}
			}
		}
	}
	if checked == 0 {
		t.Error("no dashboard asks Prometheus for anything: the collector operations dashboard should")
	}
}

// The kind variable's options and its All, read from the view
// scoring_weights, which the kind table writes
// (TestKindVariablesAreTheTable runs them).
const (
	kindOptions = "SELECT kind FROM scoring_weights ORDER BY position"
	kindAll     = "SELECT kind FROM scoring_weights WHERE counted = 1"
)

// TestKindListsAreTheTable: every dashboard's kind variable offers the
// kinds of the view scoring_weights, and "All" means its counted kinds
// (as the API's default), so a kind added to the table reaches every
// dashboard's kind list without an edit.
func TestKindListsAreTheTable(t *testing.T) {
	seen := 0
	for _, path := range dashboardFiles(t) {
		_, m := readDashboard(t, path)
		for _, v := range variables(m) {
			if str(v["name"]) != "kind" {
				continue
			}
			seen++
			if str(v["type"]) != "query" || str(v["query"]) != kindOptions || str(v["definition"]) != kindOptions {
				t.Errorf("%s: the kind variable is a %s variable of %q; want a query variable of %q", path, str(v["type"]), str(v["query"]), kindOptions)
			}
			if got := str(v["allValue"]); got != kindAll || v["includeAll"] != true {
				t.Errorf("%s: the kind variable's All is %q; want %q", path, got, kindAll)
			}
		}
	}
	if seen < 4 {
		t.Errorf("%d dashboards have a kind variable; expected at least 4 (leaderboard, overview, profile, programs)", seen)
	}
}
