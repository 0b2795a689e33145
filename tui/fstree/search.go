package fstree

import (
	"bytes"
	"path"
	"strings"
	"unicode"

	"github.com/strata-dev/strata/analyze"
)

// Query is a compiled search: a glob when the text has *, ? or [ (matched
// against names, or against whole paths when it holds a /; ** crosses
// directories), a substring of the path otherwise (ignoring case unless
// the text has an upper-case letter).
type Query struct {
	Text string
	glob bool
	// fold is set for case-insensitive substrings; needle is then lower case.
	fold   bool
	needle string
}

// Compile reads a search text. A malformed glob is searched as text.
func Compile(text string) Query {
	q := Query{Text: text, needle: text}
	if strings.ContainsAny(text, "*?[") && analyze.ValidGlob(text) {
		q.glob = true
		return q
	}
	q.fold = strings.IndexFunc(text, unicode.IsUpper) < 0
	return q
}

// IsGlob reports whether the query is a glob.
func (q Query) IsGlob() bool { return q.glob }

// Match marks the paths that match q, and everything below a matched
// directory, for every path of the image (a result holds for all layers).
func (ix *Index) Match(q Query) []bool {
	p := ix.R.Paths
	n := p.Len()
	match := make([]bool, n)
	if q.Text == "" {
		for i := range match {
			match[i] = true
		}
		return match
	}
	// Tree order visits parents first: a stack of the ancestors of the
	// current path, with where each one's path ends in buf, builds every
	// path by appending one name.
	type open struct {
		id  analyze.PathID
		end int
	}
	stack := make([]open, 0, 32)
	buf := make([]byte, 0, 256)
	lower := make([]byte, 0, 256)
	needle := []byte(q.needle)
	wholePath := q.glob && strings.Contains(q.Text, "/")
	for _, id := range ix.byRank[1:] {
		par := p.Parent(id)
		for len(stack) > 0 && stack[len(stack)-1].id != par {
			stack = stack[:len(stack)-1]
		}
		start := 0
		if len(stack) > 0 {
			start = stack[len(stack)-1].end
		}
		buf = append(buf[:start], '/')
		buf = append(buf, p.Name(id)...)
		if q.fold {
			lower = appendLower(append(lower[:start], '/'), buf[start+1:])
		}
		stack = append(stack, open{id, len(buf)})
		if match[par] && par != analyze.Root {
			match[id] = true
			continue
		}
		switch {
		case q.glob && wholePath:
			match[id] = analyze.MatchPath(q.Text, string(buf))
		case q.glob:
			ok, _ := path.Match(q.Text, p.Name(id))
			match[id] = ok
		case q.fold:
			// The parent's path did not match: only a match reaching
			// into the new name is possible.
			match[id] = bytes.Contains(lower[max(0, start-len(needle)+1):], needle)
		default:
			match[id] = bytes.Contains(buf[max(0, start-len(needle)+1):], needle)
		}
	}
	return match
}

func appendLower(dst, s []byte) []byte {
	for _, c := range s {
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		dst = append(dst, c)
	}
	return dst
}
