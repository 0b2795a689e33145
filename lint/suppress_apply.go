package lint

import (
	"fmt"
	"github.com/strata-dev/strata/internal/lazyre"
	"strings"
)

var shellCheckCode = lazyre.New(`^SC\d+$`)

// suppress drops the diagnostics that suppression comments cover and adds
// the diagnostics about the comments themselves (unknown or unused codes,
// missing reasons).
func (l *Linter) suppress(res *Result, diags []Diagnostic) []Diagnostic {
	f := res.File
	if l.opts.DisableIgnorePragma {
		return diags
	}
	pragmas := f.Pragmas()
	diags = l.checkSkipReports(res, diags)
	if len(pragmas) == 0 {
		return diags
	}
	used := make([][]bool, len(pragmas))
	scopes := make([]func(int) bool, len(pragmas))
	for i, p := range pragmas {
		used[i] = make([]bool, len(p.Codes))
		if p.Invalid == "" && !l.hadolintVoid(p) {
			scopes[i] = pragmaScope(f, p)
		}
	}
	kept := diags[:0]
	for _, d := range diags {
		suppressed := false
		for i, p := range pragmas {
			if scopes[i] == nil || !scopes[i](d.anchor) {
				continue
			}
			for j, c := range p.Codes {
				if c == d.Code {
					used[i][j] = true
					suppressed = true
				}
			}
		}
		if !suppressed {
			kept = append(kept, d)
		}
	}
	for i, p := range pragmas {
		if p.Kind == PragmaShell {
			continue
		}
		if p.Invalid != "" {
			kept = l.meta(kept, f, "ST0002", p.InvalidAt, p.Comment.Line, "malformed suppression: %s; nothing is suppressed", p.Invalid)
			continue
		}
		if p.Tool == "strata" && p.Reason == "" {
			kept = l.meta(kept, f, "ST0003", p.Comment.Range, p.Comment.Line,
				"suppression without a reason: say why after the codes, e.g. \"# strata: ignore=%s pinned by the base image\"", strings.Join(p.Codes, ","))
		}
		void := l.hadolintVoid(p)
		for j, code := range p.Codes {
			r := p.CodeRanges[j]
			known := l.knownCode(code)
			switch {
			case !known && void:
				kept = l.meta(kept, f, "ST0002", r, p.Comment.Line,
					"%q is not a rule code, so hadolint ignores the whole comment: nothing here is suppressed", code)
			case void:
			case !known:
				kept = l.meta(kept, f, "ST0002", r, p.Comment.Line, "unknown rule code %q in suppression comment", code)
			case !used[i][j] && l.ran(code) && !(res.shellCheckFailed && shellCheckCode().MatchString(code)):
				kept = l.meta(kept, f, "ST0001", r, p.Comment.Line, "unused suppression: %s reported nothing here", code)
			}
		}
	}
	return kept
}

// knownCode reports whether code names a rule: a registered code, one of
// ShellCheck's, or a foreign one (ForeignCodes).
func (l *Linter) knownCode(code string) bool {
	return l.registry[code] != nil || shellCheckCode().MatchString(code) || ForeignCodes[code]
}

// hadolintVoid reports whether a # hadolint comment holds an unknown code
// that is not even spelt like one (hadolint's test: only the characters of
// DL and SC codes, and digits): hadolint then ignores the whole comment,
// and so does strata, so that a file means the same to both. strata's own
// codes (ST3005, FromAsCasing) are read in hadolint's comments too, and a
// well-formed code that names no rule (DL9999) is dropped alone, as in
// # strata: comments.
func (l *Linter) hadolintVoid(p Pragma) bool {
	if p.Tool != "hadolint" {
		return false
	}
	for _, c := range p.Codes {
		if !l.knownCode(c) && !hadolintCodeChars().MatchString(c) {
			return true
		}
	}
	return false
}

// hadolintCodeChars is hadolint's own test of a code in its comments.
var hadolintCodeChars = lazyre.New(`^[DLSC0-9]+$`)

// checkSkipReports reports the names of the check directive's skip= that
// name no rule (ST0002) or skipped nothing (ST0001). skip=all, and "all" in
// a list, are valid.
func (l *Linter) checkSkipReports(res *Result, diags []Diagnostic) []Diagnostic {
	c := &res.check
	for _, e := range c.entries {
		code := e.code
		if code == "all" && len(c.entries) == 1 {
			continue
		}
		r := l.registry[code]
		known := r != nil || shellCheckCode().MatchString(code) || ForeignCodes[code]
		switch {
		case code == "all":
			diags = l.meta(diags, res.File, "ST0002", e.at, c.line, "all skips every check only on its own (# check=skip=all); in a list it skips nothing")
		case ForeignCodes[code]:
		case !known:
			diags = l.meta(diags, res.File, "ST0002", e.at, c.line, "unknown rule code %q in # check=skip", code)
		case c.used[code] || !l.ran(code):
		case r != nil && r.Experimental:
			// BuildKit never skips an experimental rule: nothing to say.
		case res.shellCheckFailed && (r == ShellCheckRule || shellCheckCode().MatchString(code)):
			// ShellCheck did not run: its silence means nothing.
		default:
			diags = l.meta(diags, res.File, "ST0001", e.at, c.line, "unused suppression: %s reported nothing here (# check=skip)", code)
		}
	}
	return diags
}

// ran reports whether a code's rule was enabled for this run, so that its
// silence means something.
func (l *Linter) ran(code string) bool {
	if shellCheckCode().MatchString(code) {
		code = ShellCheckRule.Code
	}
	_, ok := l.severity[code]
	return ok
}

func (l *Linter) meta(out []Diagnostic, f *File, code string, r Range, line int, format string, args ...any) []Diagnostic {
	sev, on := l.severity[code]
	if !on {
		return out
	}
	rule := l.registry[code]
	return append(out, Diagnostic{
		File: f.Source.Path, Range: r, Code: code, Name: rule.Name, Severity: sev,
		Message: fmt.Sprintf(format, args...), URL: rule.URL(), rule: rule, anchor: line,
	})
}

// pragmaScope returns which anchor lines a pragma covers.
func pragmaScope(f *File, p Pragma) func(int) bool {
	line := p.Comment.Line
	switch p.Kind {
	case PragmaGlobal:
		return func(int) bool { return true }
	case PragmaNextLine:
		return func(a int) bool { return a == line+1 }
	case PragmaNextInstruction:
		next := 0
		for _, ins := range f.Instructions {
			if ins.StartLine > line {
				next = ins.StartLine
				break
			}
		}
		return func(a int) bool { return next != 0 && a == next }
	case PragmaStage:
		for i, s := range f.Stages {
			if s.From.StartLine != line+1 {
				continue
			}
			end := 1 << 30
			if i+1 < len(f.Stages) {
				end = f.Stages[i+1].From.StartLine
			}
			from := s.From.StartLine
			return func(a int) bool { return a > from && a < end }
		}
	}
	return nil
}
