package reliability

import (
	"context"
	"fmt"
	"net/http"
	"path/filepath"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"

	"contribtrack/internal/githubtest"
	"contribtrack/internal/githubtest/ghdata"
	"contribtrack/internal/localch"
)

// testKillClickHouse kills (kill -9) a ClickHouse of its own in the
// middle of an import (at a random moment) or of a collect (after a
// random number of requests), alternately; starts it again at once; waits
// for the command to end (failed, or done once the server was back); runs
// the command again and compares with a clean import or the ground truth.
func testKillClickHouse(t *testing.T) {
	n := trials(2, 6)
	dir := filepath.Join(st.tmp, "clickhouse-killed")
	ctx := context.Background()
	inst, err := localch.Ensure(ctx, dir, warnings)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = localch.Stop(dir) }()
	inputs := importInputs(t)
	_, want, _, took := cleanImport(t, inputs)
	g := newGHServer(t, ghdata.Generate(spec(18)), githubtest.Options{})
	r := &row{experiment: "ClickHouse killed mid-import and mid-collect; restart; run again", trials: strconv.Itoa(n)}
	exact := 0
	for i := 0; i < n; i++ {
		db := fmt.Sprintf("rel_chkill_%d", i)
		var p *proc
		var moment string
		if i%2 == 0 {
			at := time.Duration(rng.Int64N(int64(took) * 9 / 10))
			moment = fmt.Sprintf("import, %s in", at.Round(time.Millisecond))
			p = command(t, nil, append([]string{"--clickhouse", inst.DSN(db), "import", "gharchive", "--all"}, inputs...)...)
			p.start(t)
			time.Sleep(at) // the random moment
		} else {
			at := 5 + rng.Int64N(70)
			moment = fmt.Sprintf("collect, at request %d", at)
			reached := make(chan struct{})
			var once sync.Once
			g.requests.Store(0)
			g.setHook(func(n int64, _ *http.Request) {
				if n >= at {
					once.Do(func() { close(reached) })
				}
			})
			p = g.collect(t, inst.DSN(db))
			p.start(t)
			select {
			case <-reached:
			case <-p.done:
			}
			g.setHook(nil)
		}
		if err := syscall.Kill(inst.PID, syscall.SIGKILL); err != nil {
			t.Fatalf("killing ClickHouse pid %d: %v", inst.PID, err)
		}
		if inst, err = localch.Ensure(ctx, dir, warnings); err != nil {
			t.Fatalf("starting ClickHouse again: %v", err)
		}
		<-p.done // failed, or finished once the server was back
		status := "exit 0"
		if p.cmd.ProcessState.ExitCode() != 0 {
			status = fmt.Sprintf("exit %d: %s", p.cmd.ProcessState.ExitCode(), tail(p.stderr.String(), 1))
		}
		var again *proc
		var check func() string
		if i%2 == 0 {
			again = command(t, nil, append([]string{"--clickhouse", inst.DSN(db), "import", "gharchive", "--all"}, inputs...)...)
			check = func() string { return diff(dump(t, inst.DSN(db)), want) }
		} else {
			again = g.collect(t, inst.DSN(db))
			check = func() string { return g.checkTruth(t, inst.DSN(db)) }
		}
		desc := fmt.Sprintf("trial %d: killed during %s; the command: %s", i+1, moment, status)
		if err := again.cmd.Run(); err != nil {
			desc += fmt.Sprintf("; running it again failed: %v: %s", err, tail(again.stderr.String(), 3))
		} else if d := check(); d != "" {
			desc += "; not exact: " + d
		} else {
			exact++
			desc += "; exact after running it again"
		}
		r.details = append(r.details, desc)
	}
	r.ok = exact == n
	r.result = fmt.Sprintf("%d of %d exact", exact, n)
	record(t, r)
}
