package lint

import (
	"bytes"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/moby/buildkit/frontend/dockerfile/parser"
)

// Instruction is one Dockerfile instruction with exact source positions.
type Instruction struct {
	File *File
	// Node is BuildKit's parse node.
	Node *parser.Node
	// Kind is the lower-case keyword ("run", "from", ...).
	Kind string
	// Keyword is the keyword as written ("Run").
	Keyword string
	// Command is BuildKit's typed instruction (*instructions.Stage for FROM,
	// *instructions.RunCommand for RUN, ...), nil when it does not parse.
	Command any
	// Err is why Command is nil.
	Err error
	// Text is the logical line: continuations joined and comment lines
	// dropped, exactly as BuildKit sees it (Node.Original).
	Text string
	// StartLine and EndLine delimit the instruction without its heredoc
	// bodies.
	StartLine, EndLine int
	// Heredocs are the here-documents attached to the instruction.
	Heredocs []Heredoc
	// Flags are the --flags after the keyword.
	Flags []Flag
	// Args are the words after the flags, as written (quotes kept). For
	// JSON (exec) form they are the array's strings.
	Args []Arg
	// JSON is true for the exec form (["a", "b"]).
	JSON bool
	// EmptyContinuationLines are blank lines inside a continued instruction.
	EmptyContinuationLines []int
	// Stage is the stage the instruction belongs to (nil before the first
	// FROM).
	Stage *Stage
	// OnBuild is the instruction wrapped by ONBUILD; Outer is the ONBUILD
	// around an inner instruction.
	OnBuild, Outer *Instruction

	tm        textMap
	argsStart int // logical offset of the first argument
	keyEnd    int // logical offset just past the keyword
	script    *Script

	mounts     []*instructions.Mount
	mountsDone bool
}

// Heredoc is a here-document body.
type Heredoc struct {
	Name    string
	Chomp   bool
	Expand  bool
	Content string
	// FirstLine..LastLine are the body lines and the terminator line.
	FirstLine, LastLine int
	// Body is the range of the content (without the terminator).
	Body Range
	// start is the source offset of the content.
	start int
}

// Flag is a builder flag such as --mount=type=cache,target=/root/.cache.
type Flag struct {
	Name  string // without dashes
	Value string // unquoted; "" for a bare flag
	Bare  bool   // written without "="
	Range Range
	start int // logical offsets of the whole flag
	end   int
}

// FieldRange is where a key=value field of a comma-separated flag value
// (--mount=type=bind,source=x) is written: the field of the first of keys
// the flag has, or the whole flag when it has none of them.
func (ins *Instruction) FieldRange(f Flag, keys ...string) Range {
	if f.end <= f.start || f.end > len(ins.Text) {
		return f.Range
	}
	text := ins.Text[f.start:f.end]
	eq := strings.IndexByte(text, '=')
	if eq < 0 {
		return f.Range
	}
	for _, key := range keys {
		pos := f.start + eq + 1
		for _, field := range strings.Split(text[eq+1:], ",") {
			k, _, ok := strings.Cut(field, "=")
			if ok && strings.EqualFold(strings.TrimLeft(k, `"' `), key) {
				return ins.RangeOf(pos, pos+len(field))
			}
			pos += len(field) + 1
		}
	}
	return f.Range
}

// Arg is an instruction argument as written.
type Arg struct {
	Value string
	Range Range
	start int // logical offsets
	end   int
}

// Range is the span of the instruction from the keyword to the end of its
// last continuation line (heredoc bodies excluded).
func (ins *Instruction) Range() Range {
	return ins.RangeOf(0, len(ins.Text))
}

// FullRange includes heredoc bodies and terminators.
func (ins *Instruction) FullRange() Range {
	r := ins.Range()
	if n := len(ins.Heredocs); n > 0 {
		src := ins.File.Source
		r.End = src.Pos(src.LineEnd(ins.Heredocs[n-1].LastLine))
	}
	return r
}

// KeywordRange is the span of the keyword.
func (ins *Instruction) KeywordRange() Range { return ins.RangeOf(0, ins.keyEnd) }

// ArgsRange is the span from the first argument to the end of the
// instruction, or the keyword when there are none.
func (ins *Instruction) ArgsRange() Range {
	if ins.argsStart >= len(strings.TrimRightFunc(ins.Text, unicode.IsSpace)) {
		return ins.KeywordRange()
	}
	return ins.RangeOf(ins.argsStart, len(strings.TrimRightFunc(ins.Text, unicode.IsSpace)))
}

// RangeOf maps a span of the logical text to source positions.
func (ins *Instruction) RangeOf(start, end int) Range {
	src := ins.File.Source
	if len(ins.tm) == 0 {
		return src.LineRange(ins.StartLine, ins.EndLine)
	}
	s := ins.tm.source(start, false)
	e := ins.tm.source(end, true)
	if end > start && e > s {
		// trim a trailing run of blanks the logical text kept
		for e > s && (src.Data[e-1] == ' ' || src.Data[e-1] == '\t') && end == len(ins.Text) {
			e--
		}
	}
	if e < s {
		e = s
	}
	from := src.posNear(s, ins.StartLine)
	return Range{Start: from, End: src.posNear(e, from.Line)}
}

// Flag returns the first flag with the given name.
func (ins *Instruction) Flag(name string) (Flag, bool) {
	for _, f := range ins.Flags {
		if f.Name == name {
			return f, true
		}
	}
	return Flag{}, false
}

// IsOnBuild reports whether the instruction is wrapped by ONBUILD.
func (ins *Instruction) IsOnBuild() bool { return ins.Outer != nil }

// newInstruction maps a BuildKit node back to exact source positions.
func newInstruction(f *File, node *parser.Node) *Instruction {
	ins := &Instruction{File: f, Node: node, Kind: strings.ToLower(node.Value), Keyword: node.Value}
	ins.Command, ins.Err = parseTyped(node)
	ins.StartLine = node.StartLine
	line := ins.mapLogicalText(node)
	ins.mapHeredocs(node, line)
	ins.splitArgs(node)
	if ins.Kind == "onbuild" && node.Next != nil && len(node.Next.Children) == 1 {
		ins.OnBuild = newInner(ins, node.Next.Children[0])
	}
	return ins
}

// newInner builds the instruction wrapped by ONBUILD from the outer one's
// text.
func newInner(outer *Instruction, node *parser.Node) *Instruction {
	ins := &Instruction{
		File: outer.File, Node: node, Kind: strings.ToLower(node.Value), Keyword: node.Value,
		Outer: outer, StartLine: outer.StartLine, EndLine: outer.EndLine,
		EmptyContinuationLines: outer.EmptyContinuationLines,
	}
	ins.Command, ins.Err = parseTyped(node)
	off := outer.argsStart
	if off > len(outer.Text) {
		off = len(outer.Text)
	}
	ins.Text = outer.Text[off:]
	ins.tm = outer.tm.shift(off)
	ins.Heredocs = outer.Heredocs
	ins.splitArgs(node)
	return ins
}

// mapLogicalText rebuilds the logical line as BuildKit's parser does,
// remembering where each byte came from. It returns the last header line.
func (ins *Instruction) mapLogicalText(node *parser.Node) int {
	src := ins.File.Source
	esc := byte(ins.File.Escape)
	var text []byte
	line := node.StartLine
	last := node.EndLine
	for first := true; line <= last; line++ {
		start, end := src.LineStart(line), src.LineEnd(line)
		raw := bytes.TrimRight(src.Data[start:end], "\r\n")
		if first {
			trimmed := bytes.TrimLeftFunc(raw, unicode.IsSpace)
			start += len(raw) - len(trimmed)
			raw = trimmed
		} else {
			if isCommentLine(raw) {
				continue
			}
			if len(bytes.TrimLeftFunc(raw, unicode.IsSpace)) == 0 {
				ins.EmptyContinuationLines = append(ins.EmptyContinuationLines, line)
				continue
			}
		}
		keep, cont := continuation(raw, esc)
		ins.tm = ins.tm.appendText(len(text), start, keep)
		text = append(text, raw[:keep]...)
		first = false
		if !cont {
			break
		}
	}
	if line > last {
		line = last
	}
	ins.EndLine = line
	ins.Text = string(text)
	return line
}

// continuation reports whether a line ends with the escape character (and
// optional blanks) not itself escaped, and how many bytes of it to keep.
func continuation(line []byte, esc byte) (keep int, cont bool) {
	t := bytes.TrimRight(line, " \t")
	n := len(t)
	if n == 0 || t[n-1] != esc {
		return len(line), false
	}
	if n == 1 {
		return 0, true
	}
	if t[n-2] == esc {
		return len(line), false
	}
	return n - 1, true
}

func isCommentLine(line []byte) bool {
	t := bytes.TrimLeftFunc(line, unicode.IsSpace)
	return len(t) > 0 && t[0] == '#'
}

// mapHeredocs finds each heredoc body after the header lines.
func (ins *Instruction) mapHeredocs(node *parser.Node, header int) {
	if len(node.Heredocs) == 0 {
		return
	}
	src := ins.File.Source
	line := header + 1
	for _, h := range node.Heredocs {
		hd := Heredoc{Name: h.Name, Chomp: h.Chomp, Expand: h.Expand, Content: h.Content, FirstLine: line}
		hd.start = src.LineStart(line)
		for ; line <= node.EndLine; line++ {
			raw := bytes.TrimRight(src.Data[src.LineStart(line):src.LineEnd(line)], "\r\n")
			if h.Chomp {
				raw = bytes.TrimLeft(raw, "\t")
			}
			if string(raw) == h.Name {
				break
			}
		}
		bodyEnd := src.LineStart(line)
		if bodyEnd > hd.start {
			bodyEnd = hd.start + len(h.Content)
		}
		hd.Body = src.Range(hd.start, bodyEnd)
		hd.LastLine = line
		ins.Heredocs = append(ins.Heredocs, hd)
		line++
	}
}

// splitArgs finds the keyword, flag and argument spans in the logical text.
func (ins *Instruction) splitArgs(node *parser.Node) {
	text := ins.Text
	i := 0
	for i < len(text) && !isSpaceByte(text[i]) {
		i++
	}
	ins.keyEnd = i
	words := splitWords(text[i:], ins.File.Escape)
	for k := range words {
		words[k][0] += i
		words[k][1] += i
	}
	nflags := 0
	for nflags < len(words) && nflags < len(node.Flags) {
		w := text[words[nflags][0]:words[nflags][1]]
		if !strings.HasPrefix(w, "--") || w == "--" {
			break
		}
		fl := node.Flags[nflags]
		name, value, hasValue := strings.Cut(fl, "=")
		ins.Flags = append(ins.Flags, Flag{
			Name: strings.TrimPrefix(name, "--"), Value: value, Bare: !hasValue,
			Range: ins.RangeOf(words[nflags][0], words[nflags][1]),
			start: words[nflags][0], end: words[nflags][1],
		})
		nflags++
	}
	rest := len(text)
	if nflags < len(words) {
		rest = words[nflags][0]
	}
	ins.argsStart = rest
	ins.JSON = node.Attributes["json"]
	ins.Args = make([]Arg, 0, len(words)-nflags)
	if ins.JSON {
		if spans, ok := jsonStrings(text[rest:]); ok {
			for _, s := range spans {
				ins.Args = append(ins.Args, ins.newArg(rest+s.start, rest+s.end, s.value))
			}
			return
		}
	}
	for _, w := range words[nflags:] {
		ins.Args = append(ins.Args, ins.newArg(w[0], w[1], text[w[0]:w[1]]))
	}
}

func (ins *Instruction) newArg(start, end int, value string) Arg {
	return Arg{Value: value, Range: ins.RangeOf(start, end), start: start, end: end}
}

func isSpaceByte(b byte) bool {
	return b == ' ' || b == '\t' || b == '\v' || b == '\f' || b == '\r' || b == '\n'
}

// splitWords splits text into words the way BuildKit's parseWords does:
// blanks separate words, quotes group them, the escape character escapes
// the next character. It returns [start, end) byte spans.
func splitWords(text string, esc rune) [][2]int {
	var words [][2]int
	start := -1
	var quote rune
	for pos := 0; pos < len(text); {
		ch, w := utf8.DecodeRuneInString(text[pos:])
		switch {
		case quote != 0:
			if ch == esc && pos+w < len(text) {
				_, w2 := utf8.DecodeRuneInString(text[pos+w:])
				w += w2
			} else if ch == quote {
				quote = 0
			}
		case unicode.IsSpace(ch):
			if start >= 0 {
				words = append(words, [2]int{start, pos})
				start = -1
			}
		default:
			if start < 0 {
				start = pos
			}
			if ch == '\'' || ch == '"' {
				quote = ch
			} else if ch == esc && pos+w < len(text) {
				_, w2 := utf8.DecodeRuneInString(text[pos+w:])
				w += w2
			}
		}
		pos += w
	}
	if start >= 0 {
		words = append(words, [2]int{start, len(text)})
	}
	return words
}

// Mounts returns the --mount options of a RUN (nil for other instructions
// or when the RUN does not parse).
func (ins *Instruction) Mounts() []*instructions.Mount {
	run, ok := ins.Command.(*instructions.RunCommand)
	if !ok {
		return nil
	}
	if !ins.mountsDone {
		ins.mountsDone = true
		func() {
			defer func() { _ = recover() }()
			// Without an expander BuildKit defers every mount field; the
			// identity expander evaluates them as written.
			if err := run.Expand(func(w string) (string, error) { return w, nil }); err == nil {
				ins.mounts = instructions.GetMounts(run)
			}
		}()
	}
	return ins.mounts
}

// HasCacheMount reports whether a cache or tmpfs mount's target contains
// any of dirs, which keeps what is written there out of the layer.
func (ins *Instruction) HasCacheMount(dirs ...string) bool {
	for _, m := range ins.Mounts() {
		if m.Type != instructions.MountTypeCache && m.Type != instructions.MountTypeTmpfs {
			continue
		}
		for _, d := range dirs {
			if strings.Contains(m.Target, d) {
				return true
			}
		}
	}
	return false
}
