package dashboards_test

// Every ClickHouse query of every dashboard, expanded the way Grafana and
// grafana-clickhouse-datasource expand it, runs on the real ClickHouse
// server with realistic data and returns the shape its panel needs.
//
// The expansion rules implemented here (expandQuery), in the plugin's order:
//
//  1. $__conditionalAll(cond, $var) (the plugin's frontend, before any
//     template variable): the arguments are split at the top-level comma
//     (parentheses and quotes respected); the whole macro becomes `1=1`
//     when the variable's current value is All ($__all) or empty, else
//     cond, unchanged (its variables are replaced in step 2).
//  2. Template variables (Grafana's templateSrv with the plugin's default
//     format): $var, ${var} and ${var:format}. A multi-value variable's
//     value is a list: with :singlequote (and by default, the plugin's
//     format) 'a','b' (Grafana escapes ' as \'); :csv / :raw a,b. All is
//     the variable's custom all value, inserted as is without formatting,
//     when it has one; else every option (but All), formatted. A
//     single-value variable is its value as is (:singlequote quotes it).
//     Unknown names ($__timeFilter ...) are left alone.
//  3. The plugin's backend macros, with the time range in UTC:
//     $__timeFilter(col) -> col >= toDateTime(<from s>) AND col <= toDateTime(<to s>);
//     $__dateFilter(col) -> col >= toDate('<from day>') AND col <= toDate('<to day>');
//     $__dateTimeFilter(d, t) -> both, ANDed;
//     $__fromTime / $__toTime -> toDateTime(<unix s>);
//     $__interval_s -> the interval in whole seconds (at least 1).
//     $__timeInterval* and *_ms macros are refused (they fail on 18.16;
//     TestVariablesAreDefined says so too).

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"math/rand/v2"
	"net/http/httptest"
	"net/url"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"

	"contribtrack/internal/api"
	"contribtrack/internal/cli"
	"contribtrack/internal/config"
	"contribtrack/internal/contrib"
	"contribtrack/internal/leaderboard"
	"contribtrack/internal/store"
	"contribtrack/internal/testing/chtest"
)

// tplVar is a dashboard variable with its options and the value chosen.
type tplVar struct {
	name       string
	multi      bool
	includeAll bool
	allValue   string   // the custom all value ("" none)
	options    []string // values, All left out
	all        bool     // All is selected
	values     []string // else the values selected
}

// timeRange is the dashboard's time range and the panel's interval.
type timeRange struct {
	from, to time.Time
	interval time.Duration
}

var (
	conditionalAllRe = regexp.MustCompile(`\$__conditionalAll\(`)
	condVarRe        = regexp.MustCompile(`^\$\{?([A-Za-z0-9_]+)\}?$`)
	tplRe            = regexp.MustCompile(`\$\{([A-Za-z0-9_]+)(?::([A-Za-z]+))?\}|\$([A-Za-z0-9_]+)`)
	macroRe          = regexp.MustCompile(`\$(__[A-Za-z_]+)`)
)

// macroArgs returns the arguments of a macro whose "(" is at s[open] and
// where its ")" is.
func macroArgs(s string, open int) ([]string, int, error) {
	depth, start := 0, open+1
	var args []string
	var quote byte
	for i := open; i < len(s); i++ {
		c := s[i]
		switch {
		case quote != 0:
			if c == '\\' {
				i++
			} else if c == quote {
				quote = 0
			}
		case c == '\'' || c == '"' || c == '`':
			quote = c
		case c == '(':
			depth++
		case c == ')':
			depth--
			if depth == 0 {
				return append(args, s[start:i]), i, nil
			}
		case c == ',' && depth == 1:
			args = append(args, s[start:i])
			start = i + 1
		}
	}
	return nil, 0, fmt.Errorf("unclosed macro at %d", open)
}

func quoteSingle(v string) string { return "'" + strings.ReplaceAll(v, "'", `\'`) + "'" }

// format renders a variable's value as Grafana does with the plugin.
func (v *tplVar) format(fmtName string) (string, error) {
	if v.all && v.allValue != "" {
		return v.allValue, nil // custom all values are not formatted
	}
	vals := v.values
	if v.all {
		vals = v.options
	}
	if !v.multi && !v.all {
		if len(vals) != 1 {
			return "", fmt.Errorf("variable %s: %d values for a single-value variable", v.name, len(vals))
		}
		switch fmtName {
		case "singlequote", "sqlstring":
			return quoteSingle(vals[0]), nil
		case "", "raw", "csv", "text":
			return vals[0], nil
		}
		return "", fmt.Errorf("variable %s: format %q not implemented here", v.name, fmtName)
	}
	switch fmtName {
	case "", "singlequote", "sqlstring":
		q := make([]string, len(vals))
		for i, x := range vals {
			q[i] = quoteSingle(x)
		}
		return strings.Join(q, ","), nil
	case "csv", "raw":
		return strings.Join(vals, ","), nil
	}
	return "", fmt.Errorf("variable %s: format %q not implemented here", v.name, fmtName)
}

// expandQuery expands a query as the plugin does (see the rules above).
func expandQuery(sql string, vars map[string]*tplVar, tr timeRange) (string, error) {
	// 1. $__conditionalAll, last first as the plugin does.
	for {
		locs := conditionalAllRe.FindAllStringIndex(sql, -1)
		if len(locs) == 0 {
			break
		}
		loc := locs[len(locs)-1]
		args, end, err := macroArgs(sql, loc[1]-1)
		if err != nil {
			return "", err
		}
		if len(args) != 2 {
			return "", fmt.Errorf("$__conditionalAll with %d arguments: want (condition, $var)", len(args))
		}
		m := condVarRe.FindStringSubmatch(strings.TrimSpace(args[1]))
		if m == nil {
			return "", fmt.Errorf("$__conditionalAll's second argument %q is not a variable", args[1])
		}
		v, ok := vars[m[1]]
		if !ok {
			return "", fmt.Errorf("$__conditionalAll of undefined variable %s", m[1])
		}
		phrase := args[0]
		if v.all || len(v.values) == 0 || (len(v.values) == 1 && v.values[0] == "") {
			phrase = "1=1"
		}
		sql = sql[:loc[0]] + phrase + sql[end+1:]
	}
	// 2. Template variables.
	var ferr error
	sql = tplRe.ReplaceAllStringFunc(sql, func(ref string) string {
		m := tplRe.FindStringSubmatch(ref)
		name, format := m[1]+m3(m), m[2]
		v, ok := vars[name]
		if !ok {
			return ref
		}
		s, err := v.format(format)
		if err != nil && ferr == nil {
			ferr = err
		}
		return s
	})
	if ferr != nil {
		return "", ferr
	}
	// 3. The backend's macros.
	from, to := tr.from.UTC(), tr.to.UTC()
	for {
		loc := macroRe.FindStringSubmatchIndex(sql)
		if loc == nil {
			break
		}
		name := sql[loc[2]:loc[3]]
		var repl string
		end := loc[1]
		withArgs := func(n int) ([]string, error) {
			if end >= len(sql) || sql[end] != '(' {
				return nil, fmt.Errorf("$%s needs arguments", name)
			}
			args, close, err := macroArgs(sql, end)
			if err != nil {
				return nil, err
			}
			if len(args) != n {
				return nil, fmt.Errorf("$%s: %d arguments, want %d", name, len(args), n)
			}
			end = close + 1
			for i := range args {
				if args[i] = strings.TrimSpace(args[i]); args[i] == "" {
					return nil, fmt.Errorf("$%s: an empty argument", name)
				}
			}
			return args, nil
		}
		timeFilter := func(col string) string {
			return fmt.Sprintf("%s >= toDateTime(%d) AND %s <= toDateTime(%d)", col, from.Unix(), col, to.Unix())
		}
		dateFilter := func(col string) string {
			return fmt.Sprintf("%s >= toDate('%s') AND %s <= toDate('%s')", col, from.Format(time.DateOnly), col, to.Format(time.DateOnly))
		}
		switch name {
		case "__timeFilter":
			args, err := withArgs(1)
			if err != nil {
				return "", err
			}
			repl = timeFilter(args[0])
		case "__dateFilter":
			args, err := withArgs(1)
			if err != nil {
				return "", err
			}
			repl = dateFilter(args[0])
		case "__dateTimeFilter":
			args, err := withArgs(2)
			if err != nil {
				return "", err
			}
			repl = "(" + dateFilter(args[0]) + ") AND (" + timeFilter(args[1]) + ")"
		case "__fromTime":
			repl = fmt.Sprintf("toDateTime(%d)", from.Unix())
		case "__toTime":
			repl = fmt.Sprintf("toDateTime(%d)", to.Unix())
		case "__interval_s":
			repl = strconv.Itoa(max(1, int(tr.interval/time.Second)))
		default:
			return "", fmt.Errorf("$%s: not a macro of the ClickHouse plugin that works on 18.16", name)
		}
		sql = sql[:loc[0]] + repl + sql[end:]
	}
	return sql, nil
}

func m3(m []string) string { return m[3] }

func TestExpandQuery(t *testing.T) {
	tr := timeRange{from: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), to: time.Date(2024, 1, 31, 23, 59, 59, 0, time.UTC), interval: 3 * time.Hour}
	vars := map[string]*tplVar{
		"org":  {name: "org", multi: true, includeAll: true, options: []string{"aws", "awslabs"}, all: true},
		"repo": {name: "repo", multi: true, includeAll: true, options: []string{"a/b", "c/d"}, values: []string{"a/b", "o'x"}},
		"kind": {name: "kind", multi: true, includeAll: true, allValue: "'commit'", options: []string{"commit", "star"}, all: true},
		"bots": {name: "bots", values: []string{"exclude"}},
	}
	for _, c := range []struct{ in, want string }{
		{"$__conditionalAll(org IN (${org:singlequote}), $org)", "1=1"},
		{"$__conditionalAll(repo IN (${repo:singlequote}), $repo)", `repo IN ('a/b','o\'x')`},
		{"x IN (${org:singlequote}) AND y IN ($kind) AND '${bots}' = '$bots'", "x IN ('aws','awslabs') AND y IN ('commit') AND 'exclude' = 'exclude'"},
		{"$__timeFilter(created_at)", "created_at >= toDateTime(1704067200) AND created_at <= toDateTime(1706745599)"},
		{"$__dateFilter(period) AND t < $__toTime AND t >= $__fromTime", "period >= toDate('2024-01-01') AND period <= toDate('2024-01-31') AND t < toDateTime(1706745599) AND t >= toDateTime(1704067200)"},
		{"intDiv(toUInt32(ts), $__interval_s) * $__interval_s", "intDiv(toUInt32(ts), 10800) * 10800"},
		{"$__conditionalAll(f(a, b), ${org}) AND $__conditionalAll(g(1), $repo)", "1=1 AND g(1)"},
	} {
		got, err := expandQuery(c.in, vars, tr)
		if err != nil || got != c.want {
			t.Errorf("expandQuery(%q) = %q, %v; want %q", c.in, got, err, c.want)
		}
	}
	for _, bad := range []string{"$__timeInterval(ts)", "$__fromTime_ms", "$__conditionalAll(x, $nope)", "$__timeFilter()"} {
		if got, err := expandQuery(bad, vars, tr); err == nil && !strings.Contains(got, "$__") {
			t.Errorf("expandQuery(%q) = %q, want an error", bad, got)
		}
	}
}

// testEmailKey is the email identity secret the CLI is given.
const testEmailKey = "contribtrack-dashboards-test-email-key"

func getenv(name string) string {
	if name == "CONTRIBTRACK_EMAIL_KEY" {
		return testEmailKey
	}
	return ""
}

// The realistic data's period: November 2023 to June 2024.
var (
	dataFrom = time.Date(2023, 11, 1, 0, 0, 0, 0, time.UTC)
	dataTo   = time.Date(2024, 7, 1, 0, 0, 0, 0, time.UTC)
	// wholeRange is the period as Grafana's picker gives it (to: the last
	// second of the last day).
	wholeRange = timeRange{from: dataFrom, to: dataTo.Add(-time.Second), interval: 24 * time.Hour}
)

// realisticData is a few hundred contributions over three orgs, five
// repositories, eight months and every kind: people of the example
// roster (by login, by an old login, by GitHub id, by commit email, one
// who opted out, a roster bot and a roster human), people not in it, two
// bots, an email identity nobody claims, and repeated sightings of some
// keys from another source.
// realisticLogins are the first logins of realisticData's people.
var realisticLogins = []string{"alice", "bob"}

func realisticData() []contrib.Contribution {
	rng := rand.New(rand.NewPCG(6, 2024))
	type who struct {
		login string
		id    uint64
		email string
	}
	people := []who{
		{login: realisticLogins[0]}, {login: realisticLogins[1]}, {login: "carol"}, {login: "dave"}, {login: "erin"},
		{login: "ana-ferreira-dev"}, {login: "ana-ferreira"}, {login: "kwatanabe"}, {login: "kenji-w-old"},
		{login: "amara-builds", id: 7011001}, {login: "dmorales"}, {login: "release-helper-ci"}, {login: "abbot"},
		{login: "dependabot[bot]"}, {login: "github-actions"},
		{email: "kenji@work.example"}, {email: "someone@else.example"},
	}
	repos := []string{"aws/aws-cdk", "aws/aws-sdk-go", "awslabs/smithy", "awslabs/llrt", "cdklabs/projen"}
	kinds := contrib.Kinds
	var out []contrib.Contribution
	for i := range 420 {
		p := people[rng.IntN(len(people))]
		repo := repos[rng.IntN(len(repos))]
		kind := kinds[rng.IntN(len(kinds))]
		at := dataFrom.Add(time.Duration(rng.Int64N(int64(dataTo.Sub(dataFrom)))))
		x := contrib.Contribution{
			Kind: kind, Key: "d" + strconv.Itoa(i), CreatedAt: at.Truncate(time.Second),
			ActorID: hash("user:" + p.login), ActorLogin: p.login,
			RepoID: hash("repo:" + repo), RepoName: repo, Org: contrib.OrgOf(repo), Via: contrib.ViaREST,
		}
		if p.id != 0 {
			x.ActorID = p.id
		}
		if p.email != "" {
			x.Kind, x.ActorLogin = contrib.Commit, ""
			x.ActorID = contrib.EmailKey(testEmailKey).ActorID(p.email)
			x.EmailDomain = contrib.DomainOf(p.email)
			x.Via = contrib.ViaGraphQL
		}
		out = append(out, x)
		if i%10 == 0 { // seen by GH Archive too: counts once
			y := x
			y.Via = contrib.ViaGHArchive
			out = append(out, y)
		}
	}
	var logins []string // people with a GitHub account of their own
	for _, p := range people {
		if p.email == "" && p.id == 0 {
			logins = append(logins, p.login)
		}
	}
	return append(out, numberedThreads(rng, logins, repos)...)
}

// numberedThreads are issues and pull requests with their numbers, natural
// keys (<repo id>#<number>) and the comments and reviews on them (also
// numbered), so that time to merge, time to first response and review
// coverage have something to measure: pull requests opened and later
// merged, reviewed by others or by their author only, commented on by
// others or by bots, and some never answered.
func numberedThreads(rng *rand.Rand, logins, repos []string) []contrib.Contribution {
	var out []contrib.Contribution
	next := int64(5000000)
	for n := range 60 {
		repo := repos[rng.IntN(len(repos))]
		repoID := hash("repo:" + repo)
		author := logins[rng.IntN(len(logins))]
		opened := dataFrom.Add(time.Duration(rng.Int64N(int64(dataTo.Sub(dataFrom) * 9 / 10)))).Truncate(time.Second)
		number := int64(100 + n)
		item := func(kind contrib.Kind, key string, login string, at time.Time) contrib.Contribution {
			return contrib.Contribution{
				Kind: kind, Key: key, CreatedAt: at, ActorID: hash("user:" + login), ActorLogin: login,
				RepoID: repoID, RepoName: repo, Org: contrib.OrgOf(repo), Via: contrib.ViaREST, Number: number,
			}
		}
		later := func(at time.Time) time.Time {
			return at.Add(time.Duration(rng.Int64N(int64(10*24*time.Hour)) + int64(time.Minute))).Truncate(time.Second)
		}
		respond := func(kind contrib.Kind, at time.Time) contrib.Contribution {
			next++
			return item(kind, contrib.KeyForID(next), logins[rng.IntN(len(logins))], at)
		}
		key := contrib.KeyForNumber(repoID, number)
		if n%2 == 0 { // a pull request
			out = append(out, item(contrib.PROpened, key, author, opened))
			at := opened
			for range rng.IntN(3) {
				at = later(at)
				out = append(out, respond([]contrib.Kind{contrib.PRReview, contrib.PRReviewComment, contrib.IssueComment}[rng.IntN(3)], at))
			}
			if n%6 == 0 { // reviewed by its author only
				at = later(at)
				out = append(out, item(contrib.PRReview, contrib.KeyForID(next+1), author, at))
				next++
			}
			if n%4 != 2 {
				merged := item(contrib.PRMerged, key, author, later(at))
				out = append(out, merged)
				if n%8 == 0 { // seen by GH Archive too, without the number: counts once
					y := merged
					y.Via, y.Number = contrib.ViaGHArchive, 0
					out = append(out, y)
				}
			}
		} else { // an issue
			out = append(out, item(contrib.IssueOpened, key, author, opened))
			if n%5 != 1 {
				out = append(out, respond(contrib.IssueComment, later(opened)))
			}
			if n%7 == 3 { // a bot's comment is no response
				c := respond(contrib.IssueComment, later(opened))
				c.ActorLogin, c.ActorID = "github-actions", hash("user:github-actions")
				out = append(out, c)
			}
		}
	}
	return out
}

// syncCheckpoints are the API collector's checkpoints for three of the
// repositories: GitHub's totals for some resources, more or fewer than
// stored, and a repository-wide one.
func syncCheckpoints() []contrib.Checkpoint {
	at := dataTo.Add(-time.Hour)
	var out []contrib.Checkpoint
	for i, repo := range []string{"aws/aws-cdk", "awslabs/smithy", "cdklabs/projen"} {
		id := hash("repo:" + repo)
		for j, res := range []string{"pulls", "issues", "issue_comments", "commits", "stars", "repo"} {
			out = append(out, contrib.Checkpoint{RepoID: id, RepoName: repo, Resource: res, Signature: "s", Cursor: at.Format(time.RFC3339),
				Total: uint64(10 + 3*i + j), SyncedAt: at.Add(time.Duration(j) * time.Minute)})
		}
	}
	return out
}

func hash(s string) uint64 {
	var h uint64 = 14695981039346656037
	for _, c := range []byte(s) {
		h = (h ^ uint64(c)) * 1099511628211
	}
	return h>>34 + 1 // small, and never bit 63
}

// chEnv is a migrated database with the realistic data, the example
// roster imported through the CLI, and a current rollup.
type chEnv struct {
	dsn   string
	store *store.Store
	conn  driver.Conn
}

func newCHEnv(t *testing.T) *chEnv {
	t.Helper()
	dsn, _ := chtest.Database(t)
	ctx := context.Background()
	s, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if _, err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	// As migrate and serve do: the views score by the configuration's rules.
	if err := s.PublishRules(ctx, defaultRules()); err != nil {
		t.Fatal(err)
	}
	if err := s.Insert(ctx, realisticData()); err != nil {
		t.Fatal(err)
	}
	if err := s.SaveCheckpoints(ctx, syncCheckpoints()); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr strings.Builder
	if code := cli.Main([]string{"--clickhouse", dsn, "roster", "import", "../examples/roster.yaml", "../examples/identities.yaml"}, &stdout, &stderr, getenv); code != 0 {
		t.Fatalf("roster import: exit %d\n%s%s", code, stdout.String(), stderr.String())
	}
	if _, err := s.RefreshRollup(ctx); err != nil {
		t.Fatal(err)
	}
	if fresh, err := s.RollupFresh(ctx); err != nil || !fresh {
		t.Fatalf("rollup fresh after refresh: %v, %v", fresh, err)
	}
	return &chEnv{dsn: dsn, store: s, conn: s.Conn()}
}

// result is what a query returned.
type result struct {
	names, types []string
	rows         [][]any
}

func (e *chEnv) run(sql string) (result, error) {
	ctx := context.Background()
	rows, err := e.conn.Query(ctx, sql)
	if err != nil {
		return result{}, err
	}
	defer rows.Close()
	var r result
	cts := rows.ColumnTypes()
	for _, ct := range cts {
		r.names = append(r.names, ct.Name())
		r.types = append(r.types, ct.DatabaseTypeName())
	}
	for rows.Next() {
		ptrs := make([]any, len(cts))
		for i, ct := range cts {
			ptrs[i] = reflect.New(ct.ScanType()).Interface()
		}
		if err := rows.Scan(ptrs...); err != nil {
			return r, err
		}
		row := make([]any, len(ptrs))
		for i, p := range ptrs {
			row[i] = reflect.ValueOf(p).Elem().Interface()
		}
		r.rows = append(r.rows, row)
	}
	return r, rows.Err()
}

// dashboardVars reads a dashboard's variables, running the query
// variables' queries (All selected for those before) to learn their
// options; every variable starts at All (or its current value).
func (e *chEnv) dashboardVars(t *testing.T, path string, m map[string]any, known map[string]string) ([]*tplVar, map[string]*tplVar) {
	t.Helper()
	var list []*tplVar
	byName := map[string]*tplVar{}
	for _, v := range variables(m) {
		tv := &tplVar{name: str(v["name"]), includeAll: v["includeAll"] == true, multi: v["multi"] == true, allValue: str(v["allValue"])}
		switch str(v["type"]) {
		case "query":
			uid, _ := dsUID(t.Errorf, path, tv.name, v["datasource"])
			if known[uid] != clickhouseType {
				continue
			}
			q := str(v["query"])
			if qm, ok := v["query"].(map[string]any); ok {
				q = str(qm["rawSql"]) + str(qm["query"])
			}
			sql, err := expandQuery(q, byName, wholeRange)
			if err != nil {
				t.Fatalf("%s: variable %q: %v", path, tv.name, err)
			}
			r, err := e.run(sql)
			if err != nil {
				t.Fatalf("%s: variable %q: %v\n%s", path, tv.name, err, sql)
			}
			if len(r.rows) == 0 {
				t.Errorf("%s: variable %q has no options on the realistic data", path, tv.name)
			}
			for _, row := range r.rows {
				tv.options = append(tv.options, fmt.Sprint(row[0]))
			}
		case "custom":
			for _, o := range strings.Split(str(v["query"]), ",") {
				if _, val, ok := strings.Cut(o, " : "); ok {
					o = val
				}
				tv.options = append(tv.options, strings.TrimSpace(o))
			}
		case "constant", "textbox":
			tv.options = []string{str(v["query"])}
		default:
			continue
		}
		tv.reset(v)
		list = append(list, tv)
		byName[tv.name] = tv
	}
	return list, byName
}

// reset selects All, or the variable's current value, or its first option.
func (v *tplVar) reset(def map[string]any) {
	v.all, v.values = false, nil
	if v.includeAll {
		v.all = true
		return
	}
	if cur, ok := def["current"].(map[string]any); ok {
		switch val := cur["value"].(type) {
		case string:
			v.values = []string{val}
		case []any:
			for _, x := range val {
				v.values = append(v.values, fmt.Sprint(x))
			}
		}
	}
	// No current value, or one the options lack: Grafana selects the
	// first option when it loads the dashboard.
	if (len(v.values) == 0 || !slices.Contains(v.options, v.values[0])) && len(v.options) > 0 {
		v.values = v.options[:1]
	}
}

// scenario is a choice of variable values.
type scenario struct {
	name     string
	baseline bool // every variable at All (or its default): must return rows
	set      func()
}

func scenarios(list []*tplVar, m map[string]any) []scenario {
	defs := map[string]map[string]any{}
	for _, v := range variables(m) {
		defs[str(v["name"])] = v
	}
	resetAll := func() {
		for _, v := range list {
			v.reset(defs[v.name])
		}
	}
	out := []scenario{{name: "defaults", baseline: true, set: resetAll}}
	for _, v := range list {
		if len(v.options) == 0 {
			continue
		}
		out = append(out, scenario{name: v.name + "=" + v.options[0], set: func() { resetAll(); v.all, v.values = false, v.options[:1] }})
		if v.multi && len(v.options) > 1 {
			out = append(out, scenario{name: v.name + "=" + strings.Join(v.options[:2], ","), set: func() { resetAll(); v.all, v.values = false, v.options[:2] }})
		}
	}
	return out
}

// expectedColumns are the columns a table panel names in its field
// overrides (matcher byName): its query must return each of them.
func expectedColumns(p map[string]any) []string {
	fc, _ := p["fieldConfig"].(map[string]any)
	ovs, _ := fc["overrides"].([]any)
	var out []string
	for _, o := range ovs {
		om, _ := o.(map[string]any)
		matcher, _ := om["matcher"].(map[string]any)
		if str(matcher["id"]) == "byName" && !slices.Contains(out, str(matcher["options"])) {
			out = append(out, str(matcher["options"]))
		}
	}
	return out
}

func TestClickHouseQueries(t *testing.T) {
	e := newCHEnv(t)
	known := provisioned(t)
	checked := 0
	for _, path := range dashboardFiles(t) {
		_, m := readDashboard(t, path)
		list, byName := e.dashboardVars(t, path, m, known)
		// Every variable query under every scenario too.
		varQueries := map[string]string{}
		for _, v := range variables(m) {
			if str(v["type"]) == "query" && known[func() string { u, _ := dsUID(t.Errorf, path, "", v["datasource"]); return u }()] == clickhouseType {
				varQueries[str(v["name"])] = str(v["query"])
			}
		}
		for _, sc := range scenarios(list, m) {
			sc.set()
			for name, q := range varQueries {
				sql, err := expandQuery(q, byName, wholeRange)
				if err == nil {
					_, err = e.run(sql)
				}
				if err != nil {
					t.Errorf("%s: variable %q (%s): %v", path, name, sc.name, err)
				}
			}
			for _, p := range panels(m) {
				uid, _ := dsUID(t.Errorf, path, "", p["datasource"])
				targets, _ := p["targets"].([]any)
				for _, tg := range targets {
					target, _ := tg.(map[string]any)
					tuid := uid
					if u, ok := dsUID(t.Errorf, path, "", target["datasource"]); ok {
						tuid = u
					}
					if known[tuid] != clickhouseType {
						continue
					}
					where := fmt.Sprintf("%s: panel %q target %v (%s)", path, str(p["title"]), target["refId"], sc.name)
					if ed := str(target["editorType"]); ed != "sql" {
						t.Errorf("%s: editorType %q: raw SQL panels only (\"sql\")", where, ed)
					}
					sql, err := expandQuery(str(target["rawSql"]), byName, wholeRange)
					if err != nil {
						t.Errorf("%s: %v", where, err)
						continue
					}
					r, err := e.run(sql)
					if err != nil {
						t.Errorf("%s: %v", where, err)
						continue
					}
					checked++
					checkShape(t, where, p, r, sc.baseline)
				}
			}
		}
	}
	if checked == 0 {
		t.Error("no ClickHouse panel was run")
	}
}

// checkShape checks that a result is what its panel needs.
func checkShape(t *testing.T, where string, p map[string]any, r result, baseline bool) {
	t.Helper()
	if baseline && len(r.rows) == 0 {
		t.Errorf("%s: no rows on the realistic data", where)
	}
	switch str(p["type"]) {
	case "timeseries", "barchart", "state-timeline", "heatmap":
		if len(r.types) == 0 || !strings.HasPrefix(r.types[0], "DateTime") {
			t.Errorf("%s: a time series' first column must be a DateTime; got %v %v", where, r.names, r.types)
		}
	case "table":
		want := expectedColumns(p)
		if len(want) == 0 {
			t.Errorf("%s: a table panel must name its columns in fieldConfig.overrides (matcher byName)", where)
		}
		for _, c := range want {
			if !slices.Contains(r.names, c) {
				t.Errorf("%s: no column %q (got %v)", where, c, r.names)
			}
		}
	}
}

// TestShapeCheckFails makes sure broken SQL fails: a syntax error, a
// missing column, and a time series without a time column.
func TestShapeCheckFails(t *testing.T) {
	e := newCHEnv(t)
	for _, bad := range []string{"SELECT FROM WHERE", "SELECT no_such_column FROM contributions"} {
		if _, err := e.run(bad); err == nil {
			t.Errorf("%q ran", bad)
		}
	}
	r, err := e.run("SELECT count() AS n FROM contributions")
	if err != nil {
		t.Fatal(err)
	}
	if len(r.types) != 1 || strings.HasPrefix(r.types[0], "DateTime") {
		t.Errorf("types %v", r.types)
	}
}

// entry is one leaderboard line: the API's JSON, or a panel row.
type entry struct {
	Rank   int               `json:"rank"`
	Login  string            `json:"login"`
	Score  float64           `json:"score"`
	Counts map[string]uint64 `json:"counts"`
}

func toFloat(v any) float64 {
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return float64(rv.Int())
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return float64(rv.Uint())
	case reflect.Float32, reflect.Float64:
		return rv.Float()
	}
	return -1
}

func TestLeaderboardPanelMatchesAPI(t *testing.T) {
	e := newCHEnv(t)
	known := provisioned(t)
	const path = "contribtrack-leaderboard.json"
	_, m := readDashboard(t, path)
	var panel map[string]any
	for _, p := range panels(m) {
		if str(p["title"]) == "Leaderboard" {
			panel = p
		}
	}
	if panel == nil {
		t.Fatalf("%s: no panel titled Leaderboard", path)
	}
	target := panel["targets"].([]any)[0].(map[string]any)
	list, byName := e.dashboardVars(t, path, m, known)
	// Other weights and bot rules than the defaults: the panel scores by
	// the rules published, as the API answering by them does.
	custom := customRules()
	accepted := acceptedRules()
	for _, c := range []struct {
		name  string
		vars  map[string][]string
		api   url.Values
		rules *leaderboard.Rules
	}{
		{"whole period", nil, nil, nil},
		{"one org", map[string][]string{"org": {"aws"}}, url.Values{"org": {"aws"}}, nil},
		{"one repository", map[string][]string{"repo": {"awslabs/smithy"}}, url.Values{"repo": {"awslabs/smithy"}}, nil},
		{"one program", map[string][]string{"program": {"aws-community-builders"}}, url.Values{"program": {"aws-community-builders"}}, nil},
		{"one region", map[string][]string{"region": {"emea"}}, url.Values{"region": {"EMEA"}}, nil},
		{"one category", map[string][]string{"category": {"serverless"}}, url.Values{"category": {"Serverless"}}, nil},
		{"two kinds", map[string][]string{"kind": {"commit", "pr_merged"}}, url.Values{"kind": {"commit,pr_merged"}}, nil},
		{"signals", map[string][]string{"kind": {"star", "fork"}}, url.Values{"kind": {"star,fork"}}, nil},
		{"bots included", map[string][]string{"bots": {"include"}}, url.Values{"include_bots": {"true"}}, nil},
		{"configured weights and bots", nil, nil, &custom},
		{"accepted profile", nil, nil, &accepted},
		{"accepted profile, one program", map[string][]string{"program": {"aws-community-builders"}}, url.Values{"program": {"aws-community-builders"}}, &accepted},
		{"accepted profile, two kinds", map[string][]string{"kind": {"pr_opened", "pr_review"}}, url.Values{"kind": {"pr_opened,pr_review"}}, &accepted},
	} {
		t.Run(c.name, func(t *testing.T) {
			rules := defaultRules()
			if c.rules != nil {
				rules = *c.rules
			}
			srv := e.serveRules(t, rules)
			selectVars(list, c.vars)
			// As Grafana reads the variable when the dashboard loads.
			pr, err := e.run("SELECT profile FROM accepted_rules")
			if err != nil || len(pr.rows) != 1 {
				t.Fatalf("the published profile: %v %v", pr.rows, err)
			}
			byName["profile"].values = []string{fmt.Sprint(pr.rows[0][0])}
			lv, err := e.run(str(variableByName(m, "leaderboard_view")["query"]))
			if err != nil || len(lv.rows) != 1 {
				t.Fatalf("the leaderboard's view: %v %v", lv.rows, err)
			}
			byName["leaderboard_view"].values = []string{fmt.Sprint(lv.rows[0][0])}
			if want := map[bool]string{true: "accepted", false: "activity"}[rules.Profile == contrib.ProfileAccepted]; byName["profile"].values[0] != want {
				t.Fatalf("the published profile is %q, want %q", byName["profile"].values[0], want)
			}
			sql, err := expandQuery(str(target["rawSql"]), byName, wholeRange)
			if err != nil {
				t.Fatal(err)
			}
			r, err := e.run(sql)
			if err != nil {
				t.Fatalf("%v\n%s", err, sql)
			}
			panelEntries := leaderboardRows(r)
			q := url.Values{"from": {dataFrom.Format(time.DateOnly)}, "to": {dataTo.Format(time.DateOnly)}, "limit": {"1000"}}
			for k, v := range c.api {
				q[k] = v
			}
			resp, err := srv.Client().Get(srv.URL + "/api/v1/leaderboard?" + q.Encode())
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			var apiEntries []entry
			if err := json.NewDecoder(resp.Body).Decode(&apiEntries); err != nil || resp.StatusCode != 200 {
				t.Fatalf("API: %d %v", resp.StatusCode, err)
			}
			if len(apiEntries) == 0 && c.name != "signals" {
				t.Fatalf("the API's answer is empty: the question checks nothing")
			}
			if !reflect.DeepEqual(normalize(panelEntries), normalize(apiEntries)) {
				t.Errorf("the panel's leaderboard differs from the API's\npanel: %+v\napi:   %+v", panelEntries, apiEntries)
			}
		})
	}
}

// leaderboardRows reads a leaderboard panel's rows as the API's entries:
// rank, login, score and the non-zero counts of its per-kind columns.
func leaderboardRows(r result) []entry {
	out := []entry{}
	for _, row := range r.rows {
		en := entry{Counts: map[string]uint64{}}
		for i, name := range r.names {
			switch {
			case name == "rank":
				en.Rank = int(toFloat(row[i]))
			case name == "login":
				en.Login = row[i].(string)
			case name == "score":
				en.Score = toFloat(row[i])
			case slices.Contains(contrib.Kinds, contrib.Kind(name)):
				if n := toFloat(row[i]); n > 0 {
					en.Counts[name] = uint64(n)
				}
			}
		}
		out = append(out, en)
	}
	return out
}

func normalize(es []entry) []entry {
	out := []entry{}
	for _, e := range es {
		if e.Counts == nil {
			e.Counts = map[string]uint64{}
		}
		out = append(out, e)
	}
	return out
}

func mustJSON(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// TestProjectHealthMatchesAPI: the project health panels that restate an
// API metric (time to merge, time to first response, pony factor) give the
// API's numbers (/api/v1/projects/metrics) for the same question.
func TestProjectHealthMatchesAPI(t *testing.T) {
	e := newCHEnv(t)
	known := provisioned(t)
	const path = "contribtrack-project-health.json"
	_, m := readDashboard(t, path)
	list, byName := e.dashboardVars(t, path, m, known)
	srv := e.serveRules(t, defaultRules())
	panelRow := func(title string) map[string][]float64 {
		t.Helper()
		for _, p := range panels(m) {
			if str(p["title"]) != title {
				continue
			}
			sql, err := expandQuery(str(p["targets"].([]any)[0].(map[string]any)["rawSql"]), byName, wholeRange)
			if err != nil {
				t.Fatal(err)
			}
			r, err := e.run(sql)
			if err != nil {
				t.Fatalf("%s: %v", title, err)
			}
			out := map[string][]float64{}
			for _, row := range r.rows {
				for i, n := range r.names {
					out[n] = append(out[n], toFloat(row[i]))
				}
			}
			return out
		}
		t.Fatalf("%s: no panel %q", path, title)
		return nil
	}
	type durations struct {
		Count  uint64  `json:"count"`
		Median float64 `json:"median_seconds"`
		P90    float64 `json:"p90_seconds"`
	}
	for _, org := range []string{"", "aws"} {
		t.Run("org="+org, func(t *testing.T) {
			for _, v := range list {
				v.all, v.values = v.includeAll, nil
				if !v.includeAll {
					v.values = []string{"exclude"}
				}
				if v.name == "org" && org != "" {
					v.all, v.values = false, []string{org}
				}
			}
			q := url.Values{"from": {dataFrom.Format(time.DateOnly)}, "to": {dataTo.Format(time.DateOnly)}}
			if org != "" {
				q.Set("org", org)
			}
			resp, err := srv.Client().Get(srv.URL + "/api/v1/projects/metrics?" + q.Encode())
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			var got struct {
				PonyFactor  float64    `json:"pony_factor"`
				Merged      float64    `json:"pull_requests_merged"`
				TimeToMerge *durations `json:"time_to_merge"`
				Issues      *durations `json:"time_to_first_response_issues"`
				PRs         *durations `json:"time_to_first_response_pull_requests"`
				IssuesOpen  float64    `json:"issues_opened"`
				PRsOpen     float64    `json:"pull_requests_opened"`
			}
			if err := json.NewDecoder(resp.Body).Decode(&got); err != nil || resp.StatusCode != 200 {
				t.Fatalf("API: %d %v", resp.StatusCode, err)
			}
			if got.TimeToMerge == nil || got.Issues == nil || got.PRs == nil || got.TimeToMerge.Count == 0 {
				t.Fatalf("the API measured nothing: %+v", got)
			}
			tm := panelRow("Time to merge")
			if want := []float64{got.Merged, float64(got.TimeToMerge.Count), got.TimeToMerge.Median, got.TimeToMerge.P90}; !reflect.DeepEqual([]float64{tm["merged"][0], tm["timed"][0], tm["p50"][0], tm["p90"][0]}, want) {
				t.Errorf("time to merge: panel %v, API %v", tm, want)
			}
			fr := panelRow("Time to first response")
			want := map[string][]float64{
				"opened":    {got.IssuesOpen, got.PRsOpen},
				"responded": {float64(got.Issues.Count), float64(got.PRs.Count)},
				"p50":       {got.Issues.Median, got.PRs.Median},
				"p90":       {got.Issues.P90, got.PRs.P90},
			}
			for k, w := range want {
				if !reflect.DeepEqual(fr[k], w) {
					t.Errorf("time to first response %s: panel %v, API %v", k, fr[k], w)
				}
			}
			if pf := panelRow("Pony factor"); pf["pony_factor"][0] != got.PonyFactor {
				t.Errorf("pony factor: panel %v, API %v", pf["pony_factor"], got.PonyFactor)
			}
		})
	}
}

// defaultRules are the scoring rules of the default configuration.
func defaultRules() leaderboard.Rules {
	cfg := config.Default()
	return leaderboard.Rules{Weights: cfg.Weights(), BotRegex: cfg.BotRegex(), HumanRegex: cfg.HumanRegex()}
}

// customRules are other weights and bot rules than the defaults: the first
// realistic login is a bot by the rule, the second saved by the human one.
func customRules() leaderboard.Rules {
	r := defaultRules()
	r.Weights = maps.Clone(r.Weights)
	r.Weights[contrib.Commit], r.Weights[contrib.PRMerged], r.Weights[contrib.IssueComment] = 5, 0.25, 0
	r.BotRegex = "(?i)^(?:.*\\[bot\\]|" + realisticLogins[0] + "|" + realisticLogins[1] + ")$"
	r.HumanRegex = "(?i)^(?:" + realisticLogins[1] + ")$"
	return r
}

// acceptedRules are the default configuration's rules under the accepted
// scoring profile, with its default settings.
func acceptedRules() leaderboard.Rules {
	cfg := config.Default()
	cfg.Scoring.Profile = contrib.ProfileAccepted
	return leaderboard.Configured(cfg)
}

// serveRules publishes rules, as migrate and serve do, and serves the API
// answering by them.
func (e *chEnv) serveRules(t *testing.T, rules leaderboard.Rules) *httptest.Server {
	t.Helper()
	if err := e.store.PublishRules(context.Background(), rules); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(api.New(api.Options{Store: e.store, Rules: rules}))
	t.Cleanup(srv.Close)
	return srv
}

// selectVars sets every variable to All (a variable without All to
// "exclude", the bots variable's default), then those chosen to their
// values.
func selectVars(list []*tplVar, chosen map[string][]string) {
	for _, v := range list {
		if v.includeAll {
			v.all, v.values = true, nil
		} else {
			v.all, v.values = false, []string{"exclude"}
		}
		if vals, ok := chosen[v.name]; ok {
			v.all, v.values = false, vals
		}
	}
}

// variableByName is the dashboard's template variable of that name.
func variableByName(m map[string]any, name string) map[string]any {
	for _, v := range variables(m) {
		if str(v["name"]) == name {
			return v
		}
	}
	return nil
}
