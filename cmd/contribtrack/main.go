// Command contribtrack tracks contributions of a technology community: see
// README.md.
package main

import (
	"os"

	"contribtrack/internal/cli"
)

func main() {
	os.Exit(cli.Main(os.Args[1:], os.Stdout, os.Stderr, os.Getenv))
}
