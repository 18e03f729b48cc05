package contrib

import (
	"slices"
	"testing"
)

func TestNormalLabels(t *testing.T) {
	got := NormalLabels([]string{" Spam", "invalid", "", "spam", "Hacktoberfest-Accepted"})
	if want := []string{"hacktoberfest-accepted", "invalid", "spam"}; !slices.Equal(got, want) {
		t.Errorf("NormalLabels = %q, want %q", got, want)
	}
	if got := NormalLabels(nil); len(got) != 0 {
		t.Errorf("NormalLabels(nil) = %q", got)
	}
}

func TestReviewStateOf(t *testing.T) {
	for in, want := range map[string]string{
		"APPROVED": ReviewApproved, "approved": ReviewApproved, "CHANGES_REQUESTED": ReviewChangesRequested,
		"COMMENTED": ReviewCommented, "DISMISSED": ReviewDismissed, "PENDING": "", "": "", "weird": "",
	} {
		if got := ReviewStateOf(in); got != want {
			t.Errorf("ReviewStateOf(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestWhitespaceOnlyDiff(t *testing.T) {
	for _, c := range []struct {
		name    string
		patches []string
		want    bool
	}{
		{"indentation", []string{"@@ -1,3 +1,3 @@\n func f() {\n-  return 1\n+\treturn 1\n }"}, true},
		{"trailing spaces and a blank line", []string{"@@ -1,2 +1,3 @@\n-a := 1   \n+a := 1\n+\n b := 2"}, true},
		{"re-wrapped line", []string{"@@ -1 +1,2 @@\n-x = f(a, b)\n+x = f(a,\n+ b)"}, false},
		{"two files, one real change", []string{"@@ -1 +1 @@\n-a \n+a", "@@ -1 +1 @@\n-b\n+c"}, false},
		{"a typo", []string{"@@ -1 +1 @@\n-the teh\n+the the"}, false},
		{"no newline marker", []string{"@@ -1 +1 @@\n-end\n\\ No newline at end of file\n+end\n"}, true},
		{"lines moved", []string{"@@ -1,2 +1,2 @@\n-a\n-b\n+b\n+a"}, false},
		{"a line moved to another hunk", []string{"@@ -1,2 +1 @@\n-a\n b\n@@ -9 +8,2 @@\n c\n+a"}, false},
		{"two hunks of indentation", []string{"@@ -1 +1 @@\n-  a\n+a\n@@ -9 +9 @@\n- b\n+b"}, true},
		{"nothing changed (a rename)", []string{"@@ -1 +1 @@\n same"}, false},
		{"a file without a patch (binary)", []string{"@@ -1 +1 @@\n-a \n+a", ""}, false},
		{"no files", nil, false},
	} {
		if got := WhitespaceOnlyDiff(c.patches); got != c.want {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
}
