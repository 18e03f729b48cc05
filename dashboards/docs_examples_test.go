package dashboards_test

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"contribtrack/internal/store"
)

// sqlBlock is a fenced SQL example of a Markdown page.
var sqlBlock = regexp.MustCompile("(?s)```sql\n(.*?)```")

// The SQL examples of docs/schema.md run against the schema, the views
// included, and those that read the views return rows on realistic data.
func TestSchemaDocExamplesRun(t *testing.T) {
	doc, err := os.ReadFile("../docs/schema.md")
	if err != nil {
		t.Fatal(err)
	}
	blocks := sqlBlock.FindAllStringSubmatch(string(doc), -1)
	if len(blocks) == 0 {
		t.Fatal("docs/schema.md has no SQL example")
	}
	e := newCHEnv(t)
	viewsRead := 0
	for _, b := range blocks {
		for _, stmt := range store.Statements(b[1]) {
			r, err := e.run(stmt)
			if err != nil {
				t.Errorf("docs/schema.md example fails: %v\n%s", err, stmt)
				continue
			}
			for _, v := range store.Views {
				if strings.Contains(stmt, v) {
					viewsRead++
					if len(r.rows) == 0 {
						t.Errorf("docs/schema.md example returns no rows on realistic data:\n%s", stmt)
					}
					break
				}
			}
		}
	}
	if viewsRead == 0 {
		t.Error("docs/schema.md has no example that reads a view")
	}
}
