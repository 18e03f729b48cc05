package gharchive

import (
	"bufio"
	"bytes"
	stdjson "encoding/json"
	"io"
	"os"
	"testing"

	"github.com/klauspost/compress/gzip"

	"contribtrack/internal/testing/fixtures"
)

func fixtureLines(b *testing.B) [][]byte {
	f, err := os.Open(fixtures.Path(b, "gharchive/2015-01-01-12.json.gz"))
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	zr, _ := gzip.NewReader(f)
	data, _ := io.ReadAll(zr)
	var lines [][]byte
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, 64<<20)
	for sc.Scan() {
		lines = append(lines, append([]byte(nil), sc.Bytes()...))
	}
	b.SetBytes(int64(len(data)))
	return lines
}

// BenchmarkDecodeGoccy decodes every event of the fixture hour the way the
// importer does; BenchmarkDecodeStd is the encoding/json baseline that the
// choice of goccy/go-json is measured against (about 8x here; bytedance/sonic
// measured 0.63x of goccy on this struct and was dropped).
func BenchmarkDecodeGoccy(b *testing.B) {
	lines := fixtureLines(b)
	var d decoder
	var ev event
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, l := range lines {
			if err := d.decodeAPI(l, &ev); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkDecodeStd is the encoding/json baseline.
func BenchmarkDecodeStd(b *testing.B) {
	lines := fixtureLines(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, l := range lines {
			var a apiEvent
			if err := stdjson.Unmarshal(l, &a); err != nil {
				b.Fatal(err)
			}
		}
	}
}
