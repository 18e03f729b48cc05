package gharchive_test

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/klauspost/compress/gzip"

	"contribtrack/internal/bots"
	"contribtrack/internal/gharchive"
	"contribtrack/internal/ingest"
	"contribtrack/internal/store"
	"contribtrack/internal/testing/chtest"
	"contribtrack/internal/testing/fixtures"
)

// BenchmarkImportVsClickHouseClient imports the fixture hour repeated 8
// times (66,184 events, distinct ids) through the whole import path
// (decompress, decode, normalise, insert into ClickHouse 26.x) and, in the
// same run, the baseline: zcat FILE piped into the same server's HTTP
// interface as INSERT ... FORMAT JSONEachRow (what `zcat FILE | curl
// --data-binary @- ...` or clickhouse-client does) into a 4-column table.
// It reports both times, their ratio, the same import into ClickHouse 18.16
// (to show what changed), and the peak live heap of importing the 1x, 8x
// and 16x files (memory must not grow with the file).
func BenchmarkImportVsClickHouseClient(b *testing.B) {
	fixture := fixtures.Path(b, "gharchive/2015-01-01-12.json.gz")
	zcat, err := exec.LookPath("zcat")
	if err != nil {
		b.Skip("zcat not installed: no baseline")
	}
	dir := b.TempDir()
	one := filepath.Join(dir, "x1.json.gz")
	eight := filepath.Join(dir, "x8.json.gz")
	if n := repeatWithDistinctIDs(b, fixture, one, 1); n != 8273 {
		b.Fatalf("x1 has %d events", n)
	}
	if n := repeatWithDistinctIDs(b, fixture, eight, 8); n != 66184 {
		b.Fatalf("x8 has %d events", n)
	}
	sixteen := filepath.Join(dir, "x16.json.gz")
	repeatWithDistinctIDs(b, fixture, sixteen, 16)
	dsn, dbName := chtest.Database(b)
	httpBase := chtest.ServerHTTP(b)
	ctx := context.Background()
	s := migrated(b, dsn, false)
	defer s.Close()
	if err := s.Conn().Exec(ctx, "CREATE TABLE t (id String, type String, created_at String, public UInt8) ENGINE = MergeTree ORDER BY tuple()"); err != nil {
		b.Fatal(err)
	}
	legacyDSN, _, _ := chtest.LegacyDatabase(b)
	legacy := migrated(b, legacyDSN, true)
	defer legacy.Close()

	signals := true // the bot signals noted and stored, as import runs
	importOnce := func(st *store.Store, path string) (time.Duration, uint64) {
		stop := sampleHeap()
		start := time.Now()
		opts := gharchive.Options{Selector: gharchive.NewSelector(true, nil, nil)}
		if signals {
			opts.Behaviour = func(ctx context.Context, input string, ev []bots.Evidence) error {
				return ingest.RecordBehaviour(ctx, st, input, ev)
			}
		}
		stats, err := gharchive.Read(ctx, []gharchive.Input{gharchive.FileInput(path)}, opts, st.Insert)
		took := time.Since(start)
		peak := stop()
		if err != nil || len(stats.Broken) > 0 || stats.Malformed > 0 {
			b.Fatalf("import: %v %v %d", err, stats.Broken, stats.Malformed)
		}
		return took, peak
	}
	insertURL := httpBase + "/?" + url.Values{
		"database":                         {dbName},
		"input_format_skip_unknown_fields": {"1"},
		"query":                            {"INSERT INTO t (id, type, created_at, public) FORMAT JSONEachRow"},
	}.Encode()
	baselineOnce := func() time.Duration {
		start := time.Now()
		cmd := exec.Command(zcat, eight)
		out, err := cmd.StdoutPipe()
		if err != nil {
			b.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			b.Fatal(err)
		}
		resp, err := http.Post(insertURL, "application/x-ndjson", out)
		if err != nil {
			b.Fatalf("baseline: %v", err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err := cmd.Wait(); err != nil || resp.StatusCode != http.StatusOK {
			b.Fatalf("baseline: zcat %v, HTTP %s: %s", err, resp.Status, body)
		}
		return time.Since(start)
	}

	defer debug.SetGCPercent(debug.SetGCPercent(gharchive.GCPercent)) // as the import command runs
	_, peak1 := importOnce(s, one)                                    // warms up the server and the page cache too
	_, peak16 := importOnce(s, sixteen)
	importOnce(legacy, one)
	var ours, base, old, plain time.Duration
	var peak8 uint64
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		d, p := importOnce(s, eight)
		ours += d
		if p > peak8 {
			peak8 = p
		}
		base += baselineOnce()
		d, _ = importOnce(legacy, eight)
		old += d
		signals = false
		d, _ = importOnce(s, eight)
		plain += d
		signals = true
	}
	b.StopTimer()
	var rows uint64
	if err := s.Conn().QueryRow(ctx, "SELECT count() FROM t").Scan(&rows); err != nil || rows != uint64(66184*(b.N)) {
		b.Fatalf("baseline stored %d rows (%v), want %d", rows, err, 66184*b.N)
	}
	oursS := ours.Seconds() / float64(b.N)
	baseS := base.Seconds() / float64(b.N)
	b.ReportMetric(oursS, "contribtrack-s")
	b.ReportMetric(baseS, "zcat-http-s")
	b.ReportMetric(baseS/oursS, "speedup")
	b.ReportMetric(float64(peak1)/(1<<20), "peak-live-heap-1x-MiB")
	b.ReportMetric(float64(peak8)/(1<<20), "peak-live-heap-8x-MiB")
	b.ReportMetric(float64(peak16)/(1<<20), "peak-live-heap-16x-MiB")
	b.Logf("GOMAXPROCS=%d, ClickHouse %s: contribtrack %.3fs, zcat|INSERT over HTTP %.3fs, ratio %.2f (goal >= 1.5); peak live heap 1x %.1f MiB, 8x %.1f MiB, 16x %.1f MiB",
		runtime.GOMAXPROCS(0), serverVersion(b, s), oursS, baseS, baseS/oursS, float64(peak1)/(1<<20), float64(peak8)/(1<<20), float64(peak16)/(1<<20))
	oldS := old.Seconds() / float64(b.N)
	b.ReportMetric(oldS, "contribtrack-18.16-s")
	b.Logf("the same import into ClickHouse %s: %.3fs (%.2fx the 26.x import's time)", serverVersion(b, legacy), oldS, oldS/oursS)
	plainS := plain.Seconds() / float64(b.N)
	b.ReportMetric(plainS, "contribtrack-no-bot-signals-s")
	b.Logf("the same import without noting the bot signals (docs/bots.md): %.3fs; the signals take %.0f%% of the import's time", plainS, 100*(oursS-plainS)/oursS)
}

// migrated opens and migrates a database; old lets the store run on a
// release older than it supports (18.16, measured only to compare).
func migrated(b *testing.B, dsn string, old bool) *store.Store {
	b.Helper()
	s, err := store.Open(context.Background(), dsn)
	if err != nil {
		b.Fatal(err)
	}
	if old {
		s.AllowUnsupportedServer()
	}
	if _, err := s.Migrate(context.Background()); err != nil {
		s.Close()
		b.Fatal(err)
	}
	return s
}

func serverVersion(b *testing.B, s *store.Store) string {
	var v string
	if err := s.Conn().QueryRow(context.Background(), "SELECT version()").Scan(&v); err != nil {
		b.Fatal(err)
	}
	return v
}

// repeatWithDistinctIDs writes the fixture n times into a gzip file, giving
// each copy's events distinct ids, and returns the number of events.
func repeatWithDistinctIDs(b *testing.B, src, dst string, n int) int {
	raw, err := os.Open(src)
	if err != nil {
		b.Fatal(err)
	}
	defer raw.Close()
	zr, err := gzip.NewReader(raw)
	if err != nil {
		b.Fatal(err)
	}
	data, err := io.ReadAll(zr)
	if err != nil {
		b.Fatal(err)
	}
	out, err := os.Create(dst)
	if err != nil {
		b.Fatal(err)
	}
	defer out.Close()
	zw := gzip.NewWriter(out)
	count := 0
	idKey := []byte(`{"id":"`)
	for copyNo := 0; copyNo < n; copyNo++ {
		sc := bufio.NewScanner(bytes.NewReader(data))
		sc.Buffer(make([]byte, 0, 1<<20), 64<<20)
		for sc.Scan() {
			line := sc.Bytes()
			if !bytes.HasPrefix(line, idKey) {
				b.Fatalf("line without a leading id: %.60s", line)
			}
			// "2489582589" -> "2489582589" + copy number: distinct per copy.
			end := bytes.IndexByte(line[len(idKey):], '"') + len(idKey)
			zw.Write(line[:end])
			zw.Write([]byte(strconv.Itoa(copyNo)))
			zw.Write(line[end:])
			zw.Write([]byte{'\n'})
			count++
		}
	}
	if err := zw.Close(); err != nil {
		b.Fatal(err)
	}
	return count
}

// sampleHeap samples, every millisecond until the returned function is
// called, the live heap as of the last garbage collection
// (/gc/heap/live:bytes): what the import really holds, without the garbage
// that GC pacing lets accumulate. It returns the peak.
func sampleHeap() func() uint64 {
	runtime.GC()
	var peak atomic.Uint64
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
		t := time.NewTicker(time.Millisecond)
		defer t.Stop()
		for {
			metrics.Read(sample)
			if v := sample[0].Value.Uint64(); v > peak.Load() {
				peak.Store(v)
			}
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	}()
	return func() uint64 { close(done); wg.Wait(); return peak.Load() }
}
