package rules

import (
	"path"
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"

	"github.com/strata-dev/strata/lint"
)

// Helpers for the size rules (ST1xxx): where files land in the image, what
// a RUN downloads, extracts and deletes, and what that costs when the build
// context is known.

// unknownDir stands for a working directory the Dockerfile does not fix
// (the base image's): paths relative to it still compare with each other.
const unknownDir = "\x00"

// joinPath resolves p against dir as the shell and BuildKit do.
func joinPath(dir, p string) string {
	if strings.HasPrefix(p, "/") {
		return path.Clean(p)
	}
	if dir == "" {
		dir = unknownDir
	}
	return path.Join(dir, p)
}

// showPath prints a resolved path for a message.
func showPath(p string) string {
	if rest, ok := strings.CutPrefix(p, unknownDir); ok {
		return "." + rest
	}
	return p
}

// covers reports whether target (a path the shell sees, maybe with glob
// characters) is p or one of p's parent directories.
func covers(target, p string) bool {
	if rest, ok := strings.CutPrefix(p, unknownDir+"/"); ok && strings.HasPrefix(target, "/") && covers(target, "/"+rest) {
		return true // most images work in /: rm /app.tgz deletes the app.tgz fetched in an unknown directory
	}
	if !strings.ContainsAny(target, "*?[") {
		return p == target || strings.HasPrefix(p, target+"/") || target == "/"
	}
	for q := p; q != "/" && q != "." && q != unknownDir; q = path.Dir(q) {
		if ok, _ := path.Match(target, q); ok {
			return true
		}
	}
	return false
}

// inside returns target relative to dir when target lies strictly under it.
func inside(target, dir string) (string, bool) {
	if dir == "/" {
		return strings.TrimPrefix(target, "/"), target != "/"
	}
	rel, ok := strings.CutPrefix(target, dir+"/")
	return rel, ok && rel != ""
}

// placed is something an instruction put in the image that a later RUN may
// delete or rewrite.
type placed struct {
	ins  *lint.Instruction
	path string // where it is (resolved)
	// dir is set when the instruction filled the directory path from a
	// directory source (COPY . /app): part of it may be removed later.
	dir bool
	// src is the build-context source, when the files came from there.
	src *lint.ContextSource
	// kind names the instruction for messages ("COPY", "download in the
	// RUN"); how adds the line.
	kind    string
	raw     string // the source as written
	archive bool
}

// how names the instruction for messages: "COPY on line 4".
func (p *placed) how() string { return p.kind + " on line " + itoa(p.ins.StartLine) }

// layerState is what a stage has placed so far and where it works.
type layerState struct {
	workdir string
	placed  []placed
	dirs    map[string]bool // directories WORKDIR, mkdir or COPY made
}

// systemDirs exist in nearly every base image: COPY file /tmp puts the file
// in /tmp.
var systemDirs = map[string]bool{
	"/": true, "/tmp": true, "/var/tmp": true, "/opt": true, "/srv": true, "/root": true, "/etc": true, "/bin": true,
	"/usr/bin": true, "/usr/local": true, "/usr/local/bin": true, "/usr/local/lib": true, "/usr/local/share": true,
	"/usr/src": true, "/usr/share": true, "/usr/lib": true, "/home": true, "/var/www": true, "/var/www/html": true,
	"/docker-entrypoint.d": true, "/docker-entrypoint-initdb.d": true,
}

// expandIfNeeded is expandDefault for words that may hold variables or
// quotes, and the word itself otherwise (the common case, and cheap).
func expandIfNeeded(ins *lint.Instruction, word string) (string, bool) {
	if !strings.ContainsAny(word, "$\"'\\`") {
		return word, true
	}
	return expandDefault(ins, word)
}

func (st *layerState) addDir(d string) {
	if st.dirs == nil {
		st.dirs = map[string]bool{}
	}
	st.dirs[d] = true
}

// isDir reports whether the image has a directory at p at this point, as far
// as the Dockerfile shows.
func (st *layerState) isDir(p string) bool {
	return systemDirs[p] || st.dirs[p] || p == st.workdir
}

// walkLayers calls fn for every top-level RUN with the files earlier
// instructions of its stage, and of the stages it is built from, placed.
func walkLayers(f *lint.File, fn func(ins *lint.Instruction, s *lint.Script, st *layerState, rf *runFiles)) {
	for _, r := range layerRuns(f) {
		fn(r.ins, r.script, &layerState{placed: r.placed}, r.files)
	}
}

// layerRun is one RUN with what its stage had placed before it.
type layerRun struct {
	ins    *lint.Instruction
	script *lint.Script
	files  *runFiles
	placed []placed
}

// The layer walk and the context sources are computed once per file, for
// whichever size rule asks first, and live as long as the File.
type (
	layerKey  struct{}
	sourceKey struct{}
)

// contextSources is lint.ContextSources, once per file.
func contextSources(f *lint.File) []lint.ContextSource {
	return f.Memo(sourceKey{}, func() any { return lint.ContextSources(f) }).([]lint.ContextSource)
}

func layerRuns(f *lint.File) []layerRun {
	return f.Memo(layerKey{}, func() any { return computeLayerRuns(f) }).([]layerRun)
}

func computeLayerRuns(f *lint.File) []layerRun {
	var runs []layerRun
	sources := map[*lint.Instruction][]lint.ContextSource{}
	for _, s := range contextSources(f) {
		sources[s.Ins] = append(sources[s.Ins], s)
	}
	end := map[*lint.Stage]*layerState{}
	for _, stage := range f.Stages {
		st := &layerState{workdir: unknownDir}
		if strings.EqualFold(stage.Base, "scratch") {
			st.workdir = "/"
		}
		if stage.Parent != nil && end[stage.Parent] != nil {
			parent := end[stage.Parent]
			st.workdir = parent.workdir
			st.placed = append([]placed(nil), parent.placed...)
			for d := range parent.dirs {
				st.addDir(d)
			}
		}
		for _, ins := range stage.Instructions {
			switch c := ins.Command.(type) {
			case *instructions.WorkdirCommand:
				dir, ok := expandIfNeeded(ins, c.Path)
				if !ok {
					st.workdir = unknownDir + "_" + itoa(ins.StartLine)
					continue
				}
				st.workdir = joinPath(st.workdir, dir)
				st.addDir(st.workdir)
			case *instructions.RunCommand:
				s := ins.Script()
				if s == nil || s.Err != nil {
					continue
				}
				rf := analyzeRun(ins, s, st.workdir)
				runs = append(runs, layerRun{ins: ins, script: s, files: rf, placed: st.placed[:len(st.placed):len(st.placed)]})
				for _, d := range rf.mkdirs {
					st.addDir(d)
				}
				for _, d := range rf.downloads {
					if !rf.removedBy(d.path, d.cmd.Index) {
						st.placed = append(st.placed, placed{ins: ins, path: d.path, dir: false,
							kind: d.kind + " in the RUN", archive: isArchiveName(d.path)})
					}
				}
			case *instructions.CopyCommand:
				st.place(ins, c.SourcesAndDest, sources[ins], "COPY", c.Parents)
			case *instructions.AddCommand:
				st.place(ins, c.SourcesAndDest, sources[ins], "ADD", false)
			}
		}
		end[stage] = st
	}
	return runs
}

// place records what a COPY or ADD puts where.
func (st *layerState) place(ins *lint.Instruction, sd instructions.SourcesAndDest, srcs []lint.ContextSource, kind string, parents bool) {
	if parents || len(sd.SourceContents) > 0 {
		return
	}
	dest, ok := expandIfNeeded(ins, sd.DestPath)
	if !ok || dest == "" {
		return
	}
	resolved := joinPath(st.workdir, dest)
	destDir := strings.HasSuffix(dest, "/") || len(sd.SourcePaths) > 1 || dest == "." || dest == ".." || st.isDir(resolved)
	for k, raw := range sd.SourcePaths {
		var src *lint.ContextSource
		for j := range srcs {
			if srcs[j].Raw == raw {
				src = &srcs[j]
				break
			}
		}
		if src != nil && src.Unresolved {
			continue
		}
		remote := kind == "ADD" && isRemoteSource(raw)
		p := placed{ins: ins, src: src, kind: kind, raw: raw}
		name := path.Base(strings.TrimRight(raw, "/"))
		switch {
		case remote:
			if v, ok := expandIfNeeded(ins, raw); ok {
				raw = v
			}
			name = urlBase(raw)
			p.archive = isArchiveName(name)
		case kind == "ADD" && isTarName(name):
			p.dir = true // ADD unpacks a local tar archive
		case src != nil && src.Wildcard, raw == "." || raw == "./" || strings.HasSuffix(raw, "/"):
			p.dir = true
		case src == nil && k >= 0 && !strings.Contains(name, "."):
			p.dir = true // COPY --from=build /app ./: likely a directory
		default:
			p.archive = isArchiveName(name)
		}
		switch {
		case p.dir:
			p.path = resolved
			st.addDir(resolved)
		case destDir:
			p.path = joinPath(resolved, name)
		default:
			p.path = resolved
		}
		st.placed = append(st.placed, p)
	}
}

// contextIndex returns the walk of the build context for the file, or nil
// when the context is unknown or cannot be read.
func contextIndex(p *lint.Pass) *lint.ContextIndex {
	if p.Context == nil {
		return nil
	}
	x, err := p.Context.Index(p.File.Source.Path)
	if err != nil {
		return nil
	}
	return x
}

// sourceSize is what a context source brings: all of it (rel == ""), or
// the part at rel under it. ok is false when the context does not show it.
func sourceSize(x *lint.ContextIndex, src *lint.ContextSource, rel string) (files int, bytes int64, ok bool) {
	if x == nil || src == nil || src.Unresolved {
		return 0, 0, false
	}
	if rel == "" {
		return x.SourceSize(src)
	}
	var want string
	switch {
	case src.Path == ".":
		want = rel
	case src.Wildcard:
		first, _, _ := strings.Cut(rel, "/")
		if m, _ := path.Match(path.Base(src.Path), first); !m {
			return 0, 0, false
		}
		want = path.Join(path.Dir(src.Path), rel)
	default:
		i := x.Lookup(src.Path)
		if i < 0 || !x.Entries[i].IsDir() {
			return 0, 0, false
		}
		want = path.Join(src.Path, rel)
	}
	sub := lint.ContextSource{Path: want, Wildcard: strings.ContainsAny(want, "*?[")}
	return x.SourceSize(&sub)
}

// filesAndBytes prints "3 files, 1.2 MB" (or "1.2 MB" for one file).
func filesAndBytes(files int, bytes int64) string {
	if files == 1 {
		return lint.FormatSize(bytes)
	}
	return lint.FormatSize(bytes) + " in " + itoa(files) + " files"
}
