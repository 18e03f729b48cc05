package store

import (
	"strconv"

	"github.com/ClickHouse/clickhouse-go/v2"
)

func namedDB(s *Store) any { return clickhouse.Named("db", s.Database()) }

func itoa(i int) string { return strconv.Itoa(i) }

func namedU(name string, v uint64) any { return clickhouse.Named(name, v) }
