package localch

import (
	"fmt"
	"os"
	"strings"
	"unsafe"

	"github.com/ebitengine/purego"

	"contribtrack/queries"
)

// The engine is ClickHouse's clickhouse-local, loaded from the ClickHouse
// library (libchdb.so) without cgo and run with an argv that makes it a
// server: its config names the data path and the ports, and its query opens
// the native and HTTP listeners, then keeps them open by running a query
// that never ends until it is killed (see stopEngine). It runs in a process
// of its own, because ClickHouse installs its own signal and terminate
// handlers, and an exception that escapes a connection handler aborts the
// whole process; the supervisor restarts it then.

// engineResult mirrors the library's struct local_result_v2.
type engineResult struct {
	buf       *byte
	len       uintptr
	vec       unsafe.Pointer
	elapsed   float64
	rowsRead  uint64
	bytesRead uint64
	errorMsg  *byte
}

// runEngine loads the library and runs clickhouse-local as a server with
// the given config file until its keep-alive query ends. It returns the
// process's exit code.
func runEngine(lib, configFile string) int {
	handle, err := purego.Dlopen(lib, purego.RTLD_NOW|purego.RTLD_GLOBAL)
	if err != nil {
		fmt.Fprintf(os.Stderr, "contribtrack engine: loading %s: %v\n", lib, err)
		return 2
	}
	var query func(argc int32, argv **byte) *engineResult
	var free func(*engineResult)
	purego.RegisterLibFunc(&query, handle, "query_stable_v2")
	purego.RegisterLibFunc(&free, handle, "free_result_v2")

	args := []string{"clickhouse", "--config-file=" + configFile, "--query=" + queries.MustRead("engine_serve.sql")}
	argv := make([]*byte, len(args)+1) // NULL-terminated, as C's argv
	keep := make([][]byte, len(args))
	for i, a := range args {
		keep[i] = append([]byte(a), 0)
		argv[i] = &keep[i][0]
	}
	res := query(int32(len(args)), &argv[0])
	if res == nil {
		fmt.Fprintln(os.Stderr, "contribtrack engine: clickhouse-local returned no result")
		return 1
	}
	defer free(res)
	if msg := cString(res.errorMsg); msg != "" {
		if strings.Contains(msg, "QUERY_WAS_CANCELLED") {
			// The supervisor killed the keep-alive query (engine_stop.sql):
			// how a stop ends it, not a failure.
			return 0
		}
		fmt.Fprintf(os.Stderr, "contribtrack engine: clickhouse-local: %s\n", msg)
		return 1
	}
	return 0
}

// cString copies a NUL-terminated C string.
func cString(p *byte) string {
	if p == nil {
		return ""
	}
	n := 0
	for *(*byte)(unsafe.Add(unsafe.Pointer(p), n)) != 0 {
		n++
	}
	return string(unsafe.Slice(p, n))
}
