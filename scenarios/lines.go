package scenarios

import (
	"strconv"
	"strings"
)

// BurntSushi/toml does not export the positions of keys, so keyLines scans
// the (already successfully parsed) document for table headers and key/value
// pairs and records the line on which each key path first appears. Keys
// inside inline tables are not recorded; the loader falls back to the line
// of the enclosing key for them.

// child returns the path of key inside the table at path.
func child(path, key string) string {
	k := quoteKey(key)
	if path == "" {
		return k
	}
	return path + "." + k
}

// index returns the path of element i of the array at path.
func index(path string, i int) string {
	return path + "[" + strconv.Itoa(i) + "]"
}

// quoteKey quotes a key that is not a TOML bare key.
func quoteKey(k string) string {
	if isBare(k) {
		return k
	}
	return strconv.Quote(k)
}

func isBare(k string) bool {
	if k == "" {
		return false
	}
	for _, r := range k {
		if !(r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_' || r == '-') {
			return false
		}
	}
	return true
}

type lineScanner struct {
	src    string
	pos    int
	line   int
	lines  map[string]int
	arrays map[string]int // number of elements seen in each array of tables
}

// keyLines maps key paths (as built by child and index) to 1-based lines.
func keyLines(src []byte) map[string]int {
	s := &lineScanner{src: string(src), line: 1, lines: map[string]int{}, arrays: map[string]int{}}
	s.run()
	return s.lines
}

func (s *lineScanner) eof() bool { return s.pos >= len(s.src) }

func (s *lineScanner) peek(off int) byte {
	if s.pos+off < len(s.src) {
		return s.src[s.pos+off]
	}
	return 0
}

func (s *lineScanner) advance() {
	if s.src[s.pos] == '\n' {
		s.line++
	}
	s.pos++
}

func (s *lineScanner) record(path string, line int) {
	if _, ok := s.lines[path]; !ok {
		s.lines[path] = line
	}
}

// skipSpace skips blanks on the current line.
func (s *lineScanner) skipSpace() {
	for !s.eof() && (s.peek(0) == ' ' || s.peek(0) == '\t') {
		s.pos++
	}
}

func (s *lineScanner) skipLine() {
	for !s.eof() && s.peek(0) != '\n' {
		s.pos++
	}
}

func (s *lineScanner) run() {
	table := ""
	for !s.eof() {
		switch c := s.peek(0); {
		case c == ' ' || c == '\t' || c == '\r' || c == '\n':
			s.advance()
		case c == '#':
			s.skipLine()
		case c == '[':
			line := s.line
			array := s.peek(1) == '['
			s.pos++
			if array {
				s.pos++
			}
			segs := s.key()
			table = ""
			for i, seg := range segs {
				table = child(table, seg)
				last := i == len(segs)-1
				s.record(table, line)
				if last && array {
					n := s.arrays[table]
					s.arrays[table] = n + 1
					table = index(table, n)
				} else if n, ok := s.arrays[table]; ok {
					table = index(table, n-1)
				}
				s.record(table, line)
			}
			s.skipLine()
		default:
			line := s.line
			segs := s.key()
			if len(segs) == 0 { // cannot happen in a valid document
				s.skipLine()
				continue
			}
			p := table
			for _, seg := range segs {
				p = child(p, seg)
				s.record(p, line)
			}
			s.skipSpace()
			if s.peek(0) == '=' {
				s.pos++
			}
			s.skipValue()
		}
	}
}

// key reads a dotted key and the blanks around it.
func (s *lineScanner) key() []string {
	var segs []string
	for {
		s.skipSpace()
		switch c := s.peek(0); {
		case c == '"':
			segs = append(segs, s.basicString())
		case c == '\'':
			s.pos++
			start := s.pos
			for !s.eof() && s.peek(0) != '\'' {
				s.pos++
			}
			segs = append(segs, s.src[start:s.pos])
			s.pos++
		default:
			start := s.pos
			for !s.eof() && isBare(string(s.peek(0))) {
				s.pos++
			}
			if s.pos == start {
				return segs
			}
			segs = append(segs, s.src[start:s.pos])
		}
		s.skipSpace()
		if s.peek(0) != '.' {
			return segs
		}
		s.pos++
	}
}

// basicString reads a single-line "..." string and returns its value.
func (s *lineScanner) basicString() string {
	start := s.pos
	s.pos++
	for !s.eof() && s.peek(0) != '"' {
		if s.peek(0) == '\\' {
			s.pos++
		}
		s.pos++
	}
	s.pos++
	if s.pos > len(s.src) {
		s.pos = len(s.src)
	}
	v, err := strconv.Unquote(s.src[start:s.pos])
	if err != nil {
		return strings.Trim(s.src[start:s.pos], `"`)
	}
	return v
}

// skipValue skips a value, which may span lines (arrays, inline tables,
// multi-line strings), and the rest of its last line.
func (s *lineScanner) skipValue() {
	depth := 0
	for !s.eof() {
		switch c := s.peek(0); c {
		case '"', '\'':
			if s.peek(1) == c && s.peek(2) == c {
				s.multiline(c)
			} else {
				s.pos++
				for !s.eof() && s.peek(0) != c && s.peek(0) != '\n' {
					if c == '"' && s.peek(0) == '\\' {
						s.pos++
					}
					s.pos++
				}
				if !s.eof() && s.peek(0) == c {
					s.pos++
				}
			}
		case '[', '{':
			depth++
			s.pos++
		case ']', '}':
			depth--
			s.pos++
		case '#':
			s.skipLine()
		case '\n':
			s.advance()
			if depth <= 0 {
				return
			}
		default:
			s.pos++
		}
	}
}

// multiline skips a multi-line string delimited by three quote characters q.
func (s *lineScanner) multiline(q byte) {
	s.pos += 3
	for !s.eof() {
		if q == '"' && s.peek(0) == '\\' {
			s.pos++
			if !s.eof() {
				s.advance()
			}
			continue
		}
		if s.peek(0) == q && s.peek(1) == q && s.peek(2) == q {
			s.pos += 3
			// Up to two more quotes belong to the content.
			for i := 0; i < 2 && s.peek(0) == q; i++ {
				s.pos++
			}
			return
		}
		s.advance()
	}
}
