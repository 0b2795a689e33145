package rules

import (
	"slices"
	"strconv"
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/linter"
	"github.com/moby/buildkit/frontend/dockerfile/parser"
	"github.com/moby/buildkit/frontend/dockerfile/shell"
	"github.com/moby/buildkit/util/suggest"

	"github.com/strata-dev/strata/lint"
)

// BuildKit's checks are not independent: BuildKit runs them during one pass
// over the file (parse, then stages, then each instruction in build order),
// with state that flows through it (variables, the working directory, the
// shell, what a parent stage set), and it stops at the first error. strata
// reproduces that pass once per file (bkSim, helpers_buildkit_pass.go) and
// every BuildKit rule reports its share of the result. Each rule's own test
// lives in the rule's file, as a method the pass calls at the point where
// BuildKit runs it.

// bkFinding is one finding of the pass. It holds no pointer into the File
// so that the cached result does not keep the File alive.
type bkFinding struct {
	rule string
	ins  int // index in File.Instructions, -1 when none
	rng  lint.Range
	msg  string
	help string
	fix  *lint.Fix
}

type bkResult struct {
	findings []bkFinding
}

// checkBuildKit is the Check of every BuildKit rule.
func checkBuildKit(p *lint.Pass) {
	for _, f := range buildkitPass(p).findings {
		if f.rule != p.Rule.Code {
			continue
		}
		var at *lint.Instruction
		if f.ins >= 0 && f.ins < len(p.File.Instructions) {
			at = p.File.Instructions[f.ins]
		}
		var fix *lint.Fix
		if f.fix != nil {
			cp := *f.fix
			fix = &cp
		}
		p.Report(lint.Finding{At: at, Range: f.rng, Message: f.msg, Help: f.help, Fix: fix})
	}
}

// The pass runs once per file and context, for whichever BuildKit rule asks
// first, and lives as long as the File.
type bkKey struct{ ctx *lint.BuildContext }

func buildkitPass(p *lint.Pass) *bkResult {
	return p.File.Memo(bkKey{p.Context}, func() any { return simulateBuildKit(p.File, p.Context) }).(*bkResult)
}

// commentsSkip reports whether a "# check=skip=..." comment in the comment
// block right above an instruction turns rule off for that instruction, as
// BuildKit's Linter.WithMergedConfigFromComments does: only the first
// check comment counts, and a malformed one changes nothing.
func commentsSkip(comments []string, rule string) bool {
	for _, c := range comments {
		if !strings.Contains(c, "check") {
			continue
		}
		var dp parser.DirectiveParser
		dp.SetComment("")
		d, _ := dp.ParseLine([]byte(c))
		if d == nil || d.Name != "check" {
			continue
		}
		v, _, _ := strings.Cut(d.Value, " ")
		cfg, err := linter.ParseLintOptions(v)
		if err != nil {
			return false
		}
		return cfg.SkipAll || slices.Contains(cfg.SkipRules, rule)
	}
	return false
}

// bkEnv is a variable scope in BuildKit's order: a re-set key moves to the
// end, as in llb.EnvList.
type bkEnv struct {
	keys []string
	vals map[string]string
}

func newBkEnv() *bkEnv { return &bkEnv{vals: map[string]string{}} }

func (e *bkEnv) Get(k string) (string, bool) { v, ok := e.vals[k]; return v, ok }
func (e *bkEnv) Keys() []string              { return e.keys }

func (e *bkEnv) set(k, v string) {
	if _, ok := e.vals[k]; ok {
		e.keys = slices.DeleteFunc(e.keys, func(x string) bool { return x == k })
	}
	e.keys = append(e.keys, k)
	e.vals[k] = v
}

func (e *bkEnv) clone() *bkEnv {
	c := &bkEnv{keys: slices.Clone(e.keys), vals: make(map[string]string, len(e.vals))}
	for k, v := range e.vals {
		c.vals[k] = v
	}
	return c
}

// emptyEnv has no variables.
type emptyEnv struct{}

func (emptyEnv) Get(string) (string, bool) { return "", false }
func (emptyEnv) Keys() []string            { return nil }

var _ shell.EnvGetter = (*bkEnv)(nil)

// didYouMean is BuildKit's suggestion for a misspelt name, formatted for a
// message ("" when there is none).
func didYouMean(name string, options []string) string {
	if m, ok := suggest.Search(name, options, true); ok {
		return " (did you mean $" + m + "?)"
	}
	return ""
}

// sortedKeys returns a set's keys in order, so findings are deterministic
// where BuildKit iterates a map.
func sortedKeys(m map[string]struct{}) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// nodeArgs are an instruction's arguments as BuildKit's instructions
// package sees them.
func nodeArgs(node *parser.Node) []string {
	var out []string
	for n := node.Next; n != nil; n = n.Next {
		if len(n.Children) == 0 {
			out = append(out, n.Value)
		} else if len(n.Children) == 1 {
			out = append(out, n.Children[0].Value)
			out = append(out, nodeArgs(n.Children[0])...)
		}
	}
	return out
}

// textAfterKeyword is the logical offset just past an instruction's
// keyword.
func textAfterKeyword(ins *lint.Instruction) int {
	i := strings.IndexAny(ins.Text, " \t")
	if i < 0 {
		return len(ins.Text)
	}
	return i
}

// findWord returns the range of the n-th (0-based) occurrence of word in
// an instruction's arguments, or false.
func findWord(ins *lint.Instruction, word string, n int) (lint.Range, bool) {
	if word == "" {
		return lint.Range{}, false
	}
	from := textAfterKeyword(ins)
	for {
		i := strings.Index(ins.Text[from:], word)
		if i < 0 {
			return lint.Range{}, false
		}
		start := from + i
		if n == 0 {
			return ins.RangeOf(start, start+len(word)), true
		}
		n--
		from = start + len(word)
	}
}

// argRange is the range of an argument by its value, else of all the
// arguments.
func argRange(ins *lint.Instruction, value string) lint.Range {
	for _, a := range ins.Args {
		if a.Value == value {
			return a.Range
		}
	}
	if r, ok := findWord(ins, value, 0); ok {
		return r
	}
	return ins.ArgsRange()
}

// varRefs finds the references to variable name ($name, ${name...}) in
// text and returns their [start, end) offsets.
func varRefs(text, name string) [][2]int {
	var out [][2]int
	for i := 0; i < len(text); i++ {
		if text[i] != '$' {
			continue
		}
		j := i + 1
		brace := j < len(text) && text[j] == '{'
		if brace {
			j++
		}
		if !strings.HasPrefix(text[j:], name) {
			continue
		}
		end := j + len(name)
		if brace {
			if end >= len(text) || strings.IndexByte("}:-+?#%/", text[end]) < 0 {
				continue
			}
			if k := strings.IndexByte(text[end:], '}'); k >= 0 {
				end += k + 1
			} else {
				end = len(text)
			}
			out = append(out, [2]int{i, end})
			continue
		}
		if end < len(text) && isNameByte(text[end]) && !isSpecialName(name) {
			continue
		}
		out = append(out, [2]int{i, end})
	}
	return out
}

func isNameByte(b byte) bool {
	return b == '_' || b >= '0' && b <= '9' || b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= 0x80
}

func isSpecialName(name string) bool {
	if len(name) == 1 && strings.Contains("@*#?-$!0", name) {
		return true
	}
	_, err := strconv.Atoi(name)
	return err == nil
}

// bkStops ends the "What it does" of every BuildKit rule.
const bkStops = "\n\nLike all of BuildKit's checks, this one runs only as far as BuildKit's own pass over the file " +
	"gets: BuildKit stops at the first error (an instruction it cannot parse, a base image name that is empty or " +
	"invalid, `COPY --from` with a variable or naming a later stage, ...) and checks nothing after it, and so does " +
	"strata." + bkSkipNote

// bkSkipNote is BuildKit's per-instruction suppression, which experimental
// rules ignore.
const bkSkipNote = " A `# check=skip=RULE` comment right above an instruction turns the check off for that " +
	"instruction, as in BuildKit."

// bkNoImage is the shared note of the rules that depend on what a base image
// sets.
const bkNoImage = "strata does not pull base images: it assumes each one sets nothing but `PATH` (BuildKit's " +
	"behaviour for an image with an empty configuration)."

// fromImageRange is the range of the image in the FROM instruction i.
func (s *bkSim) fromImageRange(i int) lint.Range {
	ins := s.f.Instructions[i]
	if len(ins.Args) > 0 {
		return ins.Args[0].Range
	}
	return ins.Range()
}

// cmdRange is r for an instruction, or the image of the FROM an ONBUILD
// trigger runs at.
func (s *bkSim) cmdRange(c bkCmd, r func(*lint.Instruction) lint.Range) lint.Range {
	if c.trigger {
		return s.fromImageRange(c.ins)
	}
	return r(c.src)
}

// triggerNote explains a finding on an ONBUILD trigger.
func (s *bkSim) triggerNote(c bkCmd) string {
	if !c.trigger {
		return ""
	}
	return " (in the ONBUILD trigger `" + strings.TrimSpace(c.src.Text) + "` of the parent stage, run here)"
}

// varRange is the range of the next reference to variable name in a
// command (for an ONBUILD trigger, the FROM it runs at).
func (s *bkSim) varRange(c bkCmd, name string) lint.Range {
	if c.trigger {
		return s.fromImageRange(c.ins)
	}
	ins := c.src
	var refs []lint.Range
	for _, r := range varRefs(ins.Text, name) {
		refs = append(refs, ins.RangeOf(r[0], r[1]))
	}
	src := s.f.Source
	for _, h := range ins.Heredocs {
		start := h.Body.Start.Offset
		for _, r := range varRefs(string(src.Data[start:h.Body.End.Offset]), name) {
			refs = append(refs, src.Range(start+r[0], start+r[1]))
		}
	}
	if len(refs) == 0 {
		return ins.ArgsRange()
	}
	key := bkVarUse{c.ins, name}
	n := s.varUses[key]
	s.varUses[key] = n + 1
	return refs[min(n, len(refs)-1)]
}

// trimmedLine is the range of a line's text without its indentation.
func trimmedLine(src *lint.Source, n int) lint.Range {
	line := src.Line(n)
	trimmed := strings.TrimLeft(line, " \t")
	start := src.LineStart(n) + len(line) - len(trimmed)
	return src.Range(start, src.LineEnd(n))
}
