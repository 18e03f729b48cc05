package queries

import (
	"strconv"
	"strings"
	"testing"

	"contribtrack/internal/contrib"
)

// Per-kind lists are written from the kind table, in its order, with the
// kind's name and position, and the separator between parts only.
func TestKindListsAreExpanded(t *testing.T) {
	got := expandKinds(`SELECT {{kinds "toUInt32(countIf(kind = '{kind}')) AS c_{kind}" ",\n       "}} FROM t; ` +
		`[{{kinds "counts[{i}]" ", "}}] {{kinds "\"{kind}\"" "|"}}`)
	var cols, idx, quoted []string
	for i, k := range contrib.Kinds {
		cols = append(cols, "toUInt32(countIf(kind = '"+string(k)+"')) AS c_"+string(k))
		idx = append(idx, "counts["+strconv.Itoa(i+1)+"]")
		quoted = append(quoted, `"`+string(k)+`"`)
	}
	want := "SELECT " + strings.Join(cols, ",\n       ") + " FROM t; [" + strings.Join(idx, ", ") + "] " + strings.Join(quoted, "|")
	if got != want {
		t.Errorf("expanded\n%s\nwant\n%s", got, want)
	}
	// Every file that lists kinds lists all of them.
	for _, name := range []string{"rollup_days.sql", "rollup_people.sql", "people.sql", "identity_counts.sql"} {
		text := MustRead(name)
		if strings.Contains(text, "{{") {
			t.Errorf("%s: a list is left unexpanded", name)
		}
		if !strings.Contains(text, "c_"+string(contrib.Kinds[len(contrib.Kinds)-1])) {
			t.Errorf("%s: no count of the table's last kind", name)
		}
	}
}
