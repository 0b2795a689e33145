package lint

import (
	"path"
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/moby/buildkit/frontend/dockerfile/shell"
)

// ContextSource is a path an instruction reads from the build context: a
// local source of COPY or ADD, or the source of a RUN bind mount.
type ContextSource struct {
	Ins *Instruction
	// Raw is the source as written; Range is where (the source=... field
	// of a RUN mount, or its whole --mount flag when it names none).
	Raw   string
	Range Range
	// Path is the source after variable expansion, cleaned and relative to
	// the context root as BuildKit makes it; "." is the whole context.
	Path string
	// Wildcard is true when Path has glob characters.
	Wildcard bool
	// Unresolved is true when a variable has no value known to the
	// Dockerfile (an ARG without default, say): Path is then a guess.
	Unresolved bool
}

// ContextSources lists every use of the build context by the top-level
// instructions of every stage, in source order. COPY --from, remote ADD
// sources (URLs, Git) and heredoc sources do not read the context.
func ContextSources(f *File) []ContextSource {
	var out []ContextSource
	for _, ins := range f.Instructions {
		if ins.Stage == nil {
			continue
		}
		var sd *instructions.SourcesAndDest
		switch c := ins.Command.(type) {
		case *instructions.CopyCommand:
			if c.From != "" {
				continue
			}
			sd = &c.SourcesAndDest
		case *instructions.AddCommand:
			sd = &c.SourcesAndDest
		case *instructions.RunCommand:
			if _, ok := ins.Flag("mount"); !ok {
				continue // parsing mounts is not free
			}
			var flags []Flag
			for _, f := range ins.Flags {
				if f.Name == "mount" {
					flags = append(flags, f)
				}
			}
			mounts := ins.Mounts()
			for k, m := range mounts {
				if m.Type == instructions.MountTypeBind && m.From == "" {
					r := ins.ArgsRange()
					if len(flags) == len(mounts) {
						// The source field, or the whole --mount flag
						// when the mount binds the context root.
						r = ins.FieldRange(flags[k], "source", "src")
					}
					out = append(out, newContextSource(ins, m.Source, r))
				}
			}
			continue
		default:
			continue
		}
		words := sourceArgs(ins)
		for i, src := range sd.SourcePaths {
			if isRemoteSource(src) {
				continue
			}
			var r Range
			if len(words) == len(sd.SourcePaths) {
				r = words[i].Range
			} else {
				r = ins.ArgsRange()
			}
			out = append(out, newContextSource(ins, src, r))
		}
	}
	return out
}

// sourceArgs are the arguments of COPY/ADD that name sources: all but the
// destination, without heredoc markers.
func sourceArgs(ins *Instruction) []Arg {
	if len(ins.Args) < 2 {
		return nil
	}
	var out []Arg
	for _, a := range ins.Args[:len(ins.Args)-1] {
		if !strings.HasPrefix(a.Value, "<<") {
			out = append(out, a)
		}
	}
	return out
}

// isRemoteSource reports whether an ADD source is a URL or a Git
// repository rather than a path in the context.
func isRemoteSource(src string) bool {
	return strings.Contains(src, "://") || strings.HasPrefix(src, "git@")
}

func newContextSource(ins *Instruction, raw string, r Range) ContextSource {
	s := ContextSource{Ins: ins, Raw: raw, Range: r}
	word := raw
	if strings.ContainsAny(raw, `$"'`) || strings.ContainsRune(raw, ins.File.Escape) {
		env := instructionVars(ins)
		out, missing, err := shell.NewLex(ins.File.Escape).ProcessWord(raw, shell.EnvsFromSlice(env))
		if err == nil {
			word = out
		}
		s.Unresolved = err != nil || len(missing) > 0 || unsetVar(raw, env)
	}
	s.Path = cleanContextPath(word)
	s.Wildcard = strings.ContainsAny(s.Path, "*?[")
	return s
}

// unsetVar reports whether raw refers to a variable whose value the
// Dockerfile leaves open (listed as NAME= by instructionVars with no
// default).
func unsetVar(raw string, env []string) bool {
	for _, kv := range env {
		name, v, _ := strings.Cut(kv, "=")
		if v == "" && (strings.Contains(raw, "$"+name) || strings.Contains(raw, "${"+name)) {
			return true
		}
	}
	return false
}

// instructionVars are the build arguments and environment variables an
// instruction sees, as NAME=value: global ARGs the stage declares again,
// and ARG and ENV of the stage and those it is built from, up to ins. An
// ARG without a default is listed with an empty value, and so is a value
// that uses a variable the Dockerfile leaves open. Values are processed as
// BuildKit does when it runs the instruction: quotes removed, escapes
// applied, earlier variables expanded (ENV D="/app" is /app).
func instructionVars(ins *Instruction) []string {
	lex := shell.NewLex(ins.File.Escape)
	process := func(raw string, vars ShellEnv) string {
		if !strings.ContainsAny(raw, `$"'`) && !strings.ContainsRune(raw, ins.File.Escape) {
			return raw
		}
		v, missing, err := lex.ProcessWord(raw, vars)
		if err != nil || len(missing) > 0 {
			return ""
		}
		return v
	}
	globals := ShellEnv{}
	globalSet := map[string]bool{}
	for _, g := range ins.File.GlobalArgs() {
		if a, ok := g.Command.(*instructions.ArgCommand); ok {
			for _, kv := range a.Args {
				if kv.Value != nil {
					globals[kv.Key] = process(*kv.Value, globals)
					globalSet[kv.Key] = true
				} else {
					delete(globals, kv.Key)
					delete(globalSet, kv.Key)
				}
			}
		}
	}
	vars := ShellEnv{}
	var order []string
	set := func(k, v string) {
		if _, ok := vars[k]; !ok {
			order = append(order, k)
		}
		vars[k] = v
	}
	chain := ins.Stage.Ancestors()
	for i := len(chain) - 1; i >= 0; i-- {
		for _, x := range chain[i].Instructions {
			if x == ins {
				break
			}
			switch c := x.Command.(type) {
			case *instructions.ArgCommand:
				for _, kv := range c.Args {
					switch {
					case kv.Value != nil:
						set(kv.Key, process(*kv.Value, vars))
					case globalSet[kv.Key]:
						set(kv.Key, globals[kv.Key])
					default:
						set(kv.Key, "")
					}
				}
			case *instructions.EnvCommand:
				for _, kv := range c.Env {
					set(kv.Key, process(kv.Value, vars))
				}
			}
		}
	}
	out := make([]string, 0, len(order))
	for _, k := range order {
		out = append(out, k+"="+vars[k])
	}
	return out
}

// ShellEnv is a map of variables as BuildKit's shell lexer reads an
// environment (shell.EnvGetter), for expanding Dockerfile words.
type ShellEnv map[string]string

// Get returns a variable's value and whether it is set.
func (m ShellEnv) Get(key string) (string, bool) {
	v, ok := m[key]
	return v, ok
}

// Keys returns the names of the variables.
func (m ShellEnv) Keys() []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	return keys
}

// Covers reports whether the source takes in the context path p (p itself
// or a parent matches it).
func (s *ContextSource) Covers(p string) bool {
	if s.Path == "." {
		return true
	}
	if !s.Wildcard {
		return p == s.Path || isUnder(p, s.Path)
	}
	for q := p; q != "."; q = path.Dir(q) {
		if ok, _ := path.Match(s.Path, q); ok {
			return true
		}
	}
	return false
}

// ContextUsage is what the sources of a Dockerfile take from the context.
type ContextUsage struct {
	Index   *ContextIndex
	Sources []ContextSource
	// Used marks the entries (sent, not excluded) under some source.
	Used []bool
	// Files and Bytes total the used files: what BuildKit transfers.
	Files int
	Bytes int64
	// Whole is true when a source takes the whole context.
	Whole bool
	// Unresolved is true when some source has a variable with no known
	// value, so that what is used is not certain.
	Unresolved bool
}

// Usage marks what the sources take from the context, as BuildKit's
// FollowPaths does for the context transfer.
func (x *ContextIndex) Usage(sources []ContextSource) *ContextUsage {
	u := &ContextUsage{Index: x, Sources: sources, Used: make([]bool, len(x.Entries))}
	mark := func(i int) {
		for j := i; j < x.End(i); j++ {
			if !x.Entries[j].Excluded {
				u.Used[j] = true
			}
		}
	}
	for _, s := range sources {
		u.Unresolved = u.Unresolved || s.Unresolved
		switch {
		case s.Path == ".":
			u.Whole = true
			for j := range u.Used {
				u.Used[j] = !x.Entries[j].Excluded
			}
		case !s.Wildcard:
			if i := x.Lookup(s.Path); i >= 0 {
				mark(i)
			}
		default:
			for i := 0; i < len(x.Entries); {
				if ok, _ := path.Match(s.Path, x.Entries[i].Path); ok {
					mark(i)
					i = x.End(i)
					continue
				}
				i++
			}
		}
		if u.Whole {
			break
		}
	}
	for i, used := range u.Used {
		if used && x.Entries[i].Kind != KindDir {
			u.Files++
			u.Bytes += x.Entries[i].Size
		}
	}
	return u
}

// SourceFor returns the first source that takes in entry i, or nil.
func (u *ContextUsage) SourceFor(i int) *ContextSource {
	p := u.Index.Entries[i].Path
	for k := range u.Sources {
		if u.Sources[k].Covers(p) {
			return &u.Sources[k]
		}
	}
	return nil
}

// Unused returns the largest parts of the context that are sent but that no
// source takes: each a file or a directory none of whose files is used,
// inside a directory where something is. Dockerfiles and ignore files,
// which the build itself reads, are left out.
func (u *ContextUsage) Unused() []int {
	x := u.Index
	usedBelow := make([]bool, len(x.Entries))
	for i := len(x.Entries) - 1; i >= 0; i-- {
		if u.Used[i] {
			usedBelow[i] = true
		}
		if usedBelow[i] {
			if p := x.Parent(i); p >= 0 {
				usedBelow[p] = true
			}
		}
	}
	var out []int
	for i := 0; i < len(x.Entries); {
		e := &x.Entries[i]
		if e.Excluded && e.Kind != KindDir || e.Kind == KindDir && e.Files == 0 {
			i = x.End(i)
			continue
		}
		if usedBelow[i] {
			i++
			continue
		}
		name := path.Base(e.Path)
		if !IsDockerfileName(name) && !strings.HasSuffix(name, ".dockerignore") {
			out = append(out, i)
		}
		i = x.End(i)
	}
	return out
}

// SourceSize is what a source takes from the context: the files and bytes
// sent under it, and whether it matches anything that is sent.
func (x *ContextIndex) SourceSize(s *ContextSource) (files int, bytes int64, found bool) {
	add := func(i int) {
		f, b := x.SentSize(i)
		files += f
		bytes += b
	}
	switch {
	case s.Path == ".":
		return x.Files, x.Bytes, true
	case !s.Wildcard:
		i, excluded := x.Locate(s.Path)
		if i < 0 || excluded && !x.Sends(i) {
			return 0, 0, false
		}
		add(i)
		return files, bytes, true
	}
	for i := 0; i < len(x.Entries); {
		if m, _ := path.Match(s.Path, x.Entries[i].Path); m && x.Sends(i) {
			add(i)
			found = true
			i = x.End(i)
			continue
		}
		i++
	}
	return files, bytes, found
}
