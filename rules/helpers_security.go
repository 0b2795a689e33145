package rules

// Helpers shared by the security rules (ST3001-ST3099). Names carry a sec
// prefix so that they cannot collide with helpers other rule files add to
// the package.

import (
	"github.com/strata-dev/strata/internal/lazyre"
	"path"
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/strata-dev/strata/lint"
)

// secEach calls fn for every top-level instruction, and for the
// instruction an ONBUILD wraps in place of the ONBUILD itself.
func secEach(f *lint.File, fn func(ins *lint.Instruction)) {
	for _, ins := range f.Instructions {
		if ins.OnBuild != nil {
			fn(ins.OnBuild)
			continue
		}
		fn(ins)
	}
}

// secPair is one NAME=value of an ENV, ARG or LABEL instruction.
type secPair struct {
	Key      string
	Value    string // quotes removed
	HasValue bool

	src    *lint.Source
	words  []lint.Arg // the word (or, in the legacy form, the name and value words)
	keyLen int        // length of the name as written, -1 for the legacy form
}

// KeyRange is the span of the name (the whole word when it cannot be told
// apart).
func (p secPair) KeyRange() lint.Range {
	w := p.words[0]
	if p.keyLen >= 0 && p.HasValue && secExact(p.src, w.Range, w.Value) {
		return p.src.Range(w.Range.Start.Offset, w.Range.Start.Offset+p.keyLen)
	}
	return w.Range
}

// ValueRange is the span of the value (the whole word when it cannot be
// told apart).
func (p secPair) ValueRange() lint.Range {
	if p.keyLen < 0 {
		if len(p.words) < 2 {
			return p.words[0].Range
		}
		return lint.Range{Start: p.words[1].Range.Start, End: p.words[len(p.words)-1].Range.End}
	}
	w := p.words[0]
	if p.HasValue && secExact(p.src, w.Range, w.Value) {
		return p.src.Range(w.Range.Start.Offset+p.keyLen+1, w.Range.End.Offset)
	}
	return w.Range
}

// Range spans the name and the value.
func (p secPair) Range() lint.Range {
	return lint.Range{Start: p.KeyRange().Start, End: p.ValueRange().End}
}

// secPairs splits ENV, ARG and LABEL arguments into pairs, including the
// legacy `ENV NAME value with spaces` form.
func secPairs(ins *lint.Instruction) []secPair {
	if ins.Kind != "env" && ins.Kind != "arg" && ins.Kind != "label" {
		return nil
	}
	args := ins.Args
	if len(args) == 0 {
		return nil
	}
	src := ins.File.Source
	if ins.Kind != "arg" && !strings.Contains(args[0].Value, "=") {
		// ENV NAME value...
		p := secPair{Key: secUnquote(args[0].Value), src: src, words: args, keyLen: -1}
		if len(args) > 1 {
			parts := make([]string, 0, len(args)-1)
			for _, a := range args[1:] {
				parts = append(parts, secUnquote(a.Value))
			}
			p.Value, p.HasValue = strings.Join(parts, " "), true
		}
		return []secPair{p}
	}
	out := make([]secPair, 0, len(args))
	for i, a := range args {
		k, v, ok := secCutEquals(a.Value)
		p := secPair{Key: secUnquote(k), src: src, words: args[i : i+1], keyLen: len(k)}
		if ok {
			p.Value, p.HasValue = secUnquote(v), true
		}
		out = append(out, p)
	}
	return out
}

// secCutEquals splits NAME=value at the first = outside quotes.
func secCutEquals(s string) (string, string, bool) {
	var quote byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '=':
			return s[:i], s[i+1:], true
		}
	}
	return s, "", false
}

// secUnquote removes shell-style quotes and backslash escapes from a word
// as written in a Dockerfile.
func secUnquote(s string) string {
	if !strings.ContainsAny(s, `"'\`) {
		return s
	}
	var b strings.Builder
	var quote byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quote == '\'':
			if c == '\'' {
				quote = 0
			} else {
				b.WriteByte(c)
			}
		case c == '\\' && i+1 < len(s):
			i++
			b.WriteByte(s[i])
		case quote == '"':
			if c == '"' {
				quote = 0
			} else {
				b.WriteByte(c)
			}
		case c == '"' || c == '\'':
			quote = c
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// secExact reports whether the source bytes of r are exactly text, so
// that offsets into text are offsets into the source.
func secExact(src *lint.Source, r lint.Range, text string) bool {
	s, e := r.Start.Offset, r.End.Offset
	return e-s == len(text) && e <= len(src.Data) && string(src.Data[s:e]) == text
}

// secNarrow returns the range of needle inside r when it appears there
// verbatim in the source, else r.
func secNarrow(src *lint.Source, r lint.Range, needle string) lint.Range {
	s, e := r.Start.Offset, r.End.Offset
	if needle == "" || s < 0 || e > len(src.Data) || s >= e {
		return r
	}
	if i := strings.Index(string(src.Data[s:e]), needle); i >= 0 {
		return src.Range(s+i, s+i+len(needle))
	}
	return r
}

// secWrapper reports commands that run the command given in their
// arguments.
func secWrapper(name string) bool {
	switch name {
	case "sudo", "doas", "env", "xargs", "eatmydata", "nohup", "time", "nice", "exec", "command", "stdbuf",
		"timeout", "gosu", "su-exec", "chronic", "fakeroot":
		return true
	}
	return false
}

// secBase is path.Base for command names, without work for the common
// case of a bare name.
func secBase(name string) string {
	if strings.IndexByte(name, '/') < 0 {
		return name
	}
	return path.Base(name)
}

// secUnwrap returns the command a simple command really runs, looking
// through sudo, env, xargs and the like: its base name and arguments.
func secUnwrap(c *lint.Command) (string, []lint.Word) {
	name := secBase(c.Name.Value)
	args := c.Args
	for depth := 0; depth < 4 && secWrapper(name); depth++ {
		wrapper := name
		i := 0
	scan:
		for i < len(args) {
			v := args[i].Value
			switch {
			case (wrapper == "env" || wrapper == "sudo" || wrapper == "doas") && strings.Contains(v, "=") && !strings.HasPrefix(v, "-"):
				i++
			case strings.HasPrefix(v, "-") && v != "-":
				i++
				// options of sudo and xargs that take a value as the next word
				if (wrapper == "sudo" && (v == "-u" || v == "-g" || v == "-C" || v == "-D" || v == "-h")) ||
					(wrapper == "xargs" && (v == "-I" || v == "-n" || v == "-P" || v == "-L" || v == "-d" || v == "-a" || v == "-s" || v == "-E")) {
					i++
				}
			default:
				break scan
			}
		}
		if (wrapper == "timeout" || wrapper == "gosu" || wrapper == "su-exec") && i < len(args) {
			i++ // the duration or the user
		}
		if i >= len(args) {
			return name, nil
		}
		name, args = secBase(args[i].Value), args[i+1:]
	}
	return name, args
}

// secFlag finds the first argument that is one of the long options (with or
// without =value) or a short-option cluster containing one of the short
// letters. Scanning stops at "--".
func secFlag(args []lint.Word, long []string, short string) (lint.Word, bool) {
	for _, a := range args {
		v := a.Value
		if v == "--" {
			break
		}
		if strings.HasPrefix(v, "--") {
			name, _, _ := strings.Cut(v[2:], "=")
			for _, l := range long {
				if name == l {
					return a, true
				}
			}
			continue
		}
		if short != "" && len(v) > 1 && v[0] == '-' && secLetters(v[1:]) && strings.ContainsAny(v[1:], short) {
			return a, true
		}
	}
	return lint.Word{}, false
}

func secLetters(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
			return false
		}
	}
	return true
}

// secVerb returns the first non-flag argument (apt-get's install, apk's
// add), skipping the values of the given value-taking options.
func secVerb(args []lint.Word, valueFlags ...string) (lint.Word, int) {
	for i := 0; i < len(args); i++ {
		v := args[i].Value
		if strings.HasPrefix(v, "-") {
			for _, f := range valueFlags {
				if v == f {
					i++
					break
				}
			}
			continue
		}
		return args[i], i
	}
	return lint.Word{}, -1
}

// secFalse reports whether a configuration value means "off".
func secFalse(v string) bool {
	switch strings.ToLower(strings.Trim(v, `"'`)) {
	case "0", "false", "no", "off", "n":
		return true
	}
	return false
}

// secVars returns the variables (ARG defaults and ENV values) in scope just
// before ins, through the stages it is built from; global ARGs count when a
// stage declares them again, as in Docker.
func secVars(ins *lint.Instruction) map[string]string {
	global := secGlobalArgs(ins.File)
	if ins.Stage == nil || ins.Kind == "from" {
		return global
	}
	vars := map[string]string{}
	chain := ins.Stage.Ancestors()
	for i := len(chain) - 1; i >= 0; i-- {
		for _, x := range chain[i].Instructions {
			if x == ins || (ins.Outer != nil && x == ins.Outer) {
				break
			}
			for _, p := range secPairs(x) {
				switch {
				case x.Kind == "arg" && p.HasValue:
					if v, ok := secExpand(p.Value, vars); ok {
						vars[p.Key] = v
					}
				case x.Kind == "arg":
					if v, ok := global[p.Key]; ok {
						vars[p.Key] = v
					}
				case x.Kind == "env" && p.HasValue:
					if v, ok := secExpand(p.Value, vars); ok {
						vars[p.Key] = v
					}
				}
			}
		}
	}
	return vars
}

// secGlobalArgs returns the defaults of the ARGs before the first FROM.
func secGlobalArgs(f *lint.File) map[string]string {
	global := map[string]string{}
	for _, g := range f.GlobalArgs() {
		for _, p := range secPairs(g) {
			if p.HasValue {
				if v, ok := secExpand(p.Value, global); ok {
					global[p.Key] = v
				}
			}
		}
	}
	return global
}

var secVarRef = lazyre.New(`\$(?:\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-+])([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))`)

// secExpand substitutes $VAR, ${VAR} and ${VAR:-default}; ok is false when
// a variable is unknown and has no default.
func secExpand(s string, vars map[string]string) (string, bool) {
	if !strings.Contains(s, "$") {
		return s, true
	}
	ok := true
	out := secVarRef().ReplaceAllStringFunc(s, func(m string) string {
		g := secVarRef().FindStringSubmatch(m)
		name := g[1] + g[4]
		v, set := vars[name]
		switch g[2] {
		case ":-":
			if v == "" {
				return g[3]
			}
		case "-":
			if !set {
				return g[3]
			}
		case ":+":
			if v != "" {
				return g[3]
			}
			return ""
		case "+":
			if set {
				return g[3]
			}
			return ""
		}
		if !set {
			ok = false
		}
		return v
	})
	return out, ok
}

// secMountsSecret reports whether a RUN mounts a build secret that the
// script reads (through its target file or its env variable).
func secMountsSecret(ins *lint.Instruction, text string) bool {
	for _, m := range ins.Mounts() {
		if m.Type != instructions.MountTypeSecret {
			continue
		}
		if strings.Contains(text, "/run/secrets") || (m.Target != "" && strings.Contains(text, m.Target)) {
			return true
		}
		if m.Env != nil && *m.Env != "" && strings.Contains(text, *m.Env) {
			return true
		}
	}
	return false
}

// secHTTPOnlyOrLocal reports whether every URL among args is plain http or
// points at the local host (TLS options then change nothing that matters),
// and at least one URL was seen.
func secHTTPOnlyOrLocal(args []lint.Word) bool {
	seen := false
	for _, a := range args {
		v := a.Value
		if !strings.Contains(v, "://") {
			if secLocalHost(v) {
				seen = true
			}
			continue
		}
		seen = true
		scheme, rest, _ := strings.Cut(v, "://")
		if strings.EqualFold(scheme, "http") {
			continue
		}
		if !secLocalHost(rest) {
			return false
		}
	}
	return seen
}

func secLocalHost(hostAndPath string) bool {
	h := hostAndPath
	if i := strings.IndexAny(h, "/?#"); i >= 0 {
		h = h[:i]
	}
	if i := strings.LastIndexByte(h, '@'); i >= 0 {
		h = h[i+1:]
	}
	if strings.HasPrefix(h, "[") {
		return strings.HasPrefix(h, "[::1]")
	}
	h, _, _ = strings.Cut(h, ":")
	return h == "localhost" || h == "127.0.0.1" || h == "0.0.0.0" || strings.HasSuffix(h, ".localhost")
}

// secMask hides all of a secret but its first characters.
func secMask(s string, keep int) string {
	if keep > len(s)/3 {
		keep = len(s) / 3
	}
	return s[:keep] + "****, " + itoa(len(s)) + " characters"
}

// secTexts calls fn with each piece of an instruction's text in which
// rules look for configuration settings: the arguments of commands that
// write or pass configuration (echo, printf, sed, sh -c, package managers,
// ...), the heredoc bodies of RUN, COPY and ADD, and the whole text of a
// RUN whose shell does not parse. Looking at these words rather than at
// whole scripts keeps the rules cheap.
func secTexts(ins *lint.Instruction, fn func(text string, at secAt)) {
	src := ins.File.Source
	heredocs := func() {
		for _, h := range ins.Heredocs {
			fn(h.Content, secAt{src: src, r: h.Body})
		}
	}
	switch ins.Kind {
	case "run":
		s := ins.Script()
		if s == nil {
			return
		}
		if s.Err != nil {
			fn(ins.Text, secAt{ins: ins})
			heredocs()
			return
		}
		for _, c := range s.Commands {
			name, args := secUnwrap(c)
			if !secConfigWriter(name) {
				continue
			}
			for i := range args {
				if len(args[i].Value) >= 6 {
					fn(args[i].Value, secAt{src: src, word: &args[i]})
				}
			}
		}
		if !s.Heredoc {
			heredocs() // data written by cat <<EOF and the like
		}
	case "copy", "add":
		heredocs()
	}
}

// secAt maps spans of a piece of text given by secTexts to the source.
type secAt struct {
	src  *lint.Source
	ins  *lint.Instruction // the piece is ins.Text
	word *lint.Word        // the piece is a word's value
	r    lint.Range        // the piece is the source text of r (a heredoc body)
}

// Range maps text[i:j] of the piece to the source.
func (a secAt) Range(text string, i, j int) lint.Range {
	switch {
	case a.ins != nil:
		return a.ins.RangeOf(i, j)
	case a.word != nil:
		return secNarrow(a.src, a.word.Range(), text[i:j])
	case secExact(a.src, a.r, text):
		return a.src.Range(a.r.Start.Offset+i, a.r.Start.Offset+j)
	}
	return secNarrow(a.src, a.r, text[i:j])
}

// secConfigWriter reports the commands whose arguments can carry
// configuration text.
func secConfigWriter(name string) bool {
	switch name {
	case "echo", "printf", "sed", "perl", "awk", "gawk", "crudini", "sh", "bash", "dash", "ash", "zsh", "eval",
		"yum", "dnf", "microdnf", "tdnf", "yum-config-manager", "dnf-3", "zypper", "apt-get", "apt", "aptitude",
		"add-apt-repository", "apk", "rpm", "npm", "yarn", "pnpm", "conda", "mamba", "micromamba", "composer",
		"git", "wget", "curl":
		return true
	}
	return strings.HasPrefix(name, "pip") || strings.HasPrefix(name, "python")
}

// secOverlaps reports whether r overlaps one of rs.
func secOverlaps(r lint.Range, rs []lint.Range) bool {
	for _, x := range rs {
		if r.Start.Offset < x.End.Offset && x.Start.Offset < r.End.Offset {
			return true
		}
	}
	return false
}

// secEnvAssigns returns the NAME=value assignments a command makes: its
// prefix assignments, those of export/declare/readonly, and env's.
func secEnvAssigns(c *lint.Command) []secAssign {
	var out []secAssign
	for _, a := range c.Env {
		out = append(out, secAssign{Name: a.Name, Value: a.Value.Value, word: a.Value, cmd: c})
	}
	name := path.Base(c.Name.Value)
	switch name {
	case "export", "declare", "typeset", "readonly", "local", "env":
		for _, w := range c.Args {
			if strings.HasPrefix(w.Value, "-") {
				continue
			}
			k, v, ok := strings.Cut(w.Value, "=")
			if !ok {
				if name == "env" {
					break
				}
				continue
			}
			out = append(out, secAssign{Name: k, Value: v, word: w, whole: true})
		}
	}
	return out
}

// secAssign is a shell variable assignment.
type secAssign struct {
	Name, Value string

	word  lint.Word // the value, or the whole NAME=value when whole
	whole bool
	cmd   *lint.Command // for a prefix assignment
}

// Range spans NAME=value in the source.
func (a secAssign) Range(src *lint.Source) lint.Range {
	r := a.word.Range()
	if a.whole || a.cmd == nil {
		return r
	}
	cr := a.cmd.Range()
	if k := strings.Index(string(src.Data[cr.Start.Offset:cr.End.Offset]), a.Name+"="); k >= 0 {
		start := cr.Start.Offset + k
		end := start + len(a.Name) + 1
		if !r.IsZero() && r.End.Offset > end {
			end = r.End.Offset
		}
		return src.Range(start, end)
	}
	if r.IsZero() {
		return cr
	}
	return r
}
