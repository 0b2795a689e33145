package lint

import (
	"bytes"
	"strings"
	"unicode"

	"github.com/moby/buildkit/frontend/dockerfile/parser"
)

// File is the model of one Dockerfile that rules query.
type File struct {
	Source *Source
	// Escape is the escape and line-continuation character.
	Escape rune
	// Directives are the parser directives at the top of the file
	// (# syntax=, # escape=, # check=).
	Directives []Directive
	// Instructions are the top-level instructions in source order.
	Instructions []*Instruction
	// Stages are the build stages, one per FROM.
	Stages []*Stage
	// Comments are every comment line outside heredoc bodies, including
	// those inside continued instructions.
	Comments []Comment
	// ParseErrors are the parts that do not parse.
	ParseErrors []ParseError

	pragmas     []Pragma
	pragmasDone bool
	memo        map[any]any
}

// Memo returns the value cached under key for this file, computing it on
// first use. Rules use it to share an expensive analysis (one walk of the
// stages, say) among themselves; the value lives as long as the File. A
// File is linted by one goroutine, so no lock is needed. Use an unexported
// key type of your own to avoid collisions.
func (f *File) Memo(key any, compute func() any) any {
	if v, ok := f.memo[key]; ok {
		return v
	}
	if f.memo == nil {
		f.memo = map[any]any{}
	}
	v := compute()
	f.memo[key] = v
	return v
}

// Directive is a parser directive such as "# check=skip=all".
type Directive struct {
	Name  string // lower case
	Value string
	Range Range
}

// Comment is one comment line.
type Comment struct {
	Line  int
	Text  string // after '#', trimmed
	Range Range  // from '#' to the end of the line
}

// Directive returns the value of the named parser directive.
func (f *File) Directive(name string) (string, bool) {
	for _, d := range f.Directives {
		if d.Name == name {
			return d.Value, true
		}
	}
	return "", false
}

// GlobalArgs are the ARG instructions before the first FROM.
func (f *File) GlobalArgs() []*Instruction {
	var out []*Instruction
	for _, ins := range f.Instructions {
		if ins.Kind == "from" {
			break
		}
		if ins.Kind == "arg" {
			out = append(out, ins)
		}
	}
	return out
}

// FinalStage is the last stage, the default build target.
func (f *File) FinalStage() *Stage {
	if len(f.Stages) == 0 {
		return nil
	}
	return f.Stages[len(f.Stages)-1]
}

// StageByName finds a stage by its alias (case-insensitive) or index.
func (f *File) StageByName(name string) *Stage {
	for _, s := range f.Stages {
		if s.Name != "" && strings.EqualFold(s.Name, name) {
			return s
		}
	}
	return nil
}

// parseDirectives reads the directives as BuildKit does: only at the top,
// each at most once, stopping at the first line that is not one.
func (f *File) parseDirectives() {
	src := f.Source
	var dp parser.DirectiveParser
	for n := 1; n <= src.LineCount(); n++ {
		line := bytes.TrimRight(src.Data[src.LineStart(n):src.LineEnd(n)], "\r\n")
		line = bytes.TrimLeftFunc(line, unicode.IsSpace)
		d, err := dp.ParseLine(line)
		if err != nil {
			continue
		}
		if d == nil {
			return
		}
		start := src.LineStart(n) + bytes.IndexByte(src.Data[src.LineStart(n):], '#')
		f.Directives = append(f.Directives, Directive{Name: d.Name, Value: d.Value, Range: src.Range(start, src.LineEnd(n))})
	}
}

// collectComments records every comment line that is not inside a heredoc
// body.
func (f *File) collectComments(ins []*Instruction) {
	src := f.Source
	inHeredoc := make(map[int]bool)
	for _, in := range ins {
		for _, h := range in.Heredocs {
			for l := h.FirstLine; l <= h.LastLine; l++ {
				inHeredoc[l] = true
			}
		}
	}
	for n := 1; n <= src.LineCount(); n++ {
		if inHeredoc[n] {
			continue
		}
		start, end := src.LineStart(n), src.LineEnd(n)
		line := src.Data[start:end]
		trimmed := bytes.TrimLeftFunc(line, unicode.IsSpace)
		if len(trimmed) == 0 || trimmed[0] != '#' {
			continue
		}
		hash := start + len(line) - len(trimmed)
		f.Comments = append(f.Comments, Comment{
			Line:  n,
			Text:  strings.TrimSpace(string(trimmed[1:])),
			Range: src.Range(hash, end),
		})
	}
}
