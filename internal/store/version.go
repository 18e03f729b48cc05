package store

import (
	"context"
	"errors"
	"fmt"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"

	"contribtrack/internal/chversion"
	"contribtrack/queries"
)

// ErrServerTooOld means the ClickHouse server is older than the oldest
// release contribtrack supports (chversion.MinSupported).
var ErrServerTooOld = errors.New("the ClickHouse server is too old for contribtrack")

// serverVersion asks the server which release it runs, once, when the
// store opens: the schema and some statements differ by release.
func serverVersion(ctx context.Context, conn driver.Conn) (chversion.Version, string, error) {
	var text string
	if err := conn.QueryRow(ctx, queries.MustRead("server_version.sql")).Scan(&text); err != nil {
		return chversion.Version{}, "", fmt.Errorf("asking the server's version: %w", err)
	}
	v, err := chversion.Parse(text)
	if err != nil {
		return chversion.Version{}, "", fmt.Errorf("the server's version: %w", err)
	}
	return v, text, nil
}

// ServerVersion is the release of the server the store opened on.
func (s *Store) ServerVersion() chversion.Version { return s.version }

// modern reports whether the server has what contribtrack's current schema
// and statements use (LowCardinality, codecs, ...). Only contribtrack's own
// replication tests run older servers, through AllowUnsupportedServer.
func (s *Store) modern() bool { return !s.version.Less(chversion.MinSupported) }

// AllowUnsupportedServer lets the store run on a server older than the
// oldest supported release, with the statements that such servers accept.
// contribtrack's own tests use it for what only Debian's ClickHouse 18.16
// can run here (replication, ON CLUSTER); it is no supported setup.
func (s *Store) AllowUnsupportedServer() { s.allowOld = true }

// checkVersion refuses a server older than the oldest supported release,
// naming both.
func (s *Store) checkVersion() error {
	if s.modern() || s.allowOld {
		return nil
	}
	return fmt.Errorf("ClickHouse %s (%s) is older than %s, the oldest release contribtrack supports: upgrade the server: %w",
		s.version, s.versionText, chversion.MinSupported, ErrServerTooOld)
}
