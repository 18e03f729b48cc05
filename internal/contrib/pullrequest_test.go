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
