package rules

// Helpers shared by the security rules (ST3001-ST3099). Names carry a sec
// prefix so that they cannot collide with helpers other rule files add to
// the package.

import (
	"path"
	"regexp"
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
	// KeyRange and ValueRange are the exact spans when they can be told
	// apart, else the whole word.
	KeyRange, ValueRange lint.Range
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
		p := secPair{Key: secUnquote(args[0].Value), KeyRange: args[0].Range}
		if len(args) > 1 {
			parts := make([]string, 0, len(args)-1)
			for _, a := range args[1:] {
				parts = append(parts, secUnquote(a.Value))
			}
			p.Value, p.HasValue = strings.Join(parts, " "), true
			p.ValueRange = lint.Range{Start: args[1].Range.Start, End: args[len(args)-1].Range.End}
		}
		return []secPair{p}
	}
	out := make([]secPair, 0, len(args))
	for _, a := range args {
		k, v, ok := secCutEquals(a.Value)
		p := secPair{Key: secUnquote(k), KeyRange: a.Range, ValueRange: a.Range}
		if ok {
			p.Value, p.HasValue = secUnquote(v), true
			if secExact(src, a.Range, a.Value) {
				s := a.Range.Start.Offset
				p.KeyRange = src.Range(s, s+len(k))
				p.ValueRange = src.Range(s+len(k)+1, a.Range.End.Offset)
			}
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

// secWrappers are commands that run the command given in their arguments.
var secWrappers = map[string]bool{
	"sudo": true, "doas": true, "env": true, "xargs": true, "eatmydata": true, "nohup": true, "time": true,
	"nice": true, "exec": true, "command": true, "stdbuf": true, "timeout": true, "gosu": true, "su-exec": true,
	"chronic": true, "fakeroot": true,
}

// secUnwrap returns the command a simple command really runs, looking
// through sudo, env, xargs and the like: its base name and arguments.
func secUnwrap(c *lint.Command) (string, []lint.Word) {
	name := path.Base(c.Name.Value)
	args := c.Args
	for depth := 0; secWrappers[name] && depth < 4; depth++ {
		wrapper := name
		i := 0
	scan:
		for i < len(args) {
			v := args[i].Value
			switch {
			case wrapper == "env" && strings.Contains(v, "=") && !strings.HasPrefix(v, "-"):
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
		name, args = path.Base(args[i].Value), args[i+1:]
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

var secVarRef = regexp.MustCompile(`\$(?:\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-+])([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))`)

// secExpand substitutes $VAR, ${VAR} and ${VAR:-default}; ok is false when
// a variable is unknown and has no default.
func secExpand(s string, vars map[string]string) (string, bool) {
	if !strings.Contains(s, "$") {
		return s, true
	}
	ok := true
	out := secVarRef.ReplaceAllStringFunc(s, func(m string) string {
		g := secVarRef.FindStringSubmatch(m)
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

// secTexts calls fn with each text of an instruction that rules match
// regular expressions against: a RUN's shell script (heredocs included)
// and the heredoc bodies of COPY and ADD. rangeOf maps a span of the text
// to the source.
func secTexts(ins *lint.Instruction, fn func(text string, rangeOf func(i, j int) lint.Range)) {
	switch ins.Kind {
	case "run":
		if s := ins.Script(); s != nil && s.Err == nil && !s.Exec {
			fn(s.Text, s.Range)
		}
	case "copy", "add":
		src := ins.File.Source
		for _, h := range ins.Heredocs {
			body := h.Body
			content := h.Content
			fn(content, func(i, j int) lint.Range {
				if secExact(src, body, content) {
					return src.Range(body.Start.Offset+i, body.Start.Offset+j)
				}
				return secNarrow(src, body, content[i:j])
			})
		}
	}
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
func secEnvAssigns(src *lint.Source, c *lint.Command) []secAssign {
	var out []secAssign
	for _, a := range c.Env {
		r := a.Value.Range()
		cr := c.Range()
		if k := strings.Index(string(src.Data[cr.Start.Offset:cr.End.Offset]), a.Name+"="); k >= 0 {
			start := cr.Start.Offset + k
			end := start + len(a.Name) + 1
			if !r.IsZero() && r.End.Offset > end {
				end = r.End.Offset
			}
			r = src.Range(start, end)
		} else if r.IsZero() {
			r = cr
		}
		out = append(out, secAssign{Name: a.Name, Value: a.Value.Value, Range: r})
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
			out = append(out, secAssign{Name: k, Value: v, Range: w.Range()})
		}
	}
	return out
}

// secAssign is a shell variable assignment and its source range.
type secAssign struct {
	Name, Value string
	Range       lint.Range
}
