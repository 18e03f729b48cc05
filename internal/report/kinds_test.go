package report_test

import (
	"encoding/json"
	"slices"
	"testing"

	"contribtrack/internal/contrib"
	"contribtrack/internal/report"
)

// TestSchemaKindsAreTheTable: the JSON Schema's kinds are the
// contribution kinds of contrib.KindTable, in its order. (The file stays
// plain JSON that the docs link to; a kind added to the table fails here
// until the schema names it.)
func TestSchemaKindsAreTheTable(t *testing.T) {
	var doc struct {
		Defs struct {
			Kind struct {
				Enum []string `json:"enum"`
			} `json:"kind"`
		} `json:"$defs"`
	}
	if err := json.Unmarshal(report.Schema, &doc); err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, k := range contrib.ContributionKinds {
		want = append(want, string(k))
	}
	if !slices.Equal(doc.Defs.Kind.Enum, want) {
		t.Errorf("internal/report/schema.json: $defs.kind.enum is %q; contrib.KindTable's contribution kinds are %q", doc.Defs.Kind.Enum, want)
	}
}
