package cli

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"contribtrack/internal/api"
	"contribtrack/internal/config"
	"contribtrack/internal/githubtest/ghdata"
	"contribtrack/internal/leaderboard"
	"contribtrack/internal/metrics"
	"contribtrack/internal/store"
	"contribtrack/internal/testing/chtest"
	"contribtrack/internal/testing/fixtures"
)

// madeAt matches what differs between two runs of the same report: when
// it was made.
var madeAt = regexp.MustCompile(`"generated_at": "[^"]*"`)

// TestClusterMatchesOneNode loads the same GH Archive fixtures and roster
// into one server and into the two-shard cluster (cluster: in the
// configuration; 26.x servers, sharded and not replicated), and compares
// what the CLI and the API answer.
func TestClusterMatchesOneNode(t *testing.T) {
	c, clusterDSN, name := chtest.ClusterDatabase(t)
	single := lbMigratedDB(t)
	cfg := lbConfigFile(t, "cluster: "+chtest.ClusterName+"\nclickhouse: "+clusterDSN+"\n")
	onCluster := func(args ...string) []string { return append([]string{"--config", cfg}, args...) }
	onNode := func(args ...string) []string { return append([]string{"--clickhouse", single}, args...) }
	if code, _, stderr := lbRun(t, onCluster("migrate")...); code != 0 {
		t.Fatalf("migrate on the cluster: exit %d\n%s", code, stderr)
	}
	hour := fixtures.Path(t, "gharchive/2015-01-01-12.json.gz")
	sample := fixtures.Path(t, "gharchive/gofaster-sample.small.2014-2021.jsonl")
	for _, where := range []func(...string) []string{onCluster, onNode} {
		for _, args := range [][]string{
			{"import", "gharchive", "--all", hour, sample},
			{"import", "gharchive", "--all", hour}, // twice: counted once
			{"roster", "import", "../../examples/roster.yaml", "../../examples/identities.yaml"},
		} {
			if code, _, stderr := lbRun(t, where(args...)...); code != 0 {
				t.Fatalf("%v: exit %d\n%s", where(args...), code, stderr)
			}
		}
	}
	// Both shards hold a part of the sightings.
	for i := range c.Nodes {
		s, err := store.Open(context.Background(), c.NodeDSN(i, name))
		if err != nil {
			t.Fatal(err)
		}
		var n uint64
		if err := s.Conn().QueryRow(context.Background(), "SELECT count() FROM contributions_local").Scan(&n); err != nil || n == 0 {
			t.Errorf("shard %d holds %d sightings (%v)", i+1, n, err)
		}
		s.Close()
	}
	for _, args := range [][]string{
		{"leaderboard", "--from", "2011-01-01", "--to", "2022-01-01", "--limit", "200", "--format", "json"},
		{"leaderboard", "--from", "2015-01-01", "--to", "2015-01-02", "--kind", "pr_opened,issue_comment", "--format", "csv"},
		{"share", "--from", "2011-01-01", "--to", "2022-01-01", "--format", "json"},
		{"report", "--from", "2015-01-01", "--to", "2015-01-02", "--format", "json"},
		{"report", "--from", "2014-01-01", "--to", "2022-01-01", "--format", "md", "--org", "golang"},
	} {
		code, want, stderr := lbRun(t, onNode(args...)...)
		if code != 0 {
			t.Fatalf("one node %v: exit %d\n%s", args, code, stderr)
		}
		code, got, stderr := lbRun(t, onCluster(args...)...)
		if code != 0 {
			t.Fatalf("cluster %v: exit %d\n%s", args, code, stderr)
		}
		want, got = madeAt.ReplaceAllString(want, ""), madeAt.ReplaceAllString(got, "")
		if len(want) < 200 {
			t.Errorf("%v: a short answer %q", args, want)
		}
		if d := cmp.Diff(want, got); d != "" {
			t.Errorf("%v: the cluster answers differently (-node +cluster):\n%s", args, d)
		}
	}

	// The API over each.
	ctx := context.Background()
	serve := func(dsn string, layout store.Layout) string {
		s, err := store.OpenWith(ctx, dsn, layout)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		c := config.Default()
		srv := httptest.NewServer(api.New(api.Options{Store: s,
			Rules: leaderboard.Rules{Weights: c.Weights(), BotRegex: c.BotRegex(), HumanRegex: c.HumanRegex()}}))
		t.Cleanup(srv.Close)
		return srv.URL
	}
	node, cluster := serve(single, store.Layout{}), serve(clusterDSN, store.Layout{Cluster: chtest.ClusterName})
	for _, path := range []string{
		"/api/v1/leaderboard?from=2011-01-01&to=2022-01-01&limit=50",
		"/api/v1/projects/metrics?from=2015-01-01&to=2015-01-02",
		"/api/v1/projects?from=2014-01-01&to=2022-01-01&by=org",
		"/api/v1/reports?from=2015-01-01&to=2015-01-02&format=csv",
	} {
		get := func(base string) string {
			resp, err := http.Get(base + path)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			b, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("%s: %d %s", path, resp.StatusCode, b)
			}
			return string(b)
		}
		if d := cmp.Diff(get(node), get(cluster)); d != "" {
			t.Errorf("%s: the cluster answers differently (-node +cluster):\n%s", path, d)
		}
	}
}

// TestImportWithAShardDown: an import while a shard is down fails and says
// so, keeps what it stored; once the shard is back, importing again gives
// exactly one node's totals.
func TestImportWithAShardDown(t *testing.T) {
	c, clusterDSN, _ := chtest.PrivateCluster(t)
	single := lbMigratedDB(t)
	cfg := lbConfigFile(t, "cluster: "+chtest.ClusterName+"\nclickhouse: "+clusterDSN+"\n")
	onCluster := func(args ...string) []string { return append([]string{"--config", cfg}, args...) }
	if code, _, stderr := lbRun(t, onCluster("migrate")...); code != 0 {
		t.Fatalf("migrate on the cluster: exit %d\n%s", code, stderr)
	}
	hour := fixtures.Path(t, "gharchive/2015-01-01-12.json.gz")
	if code, _, stderr := lbRun(t, "--clickhouse", single, "import", "gharchive", "--all", hour); code != 0 {
		t.Fatalf("import on one node: exit %d\n%s", code, stderr)
	}
	if err := c.StopNode(1); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := lbRun(t, onCluster("import", "gharchive", "--all", hour)...)
	if code == 0 {
		t.Fatalf("import with shard 2 down succeeded:\n%s", stderr)
	}
	t.Logf("import with a shard down: exit %d\n%s", code, stderr)

	// Meanwhile readiness and metrics name the node that is down, and a
	// question fails clearly.
	ctx := context.Background()
	s, err := store.OpenWith(ctx, clusterDSN, store.Layout{Cluster: chtest.ClusterName})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	m := metrics.NewWithoutRuntime()
	m.WatchNodes(func(ctx context.Context) ([]metrics.Node, error) {
		nodes, err := s.Nodes(ctx)
		out := make([]metrics.Node, len(nodes))
		for i, n := range nodes {
			out[i] = metrics.Node{Shard: n.Shard, Replica: n.Replica, Address: n.Address, Up: n.Up}
		}
		return out, err
	})
	dc := config.Default()
	srv := httptest.NewServer(api.New(api.Options{Store: s, Metrics: m.Handler(),
		Rules: leaderboard.Rules{Weights: dc.Weights(), BotRegex: dc.BotRegex(), HumanRegex: dc.HumanRegex()}}))
	defer srv.Close()
	fetch := func(path string) (int, string) {
		resp, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	down := c.Nodes[1].Addr()
	if status, body := fetch("/readyz"); status != http.StatusServiceUnavailable || !strings.Contains(body, "no node of shard [2] answers") ||
		!strings.Contains(body, `"address": "`+down+`",`) {
		t.Errorf("readyz with shard 2 down: %d %s", status, body)
	}
	if _, body := fetch("/metrics"); !strings.Contains(body, `contribtrack_clickhouse_node_up{address="`+down+`",replica="1",shard="2"} 0`) ||
		!strings.Contains(body, `contribtrack_clickhouse_node_up{address="`+c.Nodes[0].Addr()+`",replica="1",shard="1"} 1`) {
		t.Errorf("metrics with shard 2 down:\n%s", body)
	}
	if status, body := fetch("/api/v1/leaderboard?from=2015-01-01&to=2015-01-02"); status != http.StatusServiceUnavailable {
		t.Errorf("a leaderboard with shard 2 down: %d %s", status, body)
	}

	if err := c.StartNode(context.Background(), 1); err != nil {
		t.Fatal(err)
	}
	if status, body := fetch("/readyz"); status != http.StatusOK || strings.Contains(body, `"up": false`) {
		t.Errorf("readyz with every shard back: %d %s", status, body)
	}
	if code, _, stderr := lbRun(t, onCluster("import", "gharchive", "--all", hour)...); code != 0 {
		t.Fatalf("import once the shard is back: exit %d\n%s", code, stderr)
	}
	args := []string{"leaderboard", "--from", "2015-01-01", "--to", "2015-01-02", "--limit", "10000", "--format", "csv", "--include-bots"}
	_, want, _ := lbRun(t, append([]string{"--clickhouse", single}, args...)...)
	_, got, stderr := lbRun(t, onCluster(args...)...)
	if len(want) < 1000 {
		t.Fatalf("one node's leaderboard: %q", want)
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("after the shard came back, the cluster's totals differ (-node +cluster):\n%s\n%s", d, stderr)
	}
}

// syncedAt matches what differs between two collections of the same org:
// when they ran.
var syncedAt = regexp.MustCompile(`"(generated_at|last_sync)": "[^"]*"`)

// TestClusterCollectMatchesOneNode collects the test server's org into
// one server, and into the cluster with two collectors sharing the work
// (github.shared); leaderboards, reports and the project metrics agree.
func TestClusterCollectMatchesOneNode(t *testing.T) {
	ds := ghdata.Generate(ghdata.SmallSpec(12))
	srv := collectServer(t, ds)
	_, clusterDSN, _ := chtest.ClusterDatabase(t)
	single := lbMigratedDB(t)
	getenv := collectEnv(map[string]string{"GITHUB_TOKEN": "ghp_cli_test_token"})
	run := func(args ...string) (int, string, string) {
		var out, errOut bytes.Buffer
		code := Main(args, &out, &errOut, getenv)
		return code, out.String(), errOut.String()
	}
	nodeCfg := lbConfigFile(t, "orgs: [aws-samples, cdklabs]\n")
	clusterCfg := lbConfigFile(t, "orgs: [aws-samples, cdklabs]\ngithub:\n  shared: true\ncluster: "+chtest.ClusterName+"\nclickhouse: "+clusterDSN+"\n")
	if code, _, stderr := run("--clickhouse", single, "--config", nodeCfg, "collect", "--github-url", srv.URL); code != 0 {
		t.Fatalf("collect into one server: exit %d\n%s", code, stderr)
	}
	if code, _, stderr := run("--config", clusterCfg, "migrate"); code != 0 {
		t.Fatalf("migrate the cluster: exit %d\n%s", code, stderr)
	}
	var wg sync.WaitGroup
	codes, logs := make([]int, 2), make([]string, 2)
	for i := range codes {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			codes[i], _, logs[i] = run("--config", clusterCfg, "collect", "--github-url", srv.URL)
		}(i)
	}
	wg.Wait()
	for i, code := range codes {
		if code != 0 {
			t.Fatalf("collector %d on the cluster: exit %d\n%s", i+1, code, logs[i])
		}
	}
	if !strings.Contains(logs[0]+logs[1], "synced by another collector") {
		t.Errorf("the two collectors did not share the work:\n%s\n%s", logs[0], logs[1])
	}
	for _, args := range [][]string{
		{"leaderboard", "--from", "2000-01-01", "--to", "2100-01-01", "--include-bots", "--limit", "10000", "--format", "json"},
		{"report", "--from", "2000-01-01", "--to", "2100-01-01", "--format", "json", "--org", "aws-samples"},
		{"share", "--from", "2000-01-01", "--to", "2100-01-01", "--format", "json"},
	} {
		code, want, stderr := run(append([]string{"--clickhouse", single, "--config", nodeCfg}, args...)...)
		if code != 0 {
			t.Fatalf("one server %v: exit %d\n%s", args, code, stderr)
		}
		code, got, stderr := run(append([]string{"--config", clusterCfg}, args...)...)
		if code != 0 {
			t.Fatalf("cluster %v: exit %d\n%s", args, code, stderr)
		}
		want, got = syncedAt.ReplaceAllString(want, ""), syncedAt.ReplaceAllString(got, "")
		if len(want) < 200 {
			t.Errorf("%v: a short answer %q", args, want)
		}
		if d := cmp.Diff(want, got); d != "" {
			t.Errorf("%v: the cluster answers differently (-node +cluster):\n%s", args, d)
		}
	}
}
