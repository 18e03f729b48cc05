package localch

import (
	"flag"
	"fmt"
	"os"
)

// The processes behind a library server are the program that imports this
// package, run again (os.Executable) with roleEnv set: the supervisor
// (supervisor.go) and the engine it runs (engine.go). That works the same
// for the contribtrack binary and for test binaries, with no second
// executable to build or install.
const roleEnv = "CONTRIBTRACK_LOCALCH_ROLE"

const (
	roleSupervisor = "supervisor"
	roleEngine     = "engine"
)

func init() {
	role := os.Getenv(roleEnv)
	if role == "" {
		return
	}
	os.Exit(runRole(role, os.Args[1:]))
}

// runRole runs one of the roles with its command-line arguments and returns
// the exit code.
func runRole(role string, args []string) int {
	fs := flag.NewFlagSet("contribtrack-"+role, flag.ContinueOnError)
	var sv supervisorConfig
	fs.StringVar(&sv.Dir, "dir", "", "server directory")
	fs.StringVar(&sv.Library, "library", "", "path of libchdb.so")
	fs.StringVar(&sv.ConfigFile, "config-file", "", "ClickHouse config file")
	fs.IntVar(&sv.TCPPort, "tcp-port", 0, "native port clients use")
	fs.IntVar(&sv.EngineTCPPort, "engine-tcp-port", 0, "native port of the engine")
	fs.IntVar(&sv.HTTPPort, "http-port", 0, "HTTP port of the engine")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	switch role {
	case roleEngine:
		return runEngine(sv.Library, sv.ConfigFile)
	case roleSupervisor:
		return runSupervisor(sv)
	}
	fmt.Fprintf(os.Stderr, "%s=%q: unknown role (want %s or %s)\n", roleEnv, role, roleSupervisor, roleEngine)
	return 2
}
