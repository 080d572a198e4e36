package scenarios

import (
	"strings"
	"testing"
)

// TestDidYouMeanEntity checks the hints for a misspelt entity: a table
// [providers.oracel] in a file extending the baseline is a new provider
// missing every required key, and a contract's unknown party.
func TestDidYouMeanEntity(t *testing.T) {
	for _, tc := range []struct {
		file, want string
	}{
		{"extends = \"baseline\"\n[providers.oracel]\ncash = 5.0\n", `providers.oracel is a new entity, not providers.oracle: did you mean "oracle"?`},
		{"extends = \"baseline\"\n[customers.antropic]\ncash = 5.0\n", `did you mean "anthropic"?`},
		{"extends = \"baseline\"\n[[contracts]]\npayer = \"opnai\"\npayee = \"oracle\"\nvalue = 3.0\nterm_years = 2.0\n", `unknown entity "opnai" (did you mean "openai"?)`},
	} {
		_, err := LoadBytes("typo.toml", []byte(tc.file), nil)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("LoadBytes(%q) = %v; want %q", tc.file, err, tc.want)
		}
		if err != nil && strings.Count(err.Error(), "did you mean") != 1 {
			t.Errorf("LoadBytes(%q): %d hints; want one:\n%v", tc.file, strings.Count(err.Error(), "did you mean"), err)
		}
	}
	// A genuinely new entity, far from every name, gets no hint.
	_, err := LoadBytes("new.toml", []byte("extends = \"baseline\"\n[providers.lambda]\ncash = 5.0\n"), nil)
	if err == nil || strings.Contains(err.Error(), "did you mean") {
		t.Errorf("new provider lambda: %v; want missing keys without a hint", err)
	}
}
