package scenarios

import "fmt"

// Limits the guard enforces before a file reaches the TOML parser, which
// has none: ten thousand nested inline tables or a dotted key of fifty
// thousand parts, each in a file of under 100 kB, make it take gigabytes,
// and millions of nested brackets overflow its stack (fatal errors no
// recover can catch). The baseline nests 3 deep, its longest key has 4
// parts and 30 bytes, and it holds about 1,500 keys and values.
const (
	maxNesting  = 32        // levels of [ and { open at once
	maxKeyParts = 32        // parts of one dotted key
	maxKeyBytes = 256       // bytes of one key, parts and quotes included
	maxItems    = 1_000_000 // keys and array elements in the file
)

// guard scans data as TOML tokens (strings, comments, brackets, keys) and
// returns an *Error if it exceeds a limit. It checks nothing else: syntax
// errors are left to the parser, which reports them better. It runs in
// time and memory linear in len(data) apart from the bracket stack, which
// it bounds.
func guard(source string, data []byte) error {
	g := guardScan{data: data, line: 1, expectKey: true}
	if err := g.scan(); err != "" {
		return &Error{File: source, Line: g.line, Msg: "refused before parsing: " + err}
	}
	return nil
}

// guardScan is the state of guard's scan.
type guardScan struct {
	data  []byte
	i     int
	line  int
	stack []byte // '[' array, '{' inline table, 'h' [header], 'H' [[header]]

	expectKey bool // the next bare word is a key
	inKey     bool // inside a key, before its '=' or closing ']'
	keyParts  int
	keyBytes  int
	items     int
}

func (g *guardScan) scan() string {
	for ; g.i < len(g.data); g.i++ {
		c := g.data[g.i]
		var err string
		switch c {
		case '\n':
			g.line++
			if len(g.stack) == 0 {
				g.expectKey, g.inKey = true, false
			}
		case ' ', '\t', '\r':
		case '#':
			for g.i+1 < len(g.data) && g.data[g.i+1] != '\n' {
				g.i++
			}
		case '"', '\'':
			n := g.skipString(c)
			if g.expectKey || g.inKey {
				err = g.keyPart(n)
			}
		case '[', '{':
			err = g.open(c)
		case ']', '}':
			g.close()
		case ',':
			if top := g.top(); top == '{' {
				g.expectKey = true
			} else if top == '[' {
				err = g.item()
			}
		case '=':
			g.inKey, g.expectKey = false, false
		case '.':
			if g.inKey {
				g.keyParts++
				if g.keyParts > maxKeyParts {
					err = fmt.Sprintf("a dotted key of more than %d parts", maxKeyParts)
				}
			}
		default:
			if g.expectKey || g.inKey {
				err = g.keyPart(1)
			}
		}
		if err != "" {
			return err
		}
	}
	return ""
}

// keyPart counts n bytes of a key, starting a new key if none is open.
func (g *guardScan) keyPart(n int) string {
	if !g.inKey {
		g.inKey, g.expectKey = true, false
		g.keyParts, g.keyBytes = 1, 0
		if err := g.item(); err != "" {
			return err
		}
	}
	g.keyBytes += n
	if g.keyBytes > maxKeyBytes {
		return fmt.Sprintf("a key longer than %d bytes", maxKeyBytes)
	}
	return ""
}

func (g *guardScan) item() string {
	g.items++
	if g.items > maxItems {
		return fmt.Sprintf("more than %d keys and array elements", maxItems)
	}
	return ""
}

func (g *guardScan) top() byte {
	if len(g.stack) == 0 {
		return 0
	}
	return g.stack[len(g.stack)-1]
}

// open handles '[' or '{': a table header at the start of a top-level
// line, else an array or an inline table.
func (g *guardScan) open(c byte) string {
	kind := c
	if c == '[' && len(g.stack) == 0 && g.expectKey && !g.inKey {
		kind = 'h'
		if g.i+1 < len(g.data) && g.data[g.i+1] == '[' {
			kind = 'H'
			g.i++
		}
	}
	if len(g.stack) >= maxNesting {
		return fmt.Sprintf("more than %d levels of nested arrays and tables", maxNesting)
	}
	g.stack = append(g.stack, kind)
	switch kind {
	case '{', 'h', 'H':
		g.expectKey, g.inKey = true, false
	default:
		g.expectKey, g.inKey = false, false
		if err := g.item(); err != "" {
			return err
		}
	}
	return ""
}

// close handles ']' or '}'.
func (g *guardScan) close() {
	top := g.top()
	if top == 0 {
		return // unbalanced: the parser reports it
	}
	g.stack = g.stack[:len(g.stack)-1]
	if top == 'H' && g.i+1 < len(g.data) && g.data[g.i+1] == ']' {
		g.i++
	}
	g.inKey, g.expectKey = false, false
}

// skipString moves past the string starting at g.i with quote q (basic or
// literal, single- or multi-line) and returns its length in bytes. An
// unterminated string runs to the end of the line (or, if multi-line, of
// the data): the parser reports it.
func (g *guardScan) skipString(q byte) int {
	start := g.i
	multi := g.i+2 < len(g.data) && g.data[g.i+1] == q && g.data[g.i+2] == q
	if multi {
		g.i += 3
	} else {
		g.i++
	}
	for ; g.i < len(g.data); g.i++ {
		c := g.data[g.i]
		switch {
		case c == '\\' && q == '"':
			if g.i+1 < len(g.data) && g.data[g.i+1] == '\n' {
				g.line++
			}
			g.i++
		case c == '\n' && !multi:
			g.i-- // leave the newline to scan
			return g.i - start + 1
		case c == '\n':
			g.line++
		case c == q && !multi:
			return g.i - start + 1
		case c == q && g.i+2 < len(g.data) && g.data[g.i+1] == q && g.data[g.i+2] == q:
			// A multi-line string may end in up to two more quotes.
			g.i += 2
			for k := 0; k < 2 && g.i+1 < len(g.data) && g.data[g.i+1] == q; k++ {
				g.i++
			}
			return g.i - start + 1
		}
	}
	return g.i - start
}
