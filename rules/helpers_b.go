package rules

import (
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/strata-dev/strata/lint"
)

// visitInstructions calls fn for every top-level instruction of the given
// kinds and, when onBuild is true, for those wrapped in ONBUILD too (as
// hadolint's second pass over ONBUILD triggers does).
func visitInstructions(f *lint.File, onBuild bool, fn func(ins *lint.Instruction), kinds ...string) {
	for _, ins := range f.Instructions {
		x := ins
		if ins.OnBuild != nil {
			if !onBuild {
				continue
			}
			x = ins.OnBuild
		}
		for _, k := range kinds {
			if x.Kind == k {
				fn(x)
				break
			}
		}
	}
}

// spanRange joins two ranges into the span from the start of a to the end
// of b.
func spanRange(a, b lint.Range) lint.Range {
	if b.End.Offset < a.Start.Offset {
		return a
	}
	return lint.Range{Start: a.Start, End: b.End}
}

// subRange narrows r, the source range of text (the text as the model
// holds it), to the bytes [from, to) of text. When the source is not the
// text byte for byte (a line continuation inside the word), it keeps r.
func subRange(src *lint.Source, r lint.Range, text string, from, to int) lint.Range {
	s, e := r.Start.Offset, r.End.Offset
	if from < 0 || to > len(text) || from > to || e-s != len(text) || e > len(src.Data) ||
		string(src.Data[s:e]) != text {
		return r
	}
	return src.Range(s+from, s+to)
}

// argsSkippingValues returns the non-flag arguments of c, dropping the
// word that follows a flag of valueFlags (keyed as written: "-t",
// "--repo") when its value is not inline (--repo=x keeps nothing to drop).
func argsSkippingValues(c *lint.Command, valueFlags map[string]bool) []lint.Word {
	var out []lint.Word
	skip := false
	for _, a := range c.Args {
		if skip {
			skip = false
			continue
		}
		v := a.Value
		if a.IsFlag() {
			if !strings.Contains(v, "=") && valueFlags[v] {
				skip = true
			}
			continue
		}
		out = append(out, a)
	}
	return out
}

// unquoteWord removes Dockerfile quoting from a word as the builder does
// for LABEL and ENV: quotes go, the escape character escapes the next one
// (inside single quotes it is literal). Variables are kept as written.
func unquoteWord(s string, esc rune) string {
	if !strings.ContainsAny(s, `"'`+string(esc)) {
		return s
	}
	var b strings.Builder
	var quote rune
	rs := []rune(s)
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		switch {
		case quote == '\'':
			if r == '\'' {
				quote = 0
			} else {
				b.WriteRune(r)
			}
		case r == esc && i+1 < len(rs):
			i++
			b.WriteRune(rs[i])
		case quote == '"':
			if r == '"' {
				quote = 0
			} else {
				b.WriteRune(r)
			}
		case r == '"' || r == '\'':
			quote = r
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// keyValue is one pair of a LABEL or ENV instruction, unquoted, with the
// ranges of its key and value.
type keyValue struct {
	Key, Value         string
	KeyRange, ValRange lint.Range
	Range              lint.Range
}

// keyValues reads the pairs of a LABEL or ENV as written: key=value words,
// or the legacy form "KEY value..." when the first word has no "=".
func keyValues(ins *lint.Instruction) []keyValue {
	if len(ins.Args) == 0 {
		return nil
	}
	src, esc := ins.File.Source, ins.File.Escape
	first := ins.Args[0]
	if !strings.Contains(first.Value, "=") {
		kv := keyValue{Key: unquoteWord(first.Value, esc), KeyRange: first.Range, Range: first.Range}
		if len(ins.Args) > 1 {
			var parts []string
			for _, a := range ins.Args[1:] {
				parts = append(parts, unquoteWord(a.Value, esc))
			}
			kv.Value = strings.Join(parts, " ")
			kv.ValRange = spanRange(ins.Args[1].Range, ins.Args[len(ins.Args)-1].Range)
			kv.Range = spanRange(first.Range, kv.ValRange)
		} else {
			kv.ValRange = lint.Range{Start: first.Range.End, End: first.Range.End}
		}
		return []keyValue{kv}
	}
	out := make([]keyValue, 0, len(ins.Args))
	for _, a := range ins.Args {
		i := strings.IndexByte(a.Value, '=')
		if i < 0 {
			i = len(a.Value)
		}
		val := ""
		if i < len(a.Value) {
			val = a.Value[i+1:]
		}
		out = append(out, keyValue{
			Key:      unquoteWord(a.Value[:i], esc),
			Value:    unquoteWord(val, esc),
			KeyRange: subRange(src, a.Range, a.Value, 0, i),
			ValRange: subRange(src, a.Range, a.Value, min(i+1, len(a.Value)), len(a.Value)),
			Range:    a.Range,
		})
	}
	return out
}

// hasVariable reports whether s references a variable ($X or ${X}).
func hasVariable(s string) bool {
	i := strings.IndexByte(s, '$')
	return i >= 0 && i+1 < len(s) && (s[i+1] == '{' || s[i+1] == '_' || isAlnum(s[i+1]))
}

func isAlnum(b byte) bool {
	return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9'
}

func isVarNameByte(b byte) bool { return b == '_' || isAlnum(b) }

// findVarRef returns the byte span of the first reference to name ($name,
// ${name} or ${name:-default} and the other modifiers) in s, or -1.
func findVarRef(s, name string) (start, end int) {
	for i := 0; i < len(s); i++ {
		if s[i] != '$' {
			continue
		}
		rest := s[i+1:]
		if strings.HasPrefix(rest, "{"+name) {
			after := rest[1+len(name):]
			if after != "" && strings.IndexByte("}:-+?#%/", after[0]) >= 0 {
				j := strings.IndexByte(rest, '}')
				return i, i + 2 + j
			}
		}
		if strings.HasPrefix(rest, name) && (len(rest) == len(name) || !isVarNameByte(rest[len(name)])) {
			return i, i + 1 + len(name)
		}
	}
	return -1, -1
}

// buildVars maps the variables visible to ins as hadolint sees them for
// version pins: every ARG declared earlier in the file (hadolint does not
// scope them) and the ENVs of ins's stage and the stages it is built FROM.
// The value is the declared default ("" when none).
func buildVars(ins *lint.Instruction) map[string]string {
	vars := map[string]string{}
	at := ins
	if ins.Outer != nil {
		at = ins.Outer
	}
	for _, x := range ins.File.Instructions {
		if x == at {
			break
		}
		if a, ok := x.Command.(*instructions.ArgCommand); ok {
			for _, kv := range a.Args {
				if kv.Value != nil {
					vars[kv.Key] = unquoteWord(*kv.Value, ins.File.Escape)
				} else if _, seen := vars[kv.Key]; !seen {
					vars[kv.Key] = ""
				}
			}
		}
	}
	// ENVs before any FROM (which Docker rejects, but hadolint reads) act
	// for the instructions before the first FROM.
	lists := [][]*lint.Instruction{ins.File.Instructions}
	if ins.Stage != nil {
		lists = lists[:0]
		chain := ins.Stage.Ancestors()
		for i := len(chain) - 1; i >= 0; i-- {
			lists = append(lists, chain[i].Instructions)
		}
	}
	for _, list := range lists {
		for _, x := range list {
			if x == at {
				break
			}
			if e, ok := x.Command.(*instructions.EnvCommand); ok {
				for _, kv := range e.Env {
					vars[kv.Key] = unquoteWord(kv.Value, ins.File.Escape)
				}
			}
		}
	}
	return vars
}

// expandVars replaces references to known variables in s by their values
// (or by placeholder when the value is unknown); unknown variables stay.
func expandVars(s string, vars map[string]string, placeholder string) string {
	if !strings.Contains(s, "$") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '$' || i+1 == len(s) {
			b.WriteByte(s[i])
			continue
		}
		name, end := "", i+1
		if s[i+1] == '{' {
			j := strings.IndexByte(s[i:], '}')
			if j < 0 {
				b.WriteByte(s[i])
				continue
			}
			name, end = s[i+2:i+j], i+j+1
			k := 0
			for k < len(name) && isVarNameByte(name[k]) {
				k++
			}
			name = name[:k]
		} else {
			for end < len(s) && isVarNameByte(s[end]) {
				end++
			}
			name = s[i+1 : end]
		}
		v, ok := vars[name]
		if name == "" || !ok {
			b.WriteString(s[i:end])
		} else {
			if v == "" {
				v = placeholder
			}
			b.WriteString(v)
		}
		i = end - 1
	}
	return b.String()
}

// rpmVersioned reports whether an rpm package argument names a version the
// way hadolint reads it: name-version[-release] where everything after the
// first dash is made of version characters and some part starts with a
// digit (gcc-c++-1.1.1, openssl-1:1.1.1k), or a .rpm file.
func rpmVersioned(pkg string) bool {
	if strings.HasSuffix(pkg, ".rpm") {
		return true
	}
	parts := strings.Split(pkg, "-")
	if len(parts) < 2 {
		return false
	}
	digit := false
	for _, p := range parts[1:] {
		for i := 0; i < len(p); i++ {
			c := p[i]
			if !isAlnum(c) && !strings.ContainsRune(".~^_:+", rune(c)) {
				return false
			}
		}
		if p != "" && p[0] >= '0' && p[0] <= '9' {
			digit = true
		}
	}
	return digit
}

// quoteList renders names as `a`, `b` and `c` for messages.
func quoteList(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = "`" + n + "`"
	}
	switch len(q) {
	case 0:
		return ""
	case 1:
		return q[0]
	}
	return strings.Join(q[:len(q)-1], ", ") + " and " + q[len(q)-1]
}

// plural picks the singular or plural form for n.
func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// pinCheck finds, in the install commands of a RUN, the package words that
// name no version. pinned judges one package (after known build variables
// are substituted); module, when set, judges the arguments of a
// `module install` instead.
type pinCheck struct {
	tools      []string        // command names: yum, dnf, microdnf, zypper
	installs   []string        // subcommands that install
	skipWords  []string        // words that are not packages
	skipIf     []string        // an argument that exempts the command (dnf group install)
	valueFlags map[string]bool // flags whose separate value is not a package
	pinned     func(string) bool
	module     func(string) bool // nil: no module handling
}

type unpinnedPkg struct {
	word lint.Word
	name string
}

func (pc pinCheck) find(ins *lint.Instruction, s *lint.Script) []unpinnedPkg {
	var out []unpinnedPkg
	var vars map[string]string
	for _, c := range s.Commands {
		if !c.Is(pc.tools...) || !c.HasArg(pc.installs...) || (len(pc.skipIf) > 0 && c.HasArg(pc.skipIf...)) {
			continue
		}
		judge := pc.pinned
		if pc.module != nil && c.HasArg("module") {
			judge = pc.module
		}
	words:
		for _, w := range argsSkippingValues(c, pc.valueFlags) {
			for _, sw := range pc.skipWords {
				if w.Value == sw {
					continue words
				}
			}
			v := w.Value
			if strings.ContainsAny(v, "$`") {
				if vars == nil {
					vars = buildVars(ins)
				}
				v = expandVars(v, vars, "0")
				// A list from an unknown variable or a command's output
				// ($PKGS, $(cat pkgs.txt)) cannot be judged here.
				if strings.Contains(v, "$(") || strings.Contains(v, "`") ||
					(strings.HasPrefix(w.Value, "$") && strings.Contains(v, "$")) {
					continue
				}
			}
			ok := v != ""
			for _, field := range strings.Fields(v) {
				ok = ok && judge(field)
			}
			if !ok {
				out = append(out, unpinnedPkg{word: w, name: w.Value})
			}
		}
	}
	return out
}

// reportUnpinned reports the packages of one RUN in one finding (hadolint
// counts one per RUN), on the first of them.
func reportUnpinned(p *lint.Pass, ins *lint.Instruction, list []unpinnedPkg, tool, how, help string) {
	if len(list) == 0 {
		return
	}
	names := make([]string, 0, len(list))
	seen := map[string]bool{}
	for _, u := range list {
		if !seen[u.name] {
			seen[u.name] = true
			names = append(names, u.name)
		}
	}
	shown := names
	more := ""
	if len(shown) > 5 {
		more = " (and " + itoa(len(shown)-5) + " more)"
		shown = shown[:5]
	}
	p.Report(lint.Finding{
		At: ins, Range: list[0].word.Range(),
		Message: tool + " " + plural(len(names), "package ", "packages ") + quoteList(shown) + more + " " +
			plural(len(names), "has", "have") + " no version" + how + ", so rebuilds may install different ones",
		Help: help,
	})
}

// rpmValueFlags are yum/dnf options whose value may be a separate word.
var rpmValueFlags = map[string]bool{
	"-c": true, "--config": true, "--installroot": true, "--releasever": true, "--setopt": true,
	"--enablerepo": true, "--disablerepo": true, "--repo": true, "--repoid": true, "--repofrompath": true,
	"-x": true, "--exclude": true, "-d": true, "--debuglevel": true, "-e": true, "--errorlevel": true,
	"--rpmverbosity": true, "--downloaddir": true, "--destdir": true, "--forcearch": true,
	"--color": true, "--disableplugin": true, "--enableplugin": true, "--advisory": true,
	"--advisories": true, "--bz": true, "--cve": true, "--sec-severity": true, "--secseverity": true,
}

// moduleStreamPinned: a module install names a stream (nodejs:20).
func moduleStreamPinned(m string) bool { return strings.Contains(m, ":") }

// firstArgOf returns the first argument of c that is one of words.
func firstArgOf(c *lint.Command, words []string) string {
	for _, a := range c.Args {
		for _, w := range words {
			if a.Value == w {
				return w
			}
		}
	}
	return ""
}

// findVarRefQuoted is findVarRef for a Dockerfile word: references inside
// single quotes or after the escape character are not expanded by the
// builder and are skipped.
func findVarRefQuoted(s, name string, esc rune) (start, end int) {
	inSingle := false
	for i := 0; i < len(s); i++ {
		switch {
		case inSingle:
			if s[i] == '\'' {
				inSingle = false
			}
		case rune(s[i]) == esc:
			i++
		case s[i] == '\'':
			inSingle = true
		case s[i] == '$':
			if a, b := findVarRef(s[i:], name); a == 0 {
				return i, i + b
			}
		}
	}
	return -1, -1
}

// eachLabel calls fn for every top-level LABEL instruction with its pairs
// (LABEL inside ONBUILD labels a downstream image, not this one).
func eachLabel(f *lint.File, fn func(ins *lint.Instruction, pairs []keyValue)) {
	for _, ins := range f.Instructions {
		if ins.Kind == "label" {
			fn(ins, keyValues(ins))
		}
	}
}

// checkLabelValues is the shape of DL3051-DL3058: for each label of the
// schema with type typ (any type when typ is ""), each LABEL instruction
// that sets it to a value bad reports reports once, as hadolint's one rule
// per schema label does. Values built from variables are only known at
// build time and are skipped unless skipVars is false.
func checkLabelValues(p *lint.Pass, typ string, skipVars bool, bad func(string) bool,
	message func(label, value string) string, help string) {
	var names []string
	for _, spec := range p.Settings.LabelSchema {
		if typ == "" || spec.Type == typ {
			names = append(names, spec.Name)
		}
	}
	if len(names) == 0 {
		return
	}
	eachLabel(p.File, func(ins *lint.Instruction, pairs []keyValue) {
		for _, name := range names {
			for _, kv := range pairs {
				if kv.Key != name || (skipVars && hasVariable(kv.Value)) || !bad(kv.Value) {
					continue
				}
				r := kv.ValRange
				if kv.Value == "" {
					r = kv.Range
				}
				p.Report(lint.Finding{At: ins, Range: r, Message: message(name, kv.Value), Help: help})
				break
			}
		}
	})
}

// stagesLacking returns the stages that lack something (a label, a
// HEALTHCHECK) that has reports a stage sets itself. A stage is fine when
// it or a stage it is built FROM has it, and exempt when it only feeds
// other stages: it is the base of a stage that sets it itself, or a source
// of COPY --from or RUN --mount=from, since such a stage never becomes an
// image of its own.
func stagesLacking(f *lint.File, has func(*lint.Stage) bool) []*lint.Stage {
	n := len(f.Stages)
	if n == 0 {
		return nil
	}
	own := make([]bool, n)
	good := make([]bool, n)
	exempt := make([]bool, n)
	for i, s := range f.Stages {
		own[i] = has(s)
		good[i] = own[i] || (s.Parent != nil && good[s.Parent.Index])
		if own[i] {
			for a := s.Parent; a != nil && !exempt[a.Index]; a = a.Parent {
				exempt[a.Index] = true
			}
		}
		for _, ins := range s.Instructions {
			for _, ref := range stageRefs(ins) {
				if src := stageByRef(f, ref, i); src != nil {
					exempt[src.Index] = true
				}
			}
		}
	}
	var out []*lint.Stage
	for i, s := range f.Stages {
		if !good[i] && !exempt[i] {
			out = append(out, s)
		}
	}
	return out
}

// stageRefs returns the stages an instruction reads from: COPY --from and
// RUN --mount=from.
func stageRefs(ins *lint.Instruction) []string {
	switch ins.Kind {
	case "copy":
		if fl, ok := ins.Flag("from"); ok {
			return []string{fl.Value}
		}
	case "run":
		var out []string
		for _, m := range ins.Mounts() {
			if m.From != "" {
				out = append(out, m.From)
			}
		}
		return out
	}
	return nil
}

// stageByRef resolves a --from value (a stage name or index) among the
// stages before index before.
func stageByRef(f *lint.File, ref string, before int) *lint.Stage {
	for _, s := range f.Stages[:min(before+1, len(f.Stages))] {
		if s.Name != "" && strings.EqualFold(s.Name, ref) {
			return s
		}
	}
	if allDigits(ref) && ref != "" {
		i := 0
		for _, c := range ref {
			i = i*10 + int(c-'0')
			if i >= len(f.Stages) {
				return nil
			}
		}
		return f.Stages[i]
	}
	return nil
}

// flagsInVars looks into the arguments of c that expand build variables
// (`yum $YUM_OPTS install`): has reports whether their known values carry
// one of the named flags, unknown whether some value cannot be known
// (an ARG without default, an undeclared variable).
func flagsInVars(ins *lint.Instruction, c *lint.Command, names ...string) (has, unknown bool) {
	var vars map[string]string
	for _, a := range c.Args {
		if a.Literal || !strings.Contains(a.Value, "$") {
			continue
		}
		if vars == nil {
			vars = buildVars(ins)
		}
		v := expandVars(expandVars(a.Value, vars, "$?"), vars, "$?")
		if strings.Contains(v, "$") {
			unknown = true
			continue
		}
		for _, field := range strings.Fields(v) {
			for _, f := range shellFlagNames(field) {
				for _, n := range names {
					if f == n {
						has = true
					}
				}
			}
		}
	}
	return has, unknown
}

// shellFlagNames splits a word into flag names as hadolint does: --name=v
// gives name, -abc gives a, b and c.
func shellFlagNames(w string) []string {
	switch {
	case w == "-" || w == "--" || !strings.HasPrefix(w, "-"):
		return nil
	case strings.HasPrefix(w, "--"):
		name, _, _ := strings.Cut(w[2:], "=")
		return []string{name}
	}
	out := make([]string, 0, len(w)-1)
	for _, r := range w[1:] {
		out = append(out, string(r))
	}
	return out
}

// missingYes reports whether c lacks all of the flags, looking into build
// variables among its arguments; a variable of unknown value may hold
// the flag, so it counts as present.
func missingYes(ins *lint.Instruction, c *lint.Command, flags ...string) bool {
	if c.HasFlag(flags...) {
		return false
	}
	has, unknown := flagsInVars(ins, c, flags...)
	return !has && !unknown
}
