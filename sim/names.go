package sim

import "fmt"

// MaxNameLength bounds the length of scenario and entity names.
const MaxNameLength = 64

// CheckName returns an error unless name is a valid scenario or entity
// name: 1 to MaxNameLength ASCII letters, digits, '-', '_' and '.', not
// starting with '.'. Names become file and folder names (out/NAME,
// plots/loss-backlog-NAME.png), so the rule keeps every name safe as one:
// no separators, no "." or "..", no hidden files, nothing a shell or a
// terminal would read specially.
func CheckName(name string) error {
	switch {
	case name == "":
		return fmt.Errorf("must not be empty")
	case len(name) > MaxNameLength:
		return fmt.Errorf("must be at most %d characters, got %d", MaxNameLength, len(name))
	case name[0] == '.':
		return fmt.Errorf("must not start with '.', got %q", name)
	}
	for _, r := range name {
		if !(r == '-' || r == '_' || r == '.' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			return fmt.Errorf("must use only letters, digits, '-', '_' and '.', got %q", name)
		}
	}
	return nil
}
