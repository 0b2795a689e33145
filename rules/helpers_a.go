package rules

import (
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/moby/buildkit/frontend/dockerfile/shell"
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

// unpinned returns the packages ok does not accept as pinned.
func unpinned(pkgs []lint.Word, ok func(string) bool) []lint.Word {
	var out []lint.Word
	for _, p := range pkgs {
		if !ok(p.Value) {
			out = append(out, p)
		}
	}
	return out
}

// literalFirst moves a package named literally to the front, so that a
// finding points at a real package name rather than at a $VARIABLE.
func literalFirst(bad []lint.Word) []lint.Word {
	for i, w := range bad {
		if !strings.Contains(w.Value, "$") {
			if i > 0 {
				bad = append([]lint.Word{w}, append(append([]lint.Word{}, bad[:i]...), bad[i+1:]...)...)
			}
			break
		}
	}
	return bad
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
	// COPY --from and --target count from 0: give both.
	return "stage " + itoa(s.Index+1) + " (index " + itoa(s.Index) + ")"
}

// stageEnv returns the build arguments and environment variables visible
// to ins with their default values: global ARGs redeclared in the stage,
// and the stage's (and its parents') ARG and ENV instructions before ins.
// Values are processed as BuildKit processes them when it runs the
// instruction: quotes removed, escapes applied and earlier variables
// expanded (ENV D="/app" is /app). A value that names a variable the
// Dockerfile does not set is left out, so that words using it stay
// unresolved rather than resolved wrongly.
func stageEnv(ins *lint.Instruction) map[string]string {
	lex := shell.NewLex(ins.File.Escape)
	set := func(env map[string]string, key, raw string) {
		v, missing, err := lex.ProcessWord(raw, lint.ShellEnv(env))
		if err != nil || len(missing) > 0 {
			delete(env, key)
			return
		}
		env[key] = v
	}
	globals := map[string]string{}
	for _, g := range ins.File.GlobalArgs() {
		if a, ok := g.Command.(*instructions.ArgCommand); ok {
			for _, kv := range a.Args {
				if kv.Value != nil {
					set(globals, kv.Key, *kv.Value)
				}
			}
		}
	}
	env := map[string]string{}
	if ins.Stage == nil {
		return globals
	}
	chain := ins.Stage.Ancestors()
	for i := len(chain) - 1; i >= 0; i-- {
		for _, x := range chain[i].Instructions {
			if x == ins || x == ins.Outer {
				return env
			}
			switch c := x.Command.(type) {
			case *instructions.ArgCommand:
				for _, kv := range c.Args {
					if kv.Value != nil {
						set(env, kv.Key, *kv.Value)
					} else if v, ok := globals[kv.Key]; ok {
						env[kv.Key] = v
					}
				}
			case *instructions.EnvCommand:
				for _, kv := range c.Env {
					set(env, kv.Key, kv.Value)
				}
			}
		}
	}
	return env
}

// expandDefault expands the variables of a Dockerfile word with their
// default values, and reports whether every variable had one.
func expandDefault(ins *lint.Instruction, word string) (string, bool) {
	out, missing, err := shell.NewLex(ins.File.Escape).ProcessWord(word, lint.ShellEnv(stageEnv(ins)))
	return out, err == nil && len(missing) == 0
}

// runShell is the shell a shell-form instruction runs under at ins: the
// last SHELL of the stage (or the stages it is built from), else /bin/sh -c.
func runShell(ins *lint.Instruction) string {
	sh := "/bin/sh -c"
	if ins.Stage == nil {
		return sh
	}
	chain := ins.Stage.Ancestors()
	for i := len(chain) - 1; i >= 0; i-- {
		for _, x := range chain[i].Instructions {
			if x == ins {
				return sh
			}
			if c, ok := x.Command.(*instructions.ShellCommand); ok && len(c.Shell) > 0 {
				sh = strings.Join(c.Shell, " ")
			}
		}
	}
	return sh
}
