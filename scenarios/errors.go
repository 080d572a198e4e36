package scenarios

import (
	"strconv"
	"strings"
)

// Error is a problem with a scenario file: a TOML syntax error, an unknown
// key, a value of the wrong type or out of range, or an inconsistency
// between values. Error() formats it as "FILE:LINE: KEY: MSG"; LINE is left
// out when unknown (0) and KEY when the problem is not about one key.
type Error struct {
	// File is the path of the file the offending value came from (a parent
	// file when the value was inherited through extends), or
	// "builtin:NAME" for an embedded scenario.
	File string
	// Line is the 1-based line of the offending key or table, 0 if unknown.
	Line int
	// Key is the dotted path of the offending value, for example
	// "customers.openai.funding.round_rate" or "contracts[3].payee"
	// (array-of-tables elements are indexed from 0 in the resolved file).
	Key string
	// Msg says what was expected and what was found.
	Msg string
	// Err is the underlying error, if any: a toml.ParseError for syntax
	// errors (use its ErrorWithPosition for a caret display), an I/O error
	// for a missing parent file.
	Err error
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		b.WriteByte(':')
		b.WriteString(strconv.Itoa(e.Line))
	}
	if e.Key != "" {
		b.WriteString(": ")
		b.WriteString(e.Key)
	}
	b.WriteString(": ")
	b.WriteString(e.Msg)
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// ErrorList is returned when a scenario has more than one problem. The
// order is deterministic: the order in which the loader checks the file
// (top-level sections first, entities sorted by name, arrays in order).
// Error() puts one problem on each line.
type ErrorList []*Error

func (l ErrorList) Error() string {
	s := make([]string, len(l))
	for i, e := range l {
		s[i] = e.Error()
	}
	return strings.Join(s, "\n")
}

// Unwrap lets errors.As find the individual *Error values.
func (l ErrorList) Unwrap() []error {
	errs := make([]error, len(l))
	for i, e := range l {
		errs[i] = e
	}
	return errs
}

// errorsOf returns nil, the single error, or the list.
func errorsOf(errs []*Error) error {
	switch len(errs) {
	case 0:
		return nil
	case 1:
		return errs[0]
	}
	return ErrorList(errs)
}
