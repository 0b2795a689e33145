// Derived from github.com/moby/buildkit/frontend/dockerfile/parser at
// v0.34.2 (Apache License 2.0, see LICENSE in this directory).

// Package parser is BuildKit's Dockerfile parser with its per-line regular
// expressions replaced by byte scans. It returns BuildKit's own types.
package parser

import (
	"bytes"
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/parser"
)

// The AST types are BuildKit's, so BuildKit's instructions package reads
// the result unchanged.
type (
	Node     = parser.Node
	Heredoc  = parser.Heredoc
	Result   = parser.Result
	Warning  = parser.Warning
	Range    = parser.Range
	Position = parser.Position
)

func withLocation(err error, start, end int) error {
	return parser.WithLocation(err, toRanges(start, end))
}

func toRanges(start, end int) (r []Range) {
	if end <= start {
		end = start
	}
	for i := start; i <= end; i++ {
		r = append(r, Range{Start: Position{Line: i}, End: Position{Line: i}})
	}
	return
}

const keyEscape = "escape"

var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

func discardBOM(dt []byte) []byte {
	return bytes.TrimPrefix(dt, utf8BOM)
}

// canContainHeredoc is BuildKit's unexported Node method.
func canContainHeredoc(node *Node) bool {
	// check for compound commands, like ONBUILD
	if ok := heredocCompoundDirectives[strings.ToLower(node.Value)]; ok {
		if node.Next != nil && len(node.Next.Children) > 0 {
			node = node.Next.Children[0]
		}
	}
	if ok := heredocDirectives[strings.ToLower(node.Value)]; !ok {
		return false
	}
	if isJSON := node.Attributes["json"]; isJSON {
		return false
	}
	return true
}

// isWhitespace is the class [\t\v\f\r ] of BuildKit's reWhitespace.
func isWhitespace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\v' || c == '\f' || c == '\r'
}

// splitWhitespace is reWhitespace.Split(s, n): split around runs of
// [\t\v\f\r ], at most n parts when n > 0.
func splitWhitespace(s string, n int) []string {
	if n == 0 {
		return nil
	}
	var out []string
	start := 0
	for i := 0; i < len(s); {
		if !isWhitespace(s[i]) {
			i++
			continue
		}
		j := i
		for j < len(s) && isWhitespace(s[j]) {
			j++
		}
		if n > 0 && len(out) == n-1 {
			break
		}
		out = append(out, s[start:i])
		start = j
		i = j
	}
	return append(out, s[start:])
}
