package lint

import (
	"bytes"
	"sort"
	"unicode/utf8"
)

// utf8BOM is skipped by the parser and is zero-width for column counting.
var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// Source is one Dockerfile's bytes with an index of its lines, so that any
// byte offset can be turned into a 1-based line and column.
type Source struct {
	// Path is the file name as the user gave it ("-" or --stdin-filename
	// for standard input).
	Path string
	// Data is the file exactly as read, BOM and CRLF included.
	Data []byte

	lineStarts []int // byte offset of the first byte of each line
	bom        int   // length of a leading BOM (0 or 3)
	ascii      bool  // no multi-byte characters: columns are byte counts
}

// NewSource indexes data. It never fails: any byte sequence is a Source.
func NewSource(path string, data []byte) *Source {
	s := &Source{Path: path, Data: data}
	if bytes.HasPrefix(data, utf8BOM) {
		s.bom = len(utf8BOM)
	}
	n := bytes.Count(data, []byte{'\n'})
	s.lineStarts = make([]int, 1, n+1)
	var high byte
	for i, b := range data[s.bom:] {
		high |= b
		if b == '\n' {
			s.lineStarts = append(s.lineStarts, s.bom+i+1)
		}
	}
	s.ascii = high < utf8.RuneSelf
	return s
}

// LineCount is the number of lines (a trailing newline does not start a
// new, empty line).
func (s *Source) LineCount() int {
	n := len(s.lineStarts)
	if n > 1 && s.lineStarts[n-1] == len(s.Data) {
		n--
	}
	return n
}

// LineStart returns the offset of the first byte of 1-based line n.
func (s *Source) LineStart(n int) int {
	if n < 1 {
		return 0
	}
	if n > len(s.lineStarts) {
		return len(s.Data)
	}
	start := s.lineStarts[n-1]
	if n == 1 {
		start += s.bom
	}
	return start
}

// LineEnd returns the offset just past the last content byte of line n,
// excluding the line ending ("\n" or "\r\n").
func (s *Source) LineEnd(n int) int {
	if n < 1 {
		return 0
	}
	var end int
	if n >= len(s.lineStarts) {
		end = len(s.Data)
	} else {
		end = s.lineStarts[n] - 1 // the '\n'
	}
	if start := s.LineStart(n); end > start && s.Data[end-1] == '\r' {
		end--
	}
	if end < s.LineStart(n) {
		return s.LineStart(n)
	}
	return end
}

// rawLineLen is the length in bytes of line n as a line scanner sees it: a
// BOM and a CR before the LF included.
func (s *Source) rawLineLen(n int) int {
	if n < 1 || n > len(s.lineStarts) {
		return 0
	}
	end := len(s.Data)
	if n < len(s.lineStarts) {
		end = s.lineStarts[n] - 1
	}
	return end - s.lineStarts[n-1]
}

// Line returns the text of 1-based line n without its line ending.
func (s *Source) Line(n int) string {
	return string(s.Data[s.LineStart(n):s.LineEnd(n)])
}

// lineOf returns the 1-based line containing offset off.
func (s *Source) lineOf(off int) int {
	return sort.Search(len(s.lineStarts), func(i int) bool { return s.lineStarts[i] > off })
}

// Pos converts a byte offset into a position. Columns count Unicode code
// points from 1; a BOM is zero-width and a CR before LF belongs to no column.
func (s *Source) Pos(off int) Pos {
	if off < 0 {
		off = 0
	}
	if off > len(s.Data) {
		off = len(s.Data)
	}
	line := s.lineOf(off)
	start := s.LineStart(line)
	if off < start { // inside the BOM
		off = start
	}
	if s.ascii {
		return Pos{Offset: off, Line: line, Column: 1 + off - start}
	}
	return Pos{Offset: off, Line: line, Column: 1 + utf8.RuneCount(s.Data[start:off])}
}

// posNear is Pos for an offset known to lie on line hint or shortly after:
// it scans forward from the hint instead of searching all lines.
func (s *Source) posNear(off, hint int) Pos {
	if hint < 1 || hint > len(s.lineStarts) || off < s.lineStarts[hint-1] || off > len(s.Data) {
		return s.Pos(off)
	}
	line := hint
	for line < len(s.lineStarts) && s.lineStarts[line] <= off {
		line++
	}
	start := s.LineStart(line)
	if off < start {
		off = start
	}
	if s.ascii {
		return Pos{Offset: off, Line: line, Column: 1 + off - start}
	}
	return Pos{Offset: off, Line: line, Column: 1 + utf8.RuneCount(s.Data[start:off])}
}

// Range returns the range between two byte offsets.
func (s *Source) Range(start, end int) Range {
	if end < start {
		end = start
	}
	return Range{Start: s.Pos(start), End: s.Pos(end)}
}

// LineRange returns the range covering the content of lines first..last.
func (s *Source) LineRange(first, last int) Range {
	return s.Range(s.LineStart(first), s.LineEnd(last))
}

// Pos is a position in a Source. Line and Column are 1-based; Column counts
// code points.
type Pos struct {
	Offset int
	Line   int
	Column int
}

// Range is a half-open span of source text: End is the position just past
// the last character, as in SARIF and LSP.
type Range struct {
	Start Pos
	End   Pos
}

// IsZero reports whether the range was never set.
func (r Range) IsZero() bool { return r.Start.Line == 0 }
