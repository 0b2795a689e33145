package rules

import (
	"strings"

	"github.com/strata-dev/strata/lint"
)

// Helpers for the hadolint rules DL1001 to DL3029. They reproduce how
// hadolint reads a command line (Hadolint.Shell), so that strata reports
// the same instructions, while keeping each word's exact range.

// eachTopRun calls fn for every top-level RUN with a parsed script. It is
// for the rules hadolint does not apply inside ONBUILD (eachRun is for
// those it does).
func eachTopRun(f *lint.File, fn func(ins *lint.Instruction, s *lint.Script)) {
	for _, ins := range f.Instructions {
		if ins.Kind != "run" {
			continue
		}
		if s := ins.Script(); s != nil && s.Err == nil {
			fn(ins, s)
		}
	}
}

// dropQuotes strips the quotes around a word as hadolint does: every
// leading and trailing ' or ", paired or not.
func dropQuotes(s string) string { return strings.Trim(s, `"'`) }

// countFlag counts how often a flag is given (-qq counts q twice).
func countFlag(c *lint.Command, name string) int {
	n := 0
	for _, a := range c.Args {
		if !a.IsFlag() {
			continue
		}
		if strings.HasPrefix(a.Value, "--") {
			if flag, _, _ := strings.Cut(a.Value[2:], "="); flag == name {
				n++
			}
			continue
		}
		if len(name) == 1 {
			n += strings.Count(a.Value[1:], name)
		}
	}
	return n
}

// operands returns the arguments that are not flags, without the value of
// any of valueFlags given as a separate word: hadolint's
// getArgsNoFlags . dropFlagArg valueFlags. A flag that carries its value
// inline (--virtual=.deps) drops nothing; "-" and "--" are operands.
func operands(c *lint.Command, valueFlags ...string) []lint.Word {
	drop := make([]bool, len(c.Args))
	if len(valueFlags) > 0 {
		for i, a := range c.Args {
			if !a.IsFlag() || strings.Contains(a.Value, "=") || i+1 >= len(c.Args) {
				continue
			}
			if takesValue(a.Value, valueFlags) {
				drop[i+1] = true
			}
		}
	}
	var out []lint.Word
	for i, a := range c.Args {
		if !drop[i] && !a.IsFlag() {
			out = append(out, a)
		}
	}
	return out
}

// takesValue reports whether a flag word names one of flags (-abc names
// a, b and c).
func takesValue(word string, flags []string) bool {
	if strings.HasPrefix(word, "--") {
		for _, f := range flags {
			if word[2:] == f {
				return true
			}
		}
		return false
	}
	for _, f := range flags {
		if len(f) == 1 && strings.Contains(word[1:], f) {
			return true
		}
	}
	return false
}

// afterSubcommand drops the words up to the first sub (install), and
// every sub right after it: hadolint's stripInstallPrefix.
func afterSubcommand(words []lint.Word, sub string) []lint.Word {
	i := 0
	for i < len(words) && words[i].Value != sub {
		i++
	}
	for i < len(words) && words[i].Value == sub {
		i++
	}
	return words[i:]
}

// argWord returns the argument of c equal to one of values.
func argWord(c *lint.Command, values ...string) (lint.Word, bool) {
	for _, a := range c.Args {
		for _, v := range values {
			if a.Value == v {
				return a, true
			}
		}
	}
	return lint.Word{}, false
}

// span is the range from the start of a to the end of b.
func span(a, b lint.Range) lint.Range { return lint.Range{Start: a.Start, End: b.End} }

// commandHead is the range of a command's name up to its subcommand word
// (apt-get ... install), where a finding about the whole command points.
func commandHead(c *lint.Command, sub ...string) lint.Range {
	if w, ok := argWord(c, sub...); ok {
		return span(c.Name.Range(), w.Range())
	}
	return c.Name.Range()
}

// unpinned splits packages into those pinned by ok and the rest.
func unpinned(pkgs []lint.Word, ok func(string) bool) []lint.Word {
	var out []lint.Word
	for _, p := range pkgs {
		if !ok(p.Value) {
			out = append(out, p)
		}
	}
	return out
}

// unpinnedMessage names the first unpinned package and counts the others.
func unpinnedMessage(manager string, bad []lint.Word) string {
	first := bad[0].Value
	var b strings.Builder
	if strings.Contains(first, "$") {
		b.WriteString("`" + first + "` is installed by " + manager + " without a pinned version (a variable cannot be checked)")
	} else {
		b.WriteString("`" + first + "` is installed by " + manager + " without a pinned version")
	}
	switch n := len(bad) - 1; {
	case n == 1:
		b.WriteString(", and so is `" + bad[1].Value + "`")
	case n > 1:
		b.WriteString(", and so are " + itoa(n) + " more (`" + bad[1].Value + "`, ...)")
	}
	b.WriteString(": every rebuild can install a different version")
	return b.String()
}

// insertAfter is a fix edit that inserts text right after r.
func insertAfter(r lint.Range, text string) lint.Edit {
	return lint.Edit{Range: lint.Range{Start: r.End, End: r.End}, NewText: text}
}

// pragmaLine returns the text of a comment for messages, shortened.
func shorten(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "..."
}

// matchCase returns word in the letter case of like (ADD -> COPY, add ->
// copy).
func matchCase(word, like string) string {
	if like == strings.ToLower(like) {
		return strings.ToLower(word)
	}
	return strings.ToUpper(word)
}

// stageLabel names a stage for messages: `build` or "stage 2".
func stageLabel(s *lint.Stage) string {
	if s.Name != "" {
		return "stage `" + s.Name + "`"
	}
	return "stage " + itoa(s.Index+1)
}
