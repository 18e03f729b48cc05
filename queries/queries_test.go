package queries

import (
	"io/fs"
	"slices"
	"strings"
	"testing"
)

func TestMustFill(t *testing.T) {
	for _, tt := range []struct {
		name, text, slot, part, want string
	}{
		{"a line", "SELECT x FROM\n(\n-- @rows\n)", "rows", "SELECT 1 AS x", "SELECT x FROM\n(\nSELECT 1 AS x\n)"},
		{"indented", "WHERE a\n    -- @only\n", "only", "  AND b", "WHERE a\n  AND b\n"},
		{"nothing", "WHERE a\n-- @only\n)", "only", "", "WHERE a\n\n)"},
		{"the first of two", "-- @input\n-- @input", "input", "x", "x\n-- @input"},
		{"the named one", "-- @input\n-- @rows", "rows", "r", "-- @input\nr"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := MustFill(tt.text, tt.slot, tt.part); got != tt.want {
				t.Errorf("MustFill(%q, %q, %q) = %q, want %q", tt.text, tt.slot, tt.part, got, tt.want)
			}
		})
	}
	for _, tt := range []struct{ name, text, slot string }{
		{"no line", "SELECT 1", "rows"},
		{"another slot", "-- @input", "rows"},
		{"not alone on its line", "x -- @rows", "rows"},
		{"a comment naming a value", "-- @rows of the period", "rows"},
	} {
		t.Run("panics: "+tt.name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Errorf("MustFill(%q, %q) did not panic", tt.text, tt.slot)
				}
			}()
			MustFill(tt.text, tt.slot, "x")
		})
	}
}

func TestMustFillEach(t *testing.T) {
	text := "SELECT a\n-- @bots\nUNION ALL\nSELECT b\n-- @rows\n-- @bots"
	if got, want := MustFillEach(text, "bots", "  AND c"), "SELECT a\n  AND c\nUNION ALL\nSELECT b\n-- @rows\n  AND c"; got != want {
		t.Errorf("MustFillEach = %q, want %q", got, want)
	}
	if got, want := MustFillEach(text, "bots", ""), "SELECT a\n\nUNION ALL\nSELECT b\n-- @rows\n"; got != want {
		t.Errorf("MustFillEach with nothing = %q, want %q", got, want)
	}
	defer func() {
		if recover() == nil {
			t.Error("MustFillEach of a slot the text does not have did not panic")
		}
	}()
	MustFillEach(text, "only", "x")
}

func TestSlots(t *testing.T) {
	got := Slots("-- @input\nSELECT @a -- @b\n-- @include x.sql\n  -- @rows\n-- @only_ids, and more")
	if want := []string{"input", "rows"}; !slices.Equal(got, want) {
		t.Errorf("Slots = %q, want %q", got, want)
	}
}

func TestMustName(t *testing.T) {
	got := MustName("ALTER TABLE {table} REPLACE PARTITION ? FROM {build} -- {table}", map[string]string{"table": "db.t", "build": "t_build_1"})
	if want := "ALTER TABLE db.t REPLACE PARTITION ? FROM t_build_1 -- db.t"; got != want {
		t.Errorf("MustName = %q, want %q", got, want)
	}
	for _, tt := range []struct {
		name  string
		text  string
		names map[string]string
	}{
		{"a name without placeholder", "DROP TABLE {build}", map[string]string{"build": "b", "table": "t"}},
		{"a placeholder without name", "DROP TABLE {build}", nil},
	} {
		t.Run("panics: "+tt.name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Errorf("MustName(%q, %v) did not panic", tt.text, tt.names)
				}
			}()
			MustName(tt.text, tt.names)
		})
	}
}

// Every query file reads (its includes exist), starts with a comment that
// says what it is, and leaves only known slots and placeholders.
func TestQueryFiles(t *testing.T) {
	names, err := fs.Glob(FS(), "*.sql")
	if err != nil {
		t.Fatal(err)
	}
	known := []string{"rows", "input", "only", "having", "bots", "people"}
	for _, name := range names {
		text := MustRead(name)
		if !strings.HasPrefix(text, "-- ") {
			t.Errorf("%s: no comment at the top saying what it answers", name)
		}
		for _, s := range Slots(text) {
			if !slices.Contains(known, s) {
				t.Errorf("%s: unknown slot %q", name, s)
			}
		}
	}
}
