package rules

import (
	"net/url"
	"path"
	"strings"
	"sync"

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

// shellEnv expands the variables of RUN words with the values the
// Dockerfile gives them (ARG defaults and ENV), HOME being /root unless
// set.
type shellEnv struct {
	ins  *lint.Instruction
	vars map[string]string
}

// value returns a word's value with variables and a leading ~ expanded,
// and false when it depends on something unknown ($(cmd), an unset
// variable).
func (e *shellEnv) value(w lint.Word) (string, bool) {
	v := w.Value
	if !w.Literal {
		if strings.Contains(v, "$(") || strings.Contains(v, "`") {
			return "", false
		}
		if e.vars == nil {
			e.vars = stageEnv(e.ins)
		}
		v = expandVars(v, e.withHome(), "\x01")
		if strings.ContainsAny(v, "$\x01") {
			return "", false
		}
	}
	if v == "~" || strings.HasPrefix(v, "~/") {
		v = e.withHome()["HOME"] + v[1:]
	}
	return v, true
}

func (e *shellEnv) withHome() map[string]string {
	if e.vars == nil {
		e.vars = stageEnv(e.ins)
	}
	if _, ok := e.vars["HOME"]; !ok {
		e.vars["HOME"] = "/root"
	}
	return e.vars
}

// runFiles is what one RUN does to the file system, as far as its words
// tell: what it downloads, extracts, moves and deletes, following cd.
type runFiles struct {
	ins       *lint.Instruction
	script    *lint.Script
	env       *shellEnv
	downloads []created
	extracts  []extraction
	removals  []pathOp
	modes     []pathOp // chmod, chown, chgrp
	mkdirs    []string
	moves     []pathOp // mv sources
}

// created is a file or directory a command makes.
type created struct {
	cmd  *lint.Command
	word lint.Word // the word that names it (or the URL)
	path string    // resolved
	dir  bool      // git clone makes a directory
	kind string    // "download", "git clone"
}

// extraction is a command that unpacks or installs an archive.
type extraction struct {
	cmd     *lint.Command
	archive string // resolved path of the archive
	into    string // where the contents go ("" when unknown)
}

// pathOp is a command acting on paths: rm, chmod, chown.
type pathOp struct {
	cmd       *lint.Command
	word      lint.Word
	target    string // resolved, may hold glob characters
	recursive bool
}

// analyzeRun reads what a RUN does to files.
func analyzeRun(ins *lint.Instruction, s *lint.Script, workdir string) *runFiles {
	rf := &runFiles{ins: ins, script: s, env: &shellEnv{ins: ins}}
	cwd := workdir
	for _, c := range s.Commands {
		switch c.Name.Value {
		case "cd":
			cwd = rf.cd(c, cwd)
		case "curl":
			rf.curl(c, cwd)
		case "wget":
			rf.wget(c, cwd)
		case "git":
			rf.gitClone(c, cwd)
		case "rm":
			rf.rm(c, cwd)
		case "mv":
			ops := c.ArgsNoFlags()
			for k := 0; k+1 < len(ops); k++ {
				if p, ok := rf.resolve(ops[k], cwd); ok {
					rf.moves = append(rf.moves, pathOp{cmd: c, word: ops[k], target: p})
				}
			}
		case "mkdir":
			for _, w := range c.ArgsNoFlags() {
				if p, ok := rf.resolve(w, cwd); ok {
					rf.mkdirs = append(rf.mkdirs, p)
				}
			}
		case "chmod", "chown", "chgrp":
			rf.chmod(c, cwd)
		}
		if a, into, ok := extractedArchive(c, rf.env, cwd); ok {
			rf.extracts = append(rf.extracts, extraction{cmd: c, archive: a, into: into})
		}
	}
	return rf
}

func (rf *runFiles) resolve(w lint.Word, cwd string) (string, bool) {
	v, ok := rf.env.value(w)
	if !ok || v == "" || v == "-" {
		return "", false
	}
	if !strings.HasPrefix(v, "/") && cwd == "" {
		return "", false
	}
	return joinPath(cwd, v), true
}

func (rf *runFiles) cd(c *lint.Command, cwd string) string {
	args := c.ArgsNoFlags()
	if len(args) == 0 {
		return rf.env.withHome()["HOME"]
	}
	if p, ok := rf.resolve(args[0], cwd); ok && !strings.ContainsAny(p, "*?[") {
		return p
	}
	return ""
}

// scanArgs walks a command's arguments, handing flags with their values
// (attached --x=v, -xV, or the next word) to flag, and operands to operand.
// valueFlags lists the short letters and long names that take a value.
func scanArgs(c *lint.Command, short, long string, flag func(name string, value *lint.Word), operand func(w lint.Word)) {
	args := c.Args
	for i := 0; i < len(args); i++ {
		a := args[i]
		v := a.Value
		switch {
		case v == "--":
			for _, w := range args[i+1:] {
				operand(w)
			}
			return
		case strings.HasPrefix(v, "--"):
			name, val, hasVal := strings.Cut(v[2:], "=")
			if hasVal {
				w := a
				w.Value = val
				flag(name, &w)
			} else if strings.Contains(long, ","+name+",") && i+1 < len(args) {
				i++
				flag(name, &args[i])
			} else {
				flag(name, nil)
			}
		case len(v) > 1 && v[0] == '-':
			for k := 1; k < len(v); k++ {
				ch := v[k : k+1]
				if !strings.Contains(short, ch) {
					flag(ch, nil)
					continue
				}
				if k+1 < len(v) {
					w := a
					w.Value = v[k+1:]
					flag(ch, &w)
				} else if i+1 < len(args) {
					i++
					flag(ch, &args[i])
				} else {
					flag(ch, nil)
				}
				break
			}
		default:
			operand(a)
		}
	}
}

func isURL(v string) bool {
	for _, p := range []string{"http://", "https://", "ftp://"} {
		if strings.HasPrefix(v, p) {
			return true
		}
	}
	return false
}

// urlBase is the file name a URL is saved under by default.
func urlBase(u string) string {
	u, _, _ = strings.Cut(u, "?")
	u, _, _ = strings.Cut(u, "#")
	u = strings.TrimRight(u, "/")
	if d, err := url.PathUnescape(u); err == nil {
		u = d
	}
	return u[strings.LastIndexByte(u, '/')+1:]
}

const (
	curlShort = "oHduAexXmwebcTFEKryYzCQ"
	curlLong  = ",output,output-dir,header,data,data-binary,data-raw,data-urlencode,user,user-agent,proxy,request,max-time," +
		"retry,retry-delay,retry-max-time,connect-timeout,write-out,referer,cookie,cookie-jar,upload-file,form,cert,key," +
		"cacert,config,range,resolve,url,limit-rate,max-filesize,proto,proto-redir,time-cond,ciphers,interface,unix-socket,"
	wgetShort = "OPoaTtUeiwQlAR"
	wgetLong  = ",output-document,directory-prefix,output-file,append-output,timeout,tries,user-agent,execute,input-file," +
		"wait,quota,level,accept,reject,header,user,password,http-user,http-password,post-data,post-file,load-cookies," +
		"save-cookies,ca-certificate,certificate,private-key,referer,dns-timeout,connect-timeout,read-timeout,"
)

func (rf *runFiles) curl(c *lint.Command, cwd string) {
	var url *lint.Word
	var out *lint.Word
	remote := false
	outDir := cwd
	scanArgs(c, curlShort, curlLong, func(name string, v *lint.Word) {
		switch name {
		case "o", "output":
			out = v
		case "O", "remote-name":
			remote = true
		case "output-dir":
			if v != nil {
				if d, ok := rf.resolve(*v, cwd); ok {
					outDir = d
				}
			}
		case "url":
			url = v
		}
	}, func(w lint.Word) {
		if url == nil && isURL(w.Value) {
			url = &w
		}
	})
	if url == nil {
		return
	}
	switch {
	case out != nil:
		if p, ok := rf.resolve(*out, cwd); ok {
			rf.downloads = append(rf.downloads, created{cmd: c, word: *out, path: p, kind: "download"})
		}
	case remote && outDir != "":
		if name := urlBase(url.Value); name != "" && !strings.Contains(name, "$") {
			rf.downloads = append(rf.downloads, created{cmd: c, word: *url, path: joinPath(outDir, name), kind: "download"})
		}
	}
}

func (rf *runFiles) wget(c *lint.Command, cwd string) {
	var url, out *lint.Word
	dir := cwd
	scanArgs(c, wgetShort, wgetLong, func(name string, v *lint.Word) {
		switch name {
		case "O", "output-document":
			out = v
		case "P", "directory-prefix":
			if v != nil {
				if d, ok := rf.resolve(*v, cwd); ok {
					dir = d
				} else {
					dir = ""
				}
			}
		}
	}, func(w lint.Word) {
		if url == nil && isURL(w.Value) {
			url = &w
		}
	})
	if url == nil {
		return
	}
	if out != nil {
		if p, ok := rf.resolve(*out, cwd); ok {
			rf.downloads = append(rf.downloads, created{cmd: c, word: *out, path: p, kind: "download"})
		}
		return
	}
	if name := urlBase(url.Value); name != "" && dir != "" && !strings.Contains(name, "$") {
		rf.downloads = append(rf.downloads, created{cmd: c, word: *url, path: joinPath(dir, name), kind: "download"})
	}
}

func (rf *runFiles) gitClone(c *lint.Command, cwd string) {
	if len(c.Args) == 0 || c.Args[0].Value != "clone" {
		return
	}
	var ops []lint.Word
	scanArgs(c, "bocju", ",branch,depth,origin,config,reference,filter,jobs,template,separate-git-dir,upload-pack,shallow-since,shallow-exclude,server-option,",
		func(string, *lint.Word) {}, func(w lint.Word) { ops = append(ops, w) })
	if len(ops) < 2 { // "clone" and the repository
		return
	}
	repo := ops[1]
	var p string
	var ok bool
	if len(ops) > 2 {
		p, ok = rf.resolve(ops[2], cwd)
	} else if cwd != "" {
		name := strings.TrimSuffix(urlBase(repo.Value), ".git")
		p, ok = joinPath(cwd, name), name != "" && !strings.Contains(name, "$")
	}
	if ok {
		rf.downloads = append(rf.downloads, created{cmd: c, word: repo, path: p, dir: true, kind: "git clone"})
	}
}

func (rf *runFiles) rm(c *lint.Command, cwd string) {
	recursive := false
	scanArgs(c, "", "", func(name string, _ *lint.Word) {
		if name == "r" || name == "R" || name == "recursive" {
			recursive = true
		}
	}, func(w lint.Word) {
		if p, ok := rf.resolve(w, cwd); ok {
			rf.removals = append(rf.removals, pathOp{cmd: c, word: w, target: p, recursive: recursive})
		}
	})
}

func (rf *runFiles) chmod(c *lint.Command, cwd string) {
	recursive, reference, first := false, false, true
	for i, a := range c.Args {
		v := a.Value
		switch {
		case v == "-R" || v == "--recursive" || (strings.HasPrefix(v, "-") && !strings.HasPrefix(v, "--") && strings.Contains(v, "R")):
			recursive = true
		case strings.HasPrefix(v, "--reference"):
			reference = true
			if !strings.Contains(v, "=") {
				first = false
			}
		case c.Is("chmod") && first && len(v) > 1 && v[0] == '-' && strings.Trim(v[1:], "rwxXst") == "":
			first = false // a mode such as -x
		case strings.HasPrefix(v, "-") && len(v) > 1:
		case first && !reference:
			first = false // the mode or owner
		default:
			if p, ok := rf.resolve(c.Args[i], cwd); ok {
				rf.modes = append(rf.modes, pathOp{cmd: c, word: a, target: p, recursive: recursive})
			}
		}
	}
}

// extractedArchive recognises a command that unpacks or installs an
// archive file and returns the archive's path and where it goes.
func extractedArchive(c *lint.Command, env *shellEnv, cwd string) (archive, into string, ok bool) {
	if !c.Is("tar", "bsdtar", "unzip", "dpkg", "rpm", "apt-get", "apt", "dnf", "yum", "microdnf", "zypper", "apk", "pip", "pip3") {
		return "", "", false
	}
	resolve := func(w lint.Word) (string, bool) {
		v, ok := env.value(w)
		if !ok || v == "" || v == "-" || (cwd == "" && !strings.HasPrefix(v, "/")) {
			return "", false
		}
		return joinPath(cwd, v), true
	}
	switch c.Name.Value {
	case "tar", "bsdtar":
		if !extractsArchive(&lint.Command{Name: lint.Word{Value: "tar"}, Args: c.Args}) {
			return "", "", false
		}
		var file *lint.Word
		into = cwd
		oldStyle := len(c.Args) > 0 && !strings.HasPrefix(c.Args[0].Value, "-") && strings.Contains(c.Args[0].Value, "f")
		var ops []lint.Word
		scanArgs(c, "fC", ",file,directory,", func(name string, v *lint.Word) {
			switch name {
			case "f", "file":
				file = v
			case "C", "directory":
				if v != nil {
					into, _ = resolve(*v)
				}
			}
		}, func(w lint.Word) { ops = append(ops, w) })
		if oldStyle && len(ops) > 1 {
			file = &ops[1]
		}
		if file == nil {
			return "", "", false
		}
		a, ok := resolve(*file)
		return a, into, ok
	case "unzip":
		into = cwd
		var file *lint.Word
		scanArgs(c, "dP", "", func(name string, v *lint.Word) {
			if name == "d" && v != nil {
				into, _ = resolve(*v)
			}
		}, func(w lint.Word) {
			if file == nil {
				file = &w
			}
		})
		if file == nil {
			return "", "", false
		}
		a, ok := resolve(*file)
		return a, into, ok
	case "dpkg", "rpm", "apt-get", "apt", "dnf", "yum", "microdnf", "zypper", "apk", "pip", "pip3":
		for _, w := range c.Args {
			if w.IsFlag() {
				continue
			}
			v := w.Value
			if strings.HasSuffix(v, ".deb") || strings.HasSuffix(v, ".rpm") || strings.HasSuffix(v, ".apk") || strings.HasSuffix(v, ".whl") {
				if a, ok := resolve(w); ok {
					return a, "", true
				}
			}
		}
	}
	return "", "", false
}

// removedBy reports whether a removal later than command index after in
// the RUN deletes p.
func (rf *runFiles) removedBy(p string, after int) bool {
	for _, r := range rf.removals {
		if r.cmd.Index > after && covers(r.target, p) {
			return true
		}
	}
	return false
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

// The layer walk runs once per file, for whichever size rule asks first.
// Files are linted a few at a time (one per CPU), so a small ring of the
// latest results serves every rule of a file and keeps memory bounded: a
// result points into its File, which a map keyed by File would keep alive.
var (
	layerCache  recentFiles[[]layerRun]
	sourceCache recentFiles[[]lint.ContextSource]
)

// contextSources is lint.ContextSources, once per file.
func contextSources(f *lint.File) []lint.ContextSource {
	return sourceCache.get(f, func() []lint.ContextSource { return lint.ContextSources(f) })
}

func layerRuns(f *lint.File) []layerRun {
	return layerCache.get(f, func() []layerRun { return computeLayerRuns(f) })
}

// recentFiles remembers a value for each of the last files asked about.
type recentFiles[T any] struct {
	mu      sync.Mutex
	entries [64]struct {
		file *lint.File
		val  T
	}
	next int
}

func (c *recentFiles[T]) get(f *lint.File, compute func() T) T {
	c.mu.Lock()
	for i := range c.entries {
		if c.entries[i].file == f {
			v := c.entries[i].val
			c.mu.Unlock()
			return v
		}
	}
	c.mu.Unlock()
	v := compute()
	c.mu.Lock()
	c.entries[c.next].file, c.entries[c.next].val = f, v
	c.next = (c.next + 1) % len(c.entries)
	c.mu.Unlock()
	return v
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

// toolchainImage names the build toolchain a base image is ("go", "rust",
// "maven", "gradle", "jdk"), or "".
func toolchainImage(base string) string {
	ref := parseImageRef(strings.ToLower(base))
	name := ref.Name[strings.LastIndexByte(ref.Name, '/')+1:]
	switch name {
	case "golang":
		return "go"
	case "rust":
		return "rust"
	case "maven":
		return "maven"
	case "gradle":
		return "gradle"
	case "openjdk", "eclipse-temurin", "sapmachine", "ibm-semeru-runtimes":
		if strings.Contains(ref.Tag, "jdk") {
			return "jdk"
		}
	}
	return ""
}

// toolchainBuild reports whether a command builds with the toolchain of an
// image family.
func toolchainBuild(family string, c *lint.Command) bool {
	switch family {
	case "go":
		return subcommand("go", "build", "install")(c)
	case "rust":
		return subcommand("cargo", "build", "install")(c)
	case "maven":
		return packageCaches["maven"].Fills(c)
	case "gradle":
		return packageCaches["gradle"].Fills(c)
	case "jdk":
		return c.Is("javac") || packageCaches["maven"].Fills(c) || packageCaches["gradle"].Fills(c)
	}
	return false
}

// singleStageToolchain returns the toolchain family of a single-stage
// build whose only stage is built FROM a toolchain image and uses it to
// build, and the RUN command that does.
func singleStageToolchain(f *lint.File) (family string, build *lint.Command) {
	if len(f.Stages) != 1 {
		return "", nil
	}
	s := f.Stages[0]
	family = toolchainImage(s.Base)
	if family == "" {
		return "", nil
	}
	for _, ins := range s.Instructions {
		if sc := ins.Script(); sc != nil && sc.Err == nil {
			for _, c := range sc.Commands {
				if toolchainBuild(family, c) {
					return family, c
				}
			}
		}
	}
	return "", nil
}

// installed is a package install command and the packages it names, with
// variables from the RUN's own assignments and the stage's ARG and ENV
// expanded.
type installed struct {
	cmd      *lint.Command
	manager  string // apt, apk, rpm
	packages []pkgWord
}

type pkgWord struct {
	name string    // without a version
	word lint.Word // where it is written
}

// packageInstall reads a package install command.
func packageInstall(c *lint.Command, s *lint.Script, env *shellEnv) (installed, bool) {
	var manager, sub string
	var valueFlags []string
	switch {
	case c.Is("apt-get", "apt", "aptitude"):
		manager, sub, valueFlags = "apt", "install", []string{"o", "t", "c", "target-release", "option"}
	case c.Is("apk"):
		manager, sub, valueFlags = "apk", "add", []string{"t", "virtual", "X", "repository", "p", "root"}
	case c.Is("dnf", "yum", "microdnf", "tdnf"):
		manager, sub, valueFlags = "rpm", "install", []string{"setopt", "enablerepo", "disablerepo", "releasever", "installroot", "repo"}
	case c.Is("zypper"):
		manager, sub, valueFlags = "rpm", "install", []string{"n", "r", "repo", "from"}
	default:
		return installed{}, false
	}
	words := operands(c, valueFlags...)
	i := 0
	for i < len(words) && words[i].Value != sub && !(manager == "rpm" && c.Is("zypper") && words[i].Value == "in") {
		i++
	}
	if i == len(words) {
		return installed{}, false
	}
	in := installed{cmd: c, manager: manager}
	assigns := map[string]string{}
	for _, a := range s.Assigns {
		assigns[a.Name] = a.Value.Value
	}
	for _, w := range words[i+1:] {
		v := w.Value
		if !w.Literal {
			v = expandVars(v, assigns, "")
			if strings.Contains(v, "$") {
				if e, ok := env.value(lint.Word{Value: v}); ok {
					v = e
				}
			}
		}
		if strings.ContainsAny(v, `"'`) {
			v = dropQuoteChars.Replace(v)
		}
		for _, name := range strings.Fields(v) {
			if n := strings.IndexAny(name, "=<>~"); n > 0 {
				name = name[:n]
			}
			in.packages = append(in.packages, pkgWord{name: name, word: w})
		}
	}
	return in, true
}

var dropQuoteChars = strings.NewReplacer(`"`, "", "'", "")

// toolchainPackage reports whether a package is a compiler, a build tool or
// development headers, which only a build needs.
func toolchainPackage(manager, name string) bool {
	switch name {
	case "build-essential", "gcc", "g++", "gcc-c++", "clang", "gfortran", "build-base", "golang", "golang-go", "go",
		"maven", "gradle", "rustc", "cargo", "rust", "default-jdk", "default-jdk-headless", "linux-headers":
		return true
	}
	switch manager {
	case "apt", "apk":
		if strings.HasSuffix(name, "-dev") && len(name) > 4 {
			return true
		}
		if strings.HasPrefix(name, "openjdk-") && (strings.HasSuffix(name, "-jdk") || strings.HasSuffix(name, "-jdk-headless")) {
			return true
		}
		if manager == "apk" && strings.HasPrefix(name, "openjdk") && !strings.Contains(name, "-") {
			return true // apk's openjdk17 is the JDK; openjdk17-jre is not
		}
	case "rpm":
		return strings.HasSuffix(name, "-devel")
	}
	return false
}

// packagesRemoved reports whether a command after index i removes
// packages with the same manager (apt-get purge, apk del, dnf remove).
func packagesRemoved(s *lint.Script, i int, manager string) bool {
	return laterCommand(s, i, func(c *lint.Command) bool {
		switch manager {
		case "apt":
			return c.Is("apt-get", "apt", "aptitude") && c.HasArg("purge", "remove", "autoremove")
		case "apk":
			return c.Is("apk") && c.HasArg("del")
		default:
			return c.Is("dnf", "yum", "microdnf", "zypper", "tdnf") && c.HasArg("remove", "erase", "autoremove", "rm")
		}
	})
}
