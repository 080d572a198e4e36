package output

import (
	"strings"
	"testing"
)

// TestReportAttribution checks that a simulated run's report has the
// sections on contributions, joint defaults and the tail anatomy, listed in
// the contents, and that the system's contributions are shown.
func TestReportAttribution(t *testing.T) {
	res, _ := plotsRun(t)
	_, doc := buildReport(t, res)
	ids, _ := parseStrict(t, doc)
	s := string(doc)
	for _, id := range []string{"contributions", "joint-defaults", "tail-anatomy"} {
		if !ids[id] {
			t.Errorf("report has no section %q", id)
		}
		if !strings.Contains(s, `href="#`+id+`"`) {
			t.Errorf("contents do not link to %q", id)
		}
	}
	if !strings.Contains(s, "System (all providers and suppliers): ES 99%") {
		t.Errorf("report does not decompose the system's ES")
	}
}
