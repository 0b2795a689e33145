package rules

import (
	"net/url"
	"strings"

	"github.com/strata-dev/strata/lint"
)

// What a RUN does to files, read from its words: downloads, archives
// unpacked, moves, removals and mode changes, following cd.

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
	archive string // resolved path of the archive ("" when tar reads it from a pipe)
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

// tarOldArgs are the old-style tar letters that take an argument (taken
// from the operands after the bundle, in order).
const tarOldArgs = "fbCTXgLNVK"

// tarNormalized rewrites a tar command whose first argument is an
// old-style bundle without a dash (tar xzf a.tar.gz -C /opt, tar xvJf,
// tar zxf) into the equivalent dashed options (tar -xz -f a.tar.gz -C
// /opt), so that flag scanning finds the mode and the archive. Other
// commands are returned as they are.
func tarNormalized(c *lint.Command) *lint.Command {
	if len(c.Args) == 0 {
		return c
	}
	first := c.Args[0].Value
	if first == "" || strings.HasPrefix(first, "-") || !strings.ContainsAny(first, "xtcrudA") {
		return c
	}
	for _, r := range first {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			return c // an operand, not a bundle
		}
	}
	out := *c
	out.Args = nil
	rest := c.Args[1:]
	bundle := c.Args[0]
	bundle.Value = "-"
	var withArgs []lint.Word
	for _, r := range first {
		if strings.ContainsRune(tarOldArgs, r) {
			flag := c.Args[0]
			flag.Value = "-" + string(r)
			withArgs = append(withArgs, flag)
			if len(rest) > 0 {
				withArgs = append(withArgs, rest[0])
				rest = rest[1:]
			}
			continue
		}
		bundle.Value += string(r)
	}
	if bundle.Value != "-" {
		out.Args = append(out.Args, bundle)
	}
	out.Args = append(append(out.Args, withArgs...), rest...)
	return &out
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
		c = tarNormalized(c)
		if !extractsArchive(&lint.Command{Name: lint.Word{Value: "tar"}, Args: c.Args}) {
			return "", "", false
		}
		var file *lint.Word
		into = cwd
		scanArgs(c, "fC", ",file,directory,", func(name string, v *lint.Word) {
			switch name {
			case "f", "file":
				file = v
			case "C", "directory":
				if v != nil {
					into, _ = resolve(*v)
				}
			}
		}, func(lint.Word) {})
		if file == nil || file.Value == "-" {
			if c.Stage > 0 && into != "" {
				return "", into, true // curl ... | tar -xz -C /tmp: the archive is streamed
			}
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
