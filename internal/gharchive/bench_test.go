package gharchive_test

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
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

	"contribtrack/internal/gharchive"
	"contribtrack/internal/store"
	"contribtrack/internal/testing/chtest"
	"contribtrack/internal/testing/fixtures"
)

// BenchmarkImportVsClickHouseClient imports the fixture hour repeated 8
// times (66,184 events, distinct ids) through the whole import path
// (decompress, decode, normalise, insert into ClickHouse) and, in the same
// run, the baseline: zcat FILE | clickhouse-client ... FORMAT JSONEachRow
// into a 4-column table. It reports both times, their ratio, and the peak
// live heap of importing the 1x, 8x and 16x files (memory must not grow
// with the file).
func BenchmarkImportVsClickHouseClient(b *testing.B) {
	fixture := fixtures.Path(b, "gharchive/2015-01-01-12.json.gz")
	client, err := exec.LookPath("clickhouse-client")
	if err != nil {
		b.Skip("clickhouse-client not installed: no baseline")
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
	ctx := context.Background()
	s, err := store.Open(ctx, dsn)
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	if _, err := s.Migrate(ctx); err != nil {
		b.Fatal(err)
	}
	if err := s.Conn().Exec(ctx, "CREATE TABLE t (id String, type String, created_at String, public UInt8) ENGINE = MergeTree ORDER BY tuple()"); err != nil {
		b.Fatal(err)
	}
	u, _ := url.Parse(dsn)
	port := u.Port()

	importOnce := func(path string) (time.Duration, uint64) {
		stop := sampleHeap()
		start := time.Now()
		st, err := gharchive.Read(ctx, []gharchive.Input{gharchive.FileInput(path)},
			gharchive.Options{Selector: gharchive.NewSelector(true, nil, nil)}, s.Insert)
		took := time.Since(start)
		peak := stop()
		if err != nil || len(st.Broken) > 0 || st.Malformed > 0 {
			b.Fatalf("import: %v %v %d", err, st.Broken, st.Malformed)
		}
		return took, peak
	}
	baselineOnce := func() time.Duration {
		cmd := exec.Command("bash", "-c", fmt.Sprintf(
			`zcat %q | %q --port %s --database %s --input_format_skip_unknown_fields=1 --query "INSERT INTO t (id, type, created_at, public) FORMAT JSONEachRow"`,
			eight, client, port, dbName))
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		start := time.Now()
		if err := cmd.Run(); err != nil {
			b.Fatalf("baseline: %v: %s", err, stderr.String())
		}
		return time.Since(start)
	}

	defer debug.SetGCPercent(debug.SetGCPercent(gharchive.GCPercent)) // as the import command runs
	_, peak1 := importOnce(one)                                       // warms up the server and the page cache too
	_, peak16 := importOnce(sixteen)
	var ours, base time.Duration
	var peak8 uint64
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		d, p := importOnce(eight)
		ours += d
		if p > peak8 {
			peak8 = p
		}
		base += baselineOnce()
	}
	b.StopTimer()
	var rows uint64
	if err := s.Conn().QueryRow(ctx, "SELECT count() FROM t").Scan(&rows); err != nil || rows != uint64(66184*(b.N)) {
		b.Fatalf("baseline stored %d rows (%v), want %d", rows, err, 66184*b.N)
	}
	oursS := ours.Seconds() / float64(b.N)
	baseS := base.Seconds() / float64(b.N)
	b.ReportMetric(oursS, "contribtrack-s")
	b.ReportMetric(baseS, "clickhouse-client-s")
	b.ReportMetric(baseS/oursS, "speedup")
	b.ReportMetric(float64(peak1)/(1<<20), "peak-live-heap-1x-MiB")
	b.ReportMetric(float64(peak8)/(1<<20), "peak-live-heap-8x-MiB")
	b.ReportMetric(float64(peak16)/(1<<20), "peak-live-heap-16x-MiB")
	b.Logf("GOMAXPROCS=%d: contribtrack %.3fs, zcat|clickhouse-client %.3fs, ratio %.2f; peak live heap 1x %.1f MiB, 8x %.1f MiB, 16x %.1f MiB",
		runtime.GOMAXPROCS(0), oursS, baseS, baseS/oursS, float64(peak1)/(1<<20), float64(peak8)/(1<<20), float64(peak16)/(1<<20))
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
