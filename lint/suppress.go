package lint

import (
	"github.com/strata-dev/strata/internal/lazyre"
	"strings"
)

// PragmaKind is what a suppression comment applies to.
type PragmaKind int

// Pragma kinds.
const (
	PragmaNextLine        PragmaKind = iota // # hadolint ignore=...: the physical line after
	PragmaNextInstruction                   // # strata: ignore=... reason: the next instruction
	PragmaStage                             // # hadolint stage ignore=...: the stage below
	PragmaGlobal                            // # hadolint global ignore=..., # strata: global ignore=...
	PragmaShell                             // # hadolint shell=NAME
)

// Pragma is a suppression (or shell) comment.
type Pragma struct {
	Kind   PragmaKind
	Tool   string // "hadolint" or "strata"
	Codes  []string
	Reason string
	Shell  string
	// Comment is the comment line it was written on; CodeRanges locate
	// each code in it.
	Comment    Comment
	CodeRanges []Range
	// Invalid says why the comment suppresses nothing (hadolint discards a
	// whole ignore comment it cannot parse); InvalidAt is where.
	Invalid   string
	InvalidAt Range
}

var (
	hadolintPragma = lazyre.New(`^hadolint\s+(?:(global|stage)\s+)?ignore\s*=\s*([A-Za-z0-9]+(?:\s*,\s*[A-Za-z0-9]*)*)(.*)$`)
	pragmaTail     = lazyre.New(`^\s*(#.*)?$`)
	hadolintShell  = lazyre.New(`^hadolint\s+shell\s*=\s*(\S+)`)
	strataPragma   = lazyre.New(`^strata:\s*(?:(global)\s+)?ignore\s*=\s*([A-Za-z0-9]+(?:\s*,\s*[A-Za-z0-9]+)*)\s*(.*)$`)
	codeInPragma   = lazyre.New(`[A-Za-z0-9]+`)
)

// Pragmas returns the suppression comments of the file, parsed once.
func (f *File) Pragmas() []Pragma {
	if f.pragmas != nil || f.pragmasDone {
		return f.pragmas
	}
	f.pragmasDone = true
	for _, c := range f.Comments {
		if p, ok := parsePragma(f.Source, c); ok {
			f.pragmas = append(f.pragmas, p)
		}
	}
	return f.pragmas
}

func parsePragma(src *Source, c Comment) (Pragma, bool) {
	text := c.Text
	p := Pragma{Comment: c}
	var list string
	var listAt int
	switch {
	case strings.HasPrefix(text, "hadolint"):
		p.Tool = "hadolint"
		if m := hadolintShell().FindStringSubmatch(text); m != nil {
			p.Kind, p.Shell = PragmaShell, m[1]
			return p, true
		}
		m := hadolintPragma().FindStringSubmatchIndex(text)
		if m == nil {
			return p, false
		}
		p.Kind = PragmaNextLine
		if m[2] >= 0 {
			if text[m[2]:m[3]] == "global" {
				p.Kind = PragmaGlobal
			} else {
				p.Kind = PragmaStage
			}
		}
		list, listAt = text[m[4]:m[5]], m[4]
		if tail := text[m[6]:m[7]]; !pragmaTail().MatchString(tail) {
			p.Invalid = "text after the codes must be a # comment, or hadolint ignores the whole comment"
			p.InvalidAt = commentSpan(src, c, text, m[6]+len(tail)-len(strings.TrimLeft(tail, " \t")), m[7])
		}
	case strings.HasPrefix(text, "strata:"):
		p.Tool = "strata"
		m := strataPragma().FindStringSubmatchIndex(text)
		if m == nil {
			return p, false
		}
		p.Kind = PragmaNextInstruction
		if m[2] >= 0 {
			p.Kind = PragmaGlobal
		}
		list, listAt = text[m[4]:m[5]], m[4]
		p.Reason = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(text[m[6]:m[7]]), "--"))
	default:
		return p, false
	}
	// Text is the trimmed comment after '#': find where it starts in the line.
	line := src.Data[c.Range.Start.Offset:src.LineEnd(c.Line)]
	textAt := c.Range.Start.Offset + strings.Index(string(line), text)
	for _, loc := range codeInPragma().FindAllStringIndex(list, -1) {
		code := list[loc[0]:loc[1]]
		start := textAt + listAt + loc[0]
		r := src.Range(start, start+loc[1]-loc[0])
		// hadolint's own parser takes only DL/SC codes, but strata reads
		// the comment for every rule (ST codes, BuildKit's names), since
		// users migrating from hadolint keep its syntax. A code that names
		// no rule is reported (ST0002) and dropped; the others still apply.
		p.Codes = append(p.Codes, code)
		p.CodeRanges = append(p.CodeRanges, r)
	}
	return p, true
}

// commentSpan is the range of text[from:to] of a comment's trimmed text.
func commentSpan(src *Source, c Comment, text string, from, to int) Range {
	line := src.Data[c.Range.Start.Offset:src.LineEnd(c.Line)]
	at := c.Range.Start.Offset + strings.Index(string(line), text)
	return src.Range(at+from, at+to)
}

// ShellPragma returns the shell named by "# hadolint shell=NAME" comments
// for an instruction on line: the nearest pragma above it, if any.
func (f *File) ShellPragma(line int) string {
	shell := ""
	for _, p := range f.Pragmas() {
		if p.Kind == PragmaShell && p.Comment.Line < line {
			shell = p.Shell
		}
	}
	return shell
}
