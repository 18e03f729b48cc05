package gharchive

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"runtime"
	"sort"
	"sync"

	json "github.com/goccy/go-json"
	"github.com/klauspost/compress/gzip"

	"contribtrack/internal/bots"
	"contribtrack/internal/contrib"
)

// Input is one GH Archive file to read: a local path or a URL.
type Input struct {
	Name string // shown in messages: the path or the URL
	// Open returns the file's bytes (gzip-compressed or plain JSON lines)
	// and its size in bytes, or -1 when unknown.
	Open func(ctx context.Context) (io.ReadCloser, int64, error)
}

// Options tunes Read. The zero value is usable except for Selector, which
// keeps nothing unless set.
type Options struct {
	Selector  Selector
	BatchSize int               // contributions per call to the sink (default 20,000)
	Workers   int               // decoding goroutines (default GOMAXPROCS-1, at least 1)
	BlockSize int               // bytes of decompressed input per work item (default 1 MiB)
	Progress  func(delta int64) // called with compressed bytes read, may be nil
	EmailKey  contrib.EmailKey  // what email identities are derived with
	Observer  Observer          // told about events, stored batches and hours (for metrics), may be nil
	// KnownDefaultBranches are repositories' default branches known from
	// elsewhere (the GitHub API, as the collector last saw them), by
	// repository id, may be nil. A push to that branch counts like one to
	// main or master: unless an event of the import named another default
	// branch (see branches.go).
	KnownDefaultBranches map[uint64]string
	// Behaviour, when set, is given what the accounts did in each input
	// (bots.Evidence of the accounts that showed a bot signal or opened a
	// pull request), once the input is read, inputs in order; an error
	// stops the import.
	Behaviour func(ctx context.Context, input string, evidence []bots.Evidence) error
}

// Sink stores a batch of contributions. Read calls it from one goroutine.
type Sink func(ctx context.Context, batch []contrib.Contribution) error

// GCPercent is the garbage-collection target an import runs with
// (debug.SetGCPercent). Decoding allocates a lot of short-lived memory while
// the live heap stays small and bounded, so collecting half as often saves
// about 7% of import time for about 20 MiB more peak heap (measured by
// BenchmarkImportVsClickHouseClient).
const GCPercent = 200

// maxSamples is how many malformed lines a summary shows.
const maxSamples = 5

// LineError is one malformed line.
type LineError struct {
	Input string
	Line  int64
	Err   string
}

func (e LineError) String() string { return fmt.Sprintf("%s:%d: %s", e.Input, e.Line, e.Err) }

// Stats is what Read saw.
type Stats struct {
	Inputs           int
	Events           int64
	Kinds            map[contrib.Kind]int64 // contributions and signals read, by kind
	Skipped          map[string]int64       // events (or commits) skipped, by reason
	Malformed        int64
	MalformedSamples []LineError // the first few malformed lines
	// Broken are the inputs that could not be read to their end, or that
	// held no valid event (ErrNoEvents: an empty file, or nothing but
	// malformed lines; no GH Archive hour is empty).
	Broken []error
}

// ErrNoEvents marks an input without a valid event.
var ErrNoEvents = errors.New("no valid GH Archive event in it (empty, or not GH Archive JSON)")

func newStats() Stats {
	return Stats{Kinds: map[contrib.Kind]int64{}, Skipped: map[string]int64{}}
}

// block is a run of whole lines from one input.
type block struct {
	seq       int64 // blocks are numbered across inputs, in input order
	input     int
	firstLine int64
	data      []byte
	buf       *[]byte // returned to the pool when decoded
}

// decoded is what a worker made of one block.
type decoded struct {
	seq      int64
	input    int // the index of the block's input
	contribs []contrib.Contribution
	stats    Stats
	// notes on default branches and pushes, in event order, for the
	// merger to decide (see branches.go); commits holds the pushes'.
	notes   []branchNote
	commits []contrib.Contribution
	ledger  *bots.Ledger // nil unless Options.Behaviour is set
}

// Read streams every input through decompression, JSON decoding and
// normalisation, and hands the contributions to sink in batches. Memory use
// is bounded by the block size, the worker count and the batch size, not by
// the size of the inputs. An input that cannot be opened or ends early is
// recorded in Stats.Broken and the others are still read; what was read
// before the break is kept. Read stops with an error only when sink fails
// or ctx ends.
//
// Blocks are decoded in parallel but merged in input order, so that pushes
// are decided from the default branches named before them, or held until
// one is named (see branches.go).
func Read(ctx context.Context, inputs []Input, opts Options, sink Sink) (Stats, error) {
	if opts.BatchSize <= 0 {
		opts.BatchSize = 20_000
	}
	if opts.Workers <= 0 {
		// One core stays with the decompressor, the critical path.
		opts.Workers = max(1, runtime.GOMAXPROCS(0)-1)
	}
	if opts.BlockSize <= 0 {
		opts.BlockSize = 1 << 20
	}
	parent := ctx
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	// Blocks are read until they pass BlockSize, so twice that leaves room
	// for the line that crosses the mark.
	pool := &sync.Pool{New: func() any { b := make([]byte, 0, 2*opts.BlockSize); return &b }}
	blocks := make(chan block, opts.Workers*2)
	results := make(chan decoded, opts.Workers*2)
	batches := make(chan []contrib.Contribution, 1)
	// A token for each block read and not yet merged: it bounds the results
	// kept aside to be merged in order, beyond what the channels hold.
	tokens := make(chan struct{}, opts.Workers*6+2)

	total := newStats()
	total.Inputs = len(inputs)
	var readErr []error
	broken := make([]bool, len(inputs))
	go func() { // reader: one input after the other
		defer close(blocks)
		var seq int64
		for i, in := range inputs {
			if err := readInput(ctx, i, in, opts, pool, tokens, &seq, blocks); err != nil {
				if ctx.Err() != nil {
					return
				}
				readErr = append(readErr, err)
				broken[i] = true
			}
		}
	}()
	var wg sync.WaitGroup
	for w := 0; w < opts.Workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for b := range blocks {
				results <- decodeBlock(b, inputs[b.input].Name, opts.Selector, opts.EmailKey, opts.Behaviour != nil)
				pool.Put(b.buf)
			}
		}()
	}
	go func() { wg.Wait(); close(results) }()

	sinkErr := make(chan error, 1)
	go func() { // writer: stores batches while decoding goes on
		var err error
		for b := range batches {
			if err == nil {
				if err = sink(ctx, b); err != nil {
					cancel()
				} else if opts.Observer != nil {
					opts.Observer.Stored(countKinds(b))
				}
			}
		}
		sinkErr <- err
	}()

	// A batch ends at the first block past BatchSize; the slack saves a
	// reallocation for that block.
	newBatch := func() []contrib.Contribution { return make([]contrib.Contribution, 0, opts.BatchSize+opts.BatchSize/4) }
	batch := newBatch()
	book := newBranchBook(opts.KnownDefaultBranches, maxHeldCommits,
		func(c contrib.Contribution) { batch = append(batch, c); total.Kinds[c.Kind]++ },
		func(reason string, n int64) { total.Skipped[reason] += n })
	aside := map[int64]decoded{} // results that came before their turn
	events := make([]int64, len(inputs))
	var next int64
	// The behaviour of the input being merged; inputs are read one after
	// the other, so a block of the next one means this one is done.
	// Its evidence is stored by a goroutine of its own, while batches go
	// on being stored.
	ledgerOf, ledger := -1, bots.NewLedger()
	type inputBehaviour struct {
		input    string
		evidence []bots.Evidence
	}
	behaviours := make(chan inputBehaviour, 1)
	behaviourDone := make(chan error, 1)
	go func() {
		var err error
		for b := range behaviours {
			if err == nil {
				if err = opts.Behaviour(ctx, b.input, b.evidence); err != nil {
					cancel()
				}
			}
		}
		behaviourDone <- err
	}()
	flushBehaviour := func() {
		if ledgerOf >= 0 && ctx.Err() == nil {
			select {
			case behaviours <- inputBehaviour{inputs[ledgerOf].Name, ledger.Evidence()}:
			case <-ctx.Done():
			}
		}
		ledger = bots.NewLedger()
	}
	for r := range results {
		aside[r.seq] = r
		for {
			r, ok := aside[next]
			if !ok {
				break
			}
			delete(aside, next)
			next++
			<-tokens
			total.merge(r.stats)
			events[r.input] += r.stats.Events
			if opts.Observer != nil {
				opts.Observer.Decoded(r.stats.Events, r.stats.Malformed)
			}
			batch = append(batch, r.contribs...)
			if r.ledger != nil {
				if r.input != ledgerOf {
					flushBehaviour()
					ledgerOf = r.input
				}
				ledger.Merge(r.ledger)
			}
			for i := range r.notes {
				book.note(&r.notes[i], r.commits)
			}
			if len(batch) >= opts.BatchSize {
				select {
				case batches <- batch:
				case <-ctx.Done():
				}
				batch = newBatch()
			}
		}
	}
	book.finish()
	if opts.Behaviour != nil {
		flushBehaviour()
	}
	close(behaviours)
	if len(batch) > 0 && ctx.Err() == nil {
		batches <- batch
	}
	close(batches)
	err := <-sinkErr
	behaviourErr := <-behaviourDone
	total.Broken = readErr
	for i, in := range inputs {
		if events[i] == 0 && !broken[i] {
			total.Broken = append(total.Broken, fmt.Errorf("%s: %w", in.Name, ErrNoEvents))
			broken[i] = true
		}
	}
	// The first to fail cancelled the other: report its error, not the
	// other's cancellation.
	switch {
	case err != nil && parent.Err() == nil && (behaviourErr == nil || !errors.Is(err, context.Canceled)):
		return total, fmt.Errorf("storing contributions: %w", err)
	case behaviourErr != nil && parent.Err() == nil:
		return total, fmt.Errorf("storing what accounts did (bot signals): %w", behaviourErr)
	case err != nil && parent.Err() == nil:
		return total, fmt.Errorf("storing contributions: %w", err)
	case parent.Err() != nil:
		return total, fmt.Errorf("import interrupted: %w", parent.Err())
	}
	if opts.Observer != nil {
		for i, in := range inputs {
			if h, ok := hourOf(in.Name); ok && !broken[i] {
				opts.Observer.HourImported(h)
			}
		}
	}
	return total, nil
}

func (s *Stats) merge(o Stats) {
	s.Events += o.Events
	for k, n := range o.Kinds {
		s.Kinds[k] += n
	}
	for k, n := range o.Skipped {
		s.Skipped[k] += n
	}
	s.Malformed += o.Malformed
	// Blocks finish in any order: keep the earliest lines.
	s.MalformedSamples = append(s.MalformedSamples, o.MalformedSamples...)
	sort.Slice(s.MalformedSamples, func(i, j int) bool {
		a, b := s.MalformedSamples[i], s.MalformedSamples[j]
		return a.Input < b.Input || a.Input == b.Input && a.Line < b.Line
	})
	if len(s.MalformedSamples) > maxSamples {
		s.MalformedSamples = s.MalformedSamples[:maxSamples]
	}
}

// countingReader reports the bytes read through it.
type countingReader struct {
	r     io.Reader
	n     int64
	delta func(int64)
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	if c.delta != nil && n > 0 {
		c.delta(int64(n))
	}
	return n, err
}

// readInput decompresses one input and cuts it into blocks of whole lines.
func readInput(ctx context.Context, idx int, in Input, opts Options, pool *sync.Pool, tokens chan<- struct{}, seq *int64, out chan<- block) error {
	rc, _, err := in.Open(ctx)
	if err != nil {
		return fmt.Errorf("%s: %w", in.Name, err)
	}
	defer rc.Close()
	raw := &countingReader{r: rc, delta: opts.Progress}
	br := bufio.NewReaderSize(raw, 256<<10)
	var r io.Reader = br
	compressed := false
	if magic, _ := br.Peek(2); len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return fmt.Errorf("%s: not a readable gzip file: %w", in.Name, err)
		}
		defer zr.Close()
		r, compressed = zr, true
	}
	var line int64 = 1
	var carry []byte
	for {
		bp := pool.Get().(*[]byte)
		buf := append((*bp)[:0], carry...)
		rerr := readFull(r, &buf, opts.BlockSize)
		end := bytes.LastIndexByte(buf, '\n') + 1
		if rerr == io.EOF {
			end = len(buf) // the last line may lack its newline
		}
		carry = append(carry[:0], buf[end:]...)
		if end > 0 {
			*bp = buf
			b := block{seq: *seq, input: idx, firstLine: line, data: buf[:end], buf: bp}
			line += int64(bytes.Count(b.data, []byte{'\n'}))
			select {
			case tokens <- struct{}{}:
			case <-ctx.Done():
				return ctx.Err()
			}
			select {
			case out <- b:
				*seq++
			case <-ctx.Done():
				return ctx.Err()
			}
		} else {
			*bp = buf
			pool.Put(bp)
		}
		switch {
		case rerr == io.EOF:
			return nil
		case rerr != nil:
			where := fmt.Sprintf("after line %d", line-1)
			if compressed {
				where += fmt.Sprintf(" (byte %d of the compressed file)", raw.n)
			}
			if errors.Is(rerr, io.ErrUnexpectedEOF) {
				return fmt.Errorf("%s: file ends early %s; the lines before it were kept: %w", in.Name, where, rerr)
			}
			return fmt.Errorf("%s: reading stopped %s; the lines before it were kept: %w", in.Name, where, rerr)
		}
	}
}

// MaxLineBytes bounds one line: GH Archive events are at most a few MiB,
// and a file without newlines (a JSON array, a binary file) must not be
// read whole into memory.
const MaxLineBytes = 64 << 20

// errLineTooLong stops an input whose line passes MaxLineBytes.
var errLineTooLong = fmt.Errorf("a line is longer than %d MiB: not GH Archive JSON lines", MaxLineBytes>>20)

// readFull appends to *buf until it holds at least size bytes including a
// newline, or the reader ends. A line longer than the buffer grows it, up
// to MaxLineBytes.
func readFull(r io.Reader, buf *[]byte, size int) error {
	scanned := 0 // the first scanned bytes of *buf hold no newline
	for {
		b := *buf
		if len(b) >= size {
			if bytes.IndexByte(b[scanned:], '\n') >= 0 {
				return nil
			}
			scanned = len(b)
			if len(b) > MaxLineBytes {
				return errLineTooLong
			}
		}
		if len(b) == cap(b) {
			nb := make([]byte, len(b), 2*cap(b)+size)
			copy(nb, b)
			b = nb
		}
		n, err := r.Read(b[len(b):cap(b)])
		*buf = b[:len(b)+n]
		if err != nil {
			return err
		}
	}
}

// decodeBlock decodes and normalises every line of a block.
func decodeBlock(b block, name string, sel Selector, key contrib.EmailKey, traced bool) decoded {
	// Roughly one contribution per kilobyte of GH Archive JSON.
	d := decoded{seq: b.seq, input: b.input, stats: newStats(), contribs: make([]contrib.Contribution, 0, len(b.data)>>10+16)}
	n := normalizer{
		sel:      sel,
		learnAll: sel.learnsEverywhere(),
		emails:   key.Hasher(),
		emit: func(c contrib.Contribution) {
			d.contribs = append(d.contribs, c)
			d.stats.Kinds[c.Kind]++
		},
		skip: func(reason string, k int) { d.stats.Skipped[reason] += int64(k) },
	}
	if traced {
		n.ledger = bots.NewLedger()
	}
	var dec decoder
	data := b.data
	lineNo := b.firstLine
	for len(data) > 0 {
		i := bytes.IndexByte(data, '\n')
		var line []byte
		if i < 0 {
			line, data = data, nil
		} else {
			line, data = data[:i], data[i+1:]
		}
		if len(bytes.TrimSpace(line)) > 0 {
			if err := decodeLine(&dec, line, &n, &d.stats); err != nil {
				d.stats.Malformed++
				if len(d.stats.MalformedSamples) < maxSamples {
					d.stats.MalformedSamples = append(d.stats.MalformedSamples, LineError{Input: name, Line: lineNo, Err: err.Error()})
				}
			}
		}
		lineNo++
	}
	if n.ledger != nil {
		n.ledger.Prune()
	}
	d.notes, d.commits, d.ledger = n.notes, n.commits, n.ledger
	return d
}

// decodeLine decodes one line: normally one JSON object, but early Timeline
// files sometimes run records together ("}{") on one line.
func decodeLine(d *decoder, line []byte, n *normalizer, st *Stats) error {
	var ev event
	err := d.decode(line, &ev)
	if err == nil {
		st.Events++
		n.event(&ev)
		return nil
	}
	// Split the line into its JSON values first, so that nothing is
	// counted unless every record on the line decodes.
	stream := json.NewDecoder(bytes.NewReader(line))
	var records []json.RawMessage
	for {
		var raw json.RawMessage
		if derr := stream.Decode(&raw); derr == io.EOF {
			break
		} else if derr != nil {
			return shortError(err)
		}
		if d.decode(raw, &ev) != nil {
			return shortError(err)
		}
		records = append(records, raw)
	}
	if len(records) < 2 {
		return shortError(err)
	}
	for _, raw := range records {
		_ = d.decode(raw, &ev)
		st.Events++
		n.event(&ev)
	}
	return nil
}

// shortError keeps decoder messages to one readable line.
func shortError(err error) error {
	msg := err.Error()
	if len(msg) > 160 {
		msg = msg[:160] + "..."
	}
	return errors.New("malformed JSON: " + msg)
}
