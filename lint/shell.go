package lint

import (
	"strings"
	"sync"
	"unicode"

	dfparser "github.com/moby/buildkit/frontend/dockerfile/parser"
	"mvdan.cc/sh/v3/syntax"
)

// Script is the shell program of a RUN instruction, parsed into the list
// of simple commands that rules query.
type Script struct {
	// Text is the shell source that was parsed.
	Text string
	// Commands are all simple commands in source order, including those in
	// pipelines, lists, subshells and command substitutions.
	Commands []*Command
	// Pipes is the number of pipelines (a | b counts once).
	Pipes int
	// Assigns are the assignments that stand alone as statements
	// (PKGS="a b" && apk add $PKGS), in source order.
	Assigns []Assign
	// Exec is true for the exec form (["cmd", "arg"]): one command, no shell.
	Exec bool
	// Heredoc is true when the script is the body of a here-document:
	// either BuildKit runs the body itself (RUN <<EOF), or the RUN feeds it
	// to a shell (RUN <<EOF bash -e, RUN bash <<EOF).
	Heredoc bool
	// Shell is the shell the RUN feeds the body to ("bash" for RUN <<EOF
	// bash), empty when the body runs in the SHELL of the stage.
	Shell string
	// Err is set when the shell did not parse; Commands is then empty.
	Err error

	ins *Instruction
	tm  textMap // script offset -> source offset
}

// Command is one simple command such as `apt-get install -y curl`.
type Command struct {
	// Name is the command word with quotes removed ("" if it is not a word).
	Name Word
	// Args are the words after the name.
	Args []Word
	// Env are the NAME=value assignments before the name.
	Env []Assign
	// Index is the position in Script.Commands.
	Index int
	// Pipeline is the id (from 1) of the pipeline the command is part of, 0
	// when it is not piped; Stage is its position in that pipeline.
	Pipeline, Stage int

	script   *Script
	pos, end int
}

// Word is a shell word. Value has quotes removed and escapes resolved;
// expansions ($VAR, $(cmd)) are kept as written.
type Word struct {
	Value string
	// Literal is true when the word has no expansions.
	Literal bool
	// Quoted is true when any part of the word is quoted.
	Quoted   bool
	pos, end int
	script   *Script
}

// Assign is an environment assignment prefix.
type Assign struct {
	Name  string
	Value Word
}

// Range returns the word's source range.
func (w Word) Range() Range {
	if w.script == nil {
		return Range{}
	}
	return w.script.Range(w.pos, w.end)
}

// Range returns the command's source range.
func (c *Command) Range() Range { return c.script.Range(c.pos, c.end) }

// Range maps a span of the script to source positions.
func (s *Script) Range(pos, end int) Range {
	src := s.ins.File.Source
	return src.Range(s.tm.source(pos, false), s.tm.source(end, true))
}

// Is reports whether the command's name is one of names.
func (c *Command) Is(names ...string) bool {
	for _, n := range names {
		if c.Name.Value == n {
			return true
		}
	}
	return false
}

// HasArg reports whether any argument equals any of words (flags
// included), like hadolint's cmdHasArgs.
func (c *Command) HasArg(words ...string) bool {
	for _, a := range c.Args {
		for _, w := range words {
			if a.Value == w {
				return true
			}
		}
	}
	return false
}

// Flags returns the flag names hadolint derives from the arguments:
// --name=value and --name give "name", -abc gives "a", "b" and "c"; "-"
// and "--" are not flags.
func (c *Command) Flags() []string {
	var out []string
	for _, a := range c.Args {
		out = append(out, flagNames(a.Value)...)
	}
	return out
}

// FlagNames returns the flag names hadolint derives from one argument.
func FlagNames(v string) []string { return flagNames(v) }

func flagNames(v string) []string {
	switch {
	case v == "-" || v == "--" || !strings.HasPrefix(v, "-"):
		return nil
	case strings.HasPrefix(v, "--"):
		name, _, _ := strings.Cut(v[2:], "=")
		return []string{name}
	default:
		var out []string
		for _, r := range v[1:] {
			out = append(out, string(r))
		}
		return out
	}
}

// HasFlag reports whether any of the named flags is present.
func (c *Command) HasFlag(names ...string) bool {
	for _, a := range c.Args {
		for _, f := range flagNames(a.Value) {
			for _, n := range names {
				if f == n {
					return true
				}
			}
		}
	}
	return false
}

// IsFlag reports whether an argument is written as a flag.
func (w Word) IsFlag() bool { return len(flagNames(w.Value)) > 0 }

// ArgsNoFlags returns the arguments that are not flags (flag values given
// as separate words are kept, as hadolint does).
func (c *Command) ArgsNoFlags() []Word {
	var out []Word
	for _, a := range c.Args {
		if !a.IsFlag() {
			out = append(out, a)
		}
	}
	return out
}

// Script returns the parsed shell of a RUN instruction (nil for other
// instructions). It is parsed once, on first use.
func (ins *Instruction) Script() *Script {
	if ins.Kind != "run" {
		return nil
	}
	if ins.script == nil {
		ins.script = newScript(ins)
	}
	return ins.script
}

func newScript(ins *Instruction) *Script {
	s := &Script{ins: ins, tm: ins.tm}
	if ins.JSON {
		s.Exec = true
		if len(ins.Args) > 0 {
			c := &Command{script: s, pos: ins.Args[0].start, end: ins.Args[len(ins.Args)-1].end}
			for i, a := range ins.Args {
				w := Word{Value: a.Value, Literal: true, Quoted: true, pos: a.start, end: a.end, script: s}
				if i == 0 {
					c.Name = w
				} else {
					c.Args = append(c.Args, w)
				}
			}
			s.Commands = []*Command{c}
		}
		return s
	}
	start := ins.argsStart
	if start > len(ins.Text) {
		start = len(ins.Text)
	}
	line := strings.TrimRightFunc(ins.Text[start:], unicode.IsSpace)
	s.tm = ins.tm.shift(start)
	s.Text = line
	if len(ins.Heredocs) > 0 {
		if body, shell := heredocScript(line, ins.Heredocs); body {
			h := ins.Heredocs[0]
			s.Text, s.Heredoc, s.Shell = h.Content, true, shell
			s.tm = textMap{{logical: 0, source: h.start, length: len(h.Content)}}
			if strings.HasPrefix(h.Content, "#!") && !isShShebang(h.Content) {
				s.Err = errNotShell
				return s
			}
		} else {
			// The header line followed by the bodies, as the shell sees
			// them: a body is then data, the stdin of its command.
			var b strings.Builder
			b.WriteString(line)
			for _, h := range ins.Heredocs {
				b.WriteByte('\n')
				off := b.Len()
				b.WriteString(h.Content)
				b.WriteString(h.Name)
				s.tm = s.tm.appendText(off, h.start, len(h.Content))
			}
			s.Text = b.String()
		}
	}
	s.parse()
	return s
}

// heredocScript reports whether the (first) heredoc body of a RUN is its
// shell script rather than data, and which shell the RUN feeds it to when
// it names one. BuildKit runs the body as the script only when the command
// is the heredoc alone (dispatchRun: MustParseHeredoc of the whole command
// line); otherwise the line and the bodies go to the shell as written, and
// a body is the stdin of its command: data for `cat > f` or `python3`, a
// script only for a shell that reads its script from stdin.
func heredocScript(line string, heredocs []Heredoc) (body bool, shell string) {
	if dfparser.MustParseHeredoc(line) != nil {
		return true, ""
	}
	if len(heredocs) != 1 {
		return false, ""
	}
	h := heredocs[0]
	p := shParsers.Get().(*syntax.Parser)
	defer shParsers.Put(p)
	f, err := p.Parse(strings.NewReader(line+"\n"+h.Content+h.Name+"\n"), "")
	if err != nil || len(f.Stmts) != 1 {
		return false, ""
	}
	st := f.Stmts[0]
	call, ok := st.Cmd.(*syntax.CallExpr)
	if !ok || st.Negated || st.Background || st.Coprocess || len(call.Args) == 0 {
		return false, ""
	}
	stdin := 0
	for _, r := range st.Redirs {
		in := r.N == nil || r.N.Value == "0"
		switch {
		case (r.Op == syntax.Hdoc || r.Op == syntax.DashHdoc) && in:
			stdin++
		case r.Op == syntax.RdrIn || r.Op == syntax.WordHdoc || r.Op == syntax.RdrInOut:
			if in {
				stdin++
			}
		}
	}
	if stdin != 1 {
		return false, ""
	}
	words := make([]string, len(call.Args))
	for i, w := range call.Args {
		if words[i] = w.Lit(); words[i] == "" {
			return false, ""
		}
	}
	name := words[0][strings.LastIndexByte(words[0], '/')+1:]
	switch name {
	case "sh", "bash", "ash", "dash", "ksh":
	default:
		return false, ""
	}
	if !readsStdin(words[1:]) {
		return false, ""
	}
	return true, words[0]
}

// readsStdin reports whether a shell given args reads its script from
// stdin: no -c, and no script file operand unless -s.
func readsStdin(args []string) bool {
	operand, dashS := false, false
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "-": // the script is stdin, the rest are its arguments
			i = len(args)
		case a == "--":
			operand = i+1 < len(args)
			i = len(args)
		case a == "--rcfile" || a == "--init-file":
			i++
		case strings.HasPrefix(a, "--"):
		case len(a) > 1 && (a[0] == '-' || a[0] == '+'):
			if strings.ContainsRune(a, 'c') {
				return false
			}
			dashS = dashS || strings.ContainsRune(a, 's')
			if strings.ContainsRune(a, 'o') {
				i++ // -o pipefail
			}
		default:
			operand = true
			i = len(args)
		}
	}
	return !operand || dashS
}

type scriptError string

func (e scriptError) Error() string { return string(e) }

const errNotShell = scriptError("the heredoc runs an interpreter other than sh")

func isShShebang(content string) bool {
	first, _, _ := strings.Cut(content, "\n")
	fields := strings.Fields(strings.TrimPrefix(first, "#!"))
	if len(fields) == 0 {
		return false
	}
	name := fields[0]
	if strings.HasSuffix(name, "/env") && len(fields) > 1 {
		name = fields[1]
	}
	name = name[strings.LastIndexByte(name, '/')+1:]
	switch name {
	case "sh", "bash", "ash", "dash", "ksh":
		return true
	}
	return false
}

var shParsers = sync.Pool{New: func() any {
	return syntax.NewParser(syntax.Variant(syntax.LangBash), syntax.KeepComments(false))
}}

func (s *Script) parse() {
	p := shParsers.Get().(*syntax.Parser)
	defer shParsers.Put(p)
	f, err := p.Parse(strings.NewReader(s.Text), "")
	if err != nil {
		s.Err = err
		return
	}
	s.collect(f)
}

// collect walks the syntax tree in source order.
func (s *Script) collect(f *syntax.File) {
	var pipeline, stage int
	var walk func(node syntax.Node) bool
	walk = func(node syntax.Node) bool {
		switch n := node.(type) {
		case *syntax.BinaryCmd:
			if n.Op != syntax.Pipe && n.Op != syntax.PipeAll {
				return true
			}
			outer := pipeline == 0
			if outer {
				s.Pipes++
				pipeline, stage = s.Pipes, 0
			}
			syntax.Walk(n.X, walk)
			if !isPipe(n.X) {
				stage++
			}
			syntax.Walk(n.Y, walk)
			if !isPipe(n.Y) {
				stage++
			}
			if outer {
				pipeline, stage = 0, 0
			}
			return false
		case *syntax.DeclClause:
			// export/declare/local/readonly are commands to hadolint too.
			c := &Command{script: s, Index: len(s.Commands), Pipeline: pipeline, Stage: stage,
				pos: int(n.Pos().Offset()), end: int(n.End().Offset())}
			c.Name = Word{Value: n.Variant.Value, Literal: true, script: s,
				pos: int(n.Variant.Pos().Offset()), end: int(n.Variant.End().Offset())}
			for _, a := range n.Args {
				c.Args = append(c.Args, s.assignWord(a))
			}
			s.Commands = append(s.Commands, c)
			return true
		case *syntax.CallExpr:
			if len(n.Args) == 0 {
				for _, a := range n.Assigns {
					if a.Name != nil && a.Value != nil {
						s.Assigns = append(s.Assigns, Assign{Name: a.Name.Value, Value: s.word(a.Value)})
					}
				}
				return true
			}
			c := &Command{script: s, Index: len(s.Commands), Pipeline: pipeline, Stage: stage,
				pos: int(n.Pos().Offset()), end: int(n.End().Offset())}
			for _, a := range n.Assigns {
				as := Assign{}
				if a.Name != nil {
					as.Name = a.Name.Value
				}
				if a.Value != nil {
					as.Value = s.word(a.Value)
				}
				c.Env = append(c.Env, as)
			}
			c.Name = s.word(n.Args[0])
			c.Args = make([]Word, 0, len(n.Args)-1)
			for _, a := range n.Args[1:] {
				c.Args = append(c.Args, s.word(a))
			}
			s.Commands = append(s.Commands, c)
			return true // command substitutions inside the words
		}
		return true
	}
	syntax.Walk(f, walk)
}

// assignWord renders a declaration argument (NAME=value, NAME or a plain
// word) as one word.
func (s *Script) assignWord(a *syntax.Assign) Word {
	w := Word{pos: int(a.Pos().Offset()), end: int(a.End().Offset()), script: s, Literal: true}
	var b strings.Builder
	if a.Name != nil {
		b.WriteString(a.Name.Value)
	}
	if a.Value != nil {
		if a.Name != nil {
			b.WriteByte('=')
		}
		v := s.word(a.Value)
		w.Literal, w.Quoted = v.Literal, v.Quoted
		b.WriteString(v.Value)
	}
	w.Value = b.String()
	return w
}

func isPipe(st *syntax.Stmt) bool {
	b, ok := st.Cmd.(*syntax.BinaryCmd)
	return ok && (b.Op == syntax.Pipe || b.Op == syntax.PipeAll)
}

func (s *Script) word(w *syntax.Word) Word {
	out := Word{pos: int(w.Pos().Offset()), end: int(w.End().Offset()), script: s, Literal: true}
	var b strings.Builder
	s.parts(&b, w.Parts, false, &out)
	out.Value = b.String()
	return out
}

func (s *Script) parts(b *strings.Builder, parts []syntax.WordPart, inDouble bool, w *Word) {
	for _, p := range parts {
		switch p := p.(type) {
		case *syntax.Lit:
			b.WriteString(unescape(p.Value, inDouble))
		case *syntax.SglQuoted:
			w.Quoted = true
			b.WriteString(p.Value)
		case *syntax.DblQuoted:
			w.Quoted = true
			s.parts(b, p.Parts, true, w)
		default:
			w.Literal = false
			start, end := int(p.Pos().Offset()), int(p.End().Offset())
			if start >= 0 && end <= len(s.Text) && start <= end {
				b.WriteString(s.Text[start:end])
			}
		}
	}
}

// unescape resolves backslashes as the shell does outside single quotes.
func unescape(lit string, inDouble bool) string {
	if !strings.Contains(lit, `\`) {
		return lit
	}
	var b strings.Builder
	for i := 0; i < len(lit); i++ {
		c := lit[i]
		if c != '\\' || i+1 == len(lit) {
			b.WriteByte(c)
			continue
		}
		next := lit[i+1]
		switch {
		case next == '\n':
			i++
		case !inDouble:
			b.WriteByte(next)
			i++
		case strings.IndexByte("$`\"\\", next) >= 0:
			b.WriteByte(next)
			i++
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}
