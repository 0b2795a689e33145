package rules

import (
	"github.com/strata-dev/strata/internal/lazyre"
	"path"
	"strings"

	"github.com/strata-dev/strata/lint"
)

// ST3004 reports remote scripts run without verification.
var ST3004 = register(&lint.Rule{
	Code:     "ST3004",
	Name:     "unverified-remote-script",
	Summary:  "Do not pipe downloaded scripts into a shell; verify them first",
	Severity: lint.SeverityWarning,
	Origin:   lint.OriginStrata,
	Status:   lint.StatusStable,
	Since:    "0.1.0",
	Docs: lint.Docs{
		What: "Reports a `RUN` (or `ONBUILD RUN`) that runs a script straight from the network:\n\n" +
			"- a download piped into an interpreter that reads its program from standard input: " +
			"`curl -fsSL URL | sh`, `wget -qO- URL | sudo bash -s -- --yes`, `curl URL | python3 -`, " +
			"`curl URL | php`;\n" +
			"- a download passed as the program: `sh -c \"$(curl -fsSL URL)\"`, `bash <(curl -s URL)`, " +
			"`eval \"$(wget -qO- URL)\"`;\n" +
			"- a pipe into a shell inside an `sh -c` string, as in the exec form " +
			"`RUN [\"sh\", \"-c\", \"curl -fsSL URL | sh\"]`;\n" +
			"- a script saved to a file (`curl -o f`, `curl -O`, `wget`, `curl URL > f`) and then run in the same " +
			"RUN (`sh f`, `bash f`, `./f.sh`, `python3 f`) when no checksum or signature tool (`sha256sum`, " +
			"`shasum`, `gpg --verify`, `cosign`, `minisign`, ...) is used in that RUN.\n\n" +
			"An interpreter given its program with `-c`/`-e` (`curl URL | python3 -c 'import json...'`) only " +
			"reads data and is not reported. Downloaded binaries are out of scope: only scripts run by an " +
			"interpreter, or files with a script extension run directly, count.",
		Why: "The script runs as root with whatever the server sent at that moment. A compromised project site, " +
			"CDN or account, a DNS hijack or a changed URL turns the build into someone else's code, and nothing " +
			"in the Dockerfile records what actually ran. A truncated download can also run half a script.",
		Fix: "Download to a file, check it against a checksum you recorded (or the project's signature), then " +
			"run it:\n\n```dockerfile\nARG INSTALLER_SHA256=<sha256 of the script you reviewed>\n" +
			"RUN curl -fsSL -o /tmp/install.sh https://example.com/install.sh \\\n" +
			" && echo \"${INSTALLER_SHA256}  /tmp/install.sh\" | sha256sum -c - \\\n" +
			" && sh /tmp/install.sh && rm /tmp/install.sh\n```\n\n" +
			"Better still, install a released, checksummed artifact or a distribution package.",
		Peers: "No Trivy, Checkov or dockle rule checks this, and no hadolint or BuildKit rule either " +
			"(hadolint's DL4006 only asks for `set -o pipefail` in RUNs with pipes).",
	},
	Examples: []lint.Example{
		{Title: "curl piped into sh", Dockerfile: "FROM debian:12\nRUN curl -fsSL https://get.example.com | sh\n", Want: []string{"2:42"}},
		{Title: "A command substitution", Dockerfile: "FROM debian:12\nRUN /bin/bash -c \"$(curl -fsSL https://example.com/install.sh)\"\n", Want: []string{"2:18"}},
		{Title: "Downloaded, checked, then run", Dockerfile: "FROM debian:12\nARG SHA256=9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08\n" +
			"RUN curl -fsSL -o /tmp/install.sh https://example.com/install.sh \\\n" +
			" && echo \"${SHA256}  /tmp/install.sh\" | sha256sum -c - \\\n && sh /tmp/install.sh\n"},
		{Title: "Reading JSON, not running code", Dockerfile: "FROM python:3.12\n" +
			"RUN curl -s https://api.example.com/latest | python3 -c 'import json,sys; print(json.load(sys.stdin)[\"v\"])'\n"},
	},
	Check: func(p *lint.Pass) {
		src := p.File.Source
		eachRun(p.File, func(ins *lint.Instruction, s *lint.Script) {
			// sh -c 'curl ... | sh' (the exec form's usual shape): the inner
			// script is a string the shell model does not parse.
			shellC := func(name string, args []lint.Word) {
				for i, a := range args {
					if a.Value == "-c" && i+1 < len(args) && st3004PipeInString().MatchString(args[i+1].Value) {
						p.Report(lint.Finding{
							At: ins, Range: args[i+1].Range(),
							Message: "the " + name + " -c script pipes a download into a shell, which runs it without any check",
							Help:    st3004Help,
						})
					}
				}
			}
			if !st3004Downloads(s) {
				for _, c := range s.Commands {
					if name, args := secUnwrap(c); st3004Interpreter(name) {
						shellC(name, args)
					}
				}
				return
			}
			// 1. download | interpreter
			first := map[int]*lint.Command{} // pipeline -> earliest downloader
			done := map[int]bool{}
			for _, c := range s.Commands {
				if c.Pipeline == 0 {
					continue
				}
				name, args := secUnwrap(c)
				if d := first[c.Pipeline]; d == nil && st3004ToStdout(name, args) {
					first[c.Pipeline] = c
					continue
				}
				d := first[c.Pipeline]
				if d == nil || done[c.Pipeline] || c.Stage <= d.Stage || !st3004ReadsStdin(name, args) {
					continue
				}
				dname, _ := secUnwrap(d)
				p.Report(lint.Finding{
					At: ins, Range: c.Range(),
					Message: "the output of " + dname + " is piped into " + name + " and runs without any check of what was downloaded",
					Help:    st3004Help,
				})
				done[c.Pipeline] = true
			}
			// 2. sh -c "$(curl ...)", bash <(curl ...)
			for _, c := range s.Commands {
				name, args := secUnwrap(c)
				if !st3004Interpreter(name) && name != "eval" && name != "source" && name != "." {
					continue
				}
				shellC(name, args)
				for _, a := range args {
					if strings.ContainsAny(a.Value, "$<`") && st3004Subst().MatchString(a.Value) {
						p.Report(lint.Finding{
							At: ins, Range: a.Range(),
							Message: name + " runs a script fetched by a command substitution, without any check of what was downloaded",
							Help:    st3004Help,
						})
						break
					}
				}
			}
			// 3. curl -o f URL && sh f, without a checksum in the RUN
			type download struct {
				file string
				tool string
				idx  int
			}
			var files []download
			verified := false
			for i, c := range s.Commands {
				name, args := secUnwrap(c)
				if st3004Verifier(name, args) {
					verified = true
					break
				}
				if c.Pipeline == 0 {
					for _, f := range st3004Outputs(src, c, name, args) {
						files = append(files, download{f, name, i})
					}
				}
			}
			if verified || len(files) == 0 {
				return
			}
			for i, c := range s.Commands {
				name, args := secUnwrap(c)
				target, ok := st3004RunsFile(c, name, args)
				if !ok {
					continue
				}
				for _, d := range files {
					if d.idx < i && st3004SameFile(target, d.file) {
						p.Report(lint.Finding{
							At: ins, Range: c.Range(),
							Message: target + " was downloaded by " + d.tool + " and is run without checking a checksum or signature",
							Help:    st3004Help,
						})
						break
					}
				}
			}
		})
	},
})

const st3004Help = "download to a file, verify it (echo \"<sha256>  file\" | sha256sum -c -, or the project's " +
	"signature), then run it"

var (
	st3004PipeInString = lazyre.New(`\b(?:curl|wget)\b[^|;&]*\|\s*(?:sudo\s+(?:-\S+\s+)*)?(?:/bin/|/usr/bin/)?(?:ba|da|z|a|k)?sh\b`)
	st3004Subst        = lazyre.New("(\\$\\(|<\\(|`)\\s*(sudo\\s+)?(curl|wget|fetch)\\b")
	st3004Script       = lazyre.New(`\.(sh|bash|py|pl|rb|js|php|ps1)$`)
)

// st3004Downloads reports whether a script runs a download tool.
func st3004Downloads(s *lint.Script) bool {
	for _, c := range s.Commands {
		name := secBase(c.Name.Value)
		if secWrapper(name) {
			name, _ = secUnwrap(c)
		}
		switch name {
		case "curl", "wget", "fetch", "aria2c":
			return true
		}
	}
	return false
}

func st3004Interpreter(name string) bool {
	switch name {
	case "sh", "bash", "dash", "zsh", "ash", "ksh", "mksh", "fish", "perl", "ruby", "node", "nodejs", "php", "pypy", "pypy3":
		return true
	}
	return strings.HasPrefix(name, "python") && pythonName().MatchString(name)
}

// st3004ToStdout reports a download tool writing what it fetched to
// standard output.
func st3004ToStdout(name string, args []lint.Word) bool {
	switch name {
	case "curl":
		for i, a := range args {
			v := a.Value
			if v == "-O" || v == "--remote-name" || v == "--remote-name-all" {
				return false
			}
			if (v == "-o" || v == "--output") && i+1 < len(args) && args[i+1].Value != "-" {
				return false
			}
		}
		return true
	case "wget":
		for i, a := range args {
			v := a.Value
			if v == "--output-document=-" || v == "-O-" || (strings.HasPrefix(v, "-") && !strings.HasPrefix(v, "--") && strings.HasSuffix(v, "O-")) {
				return true
			}
			if (strings.HasSuffix(v, "O") && strings.HasPrefix(v, "-") && !strings.HasPrefix(v, "--") || v == "--output-document") &&
				i+1 < len(args) && args[i+1].Value == "-" {
				return true
			}
		}
		return false
	case "fetch":
		return true
	}
	return false
}

// st3004Flags describes an interpreter's command line: the option letters
// that give the program inline (so stdin is data), and the options that
// take a value as the next word.
func st3004Flags(name string) (shell bool, inline string, valued []string) {
	switch {
	case name == "perl":
		return false, "eE", []string{"-I", "-M", "-x"}
	case name == "ruby":
		return false, "e", []string{"-I", "-r", "-C", "-E"}
	case name == "node" || name == "nodejs":
		return false, "ep", []string{"-r", "--require", "--import", "--loader"}
	case name == "php":
		return false, "rRBEF", []string{"-d", "-c", "-z"}
	case pythonName().MatchString(name) || name == "pypy" || name == "pypy3":
		return false, "cm", []string{"-W", "-X"}
	}
	return true, "c", []string{"-o", "+o", "-O", "+O"}
}

// st3004ReadsStdin reports an interpreter that takes its program from
// standard input.
func st3004ReadsStdin(name string, args []lint.Word) bool {
	if !st3004Interpreter(name) {
		return false
	}
	_, ok := st3004Program(name, args)
	return !ok
}

// st3004Program returns the script file an interpreter runs; ok is true
// when the program comes from a file or inline (-c) rather than stdin.
func st3004Program(name string, args []lint.Word) (file string, ok bool) {
	shell, inline, valued := st3004Flags(name)
outer:
	for i := 0; i < len(args); i++ {
		v := args[i].Value
		switch {
		case v == "-" || v == "/dev/stdin" || v == "/proc/self/fd/0":
			return "", false
		case v == "--":
			if shell || name == "php" || i+1 >= len(args) || strings.HasPrefix(args[i+1].Value, "-") {
				return "", false // sh -s -- args, php -- args
			}
			return args[i+1].Value, true
		case strings.HasPrefix(v, "--"):
			if v == "--eval" || v == "--print" || v == "--command" {
				return "", true
			}
			for _, f := range valued {
				if v == f {
					i++
					continue outer
				}
			}
		case (strings.HasPrefix(v, "-") || strings.HasPrefix(v, "+")) && len(v) > 1:
			for _, f := range valued {
				if v == f {
					i++
					continue outer
				}
			}
			flags := v[1:]
			if shell && v[0] == '-' && strings.Contains(flags, "n") {
				return "", true // sh -n only checks the syntax
			}
			if shell && strings.Contains(flags, "s") {
				return "", false
			}
			if strings.ContainsAny(flags, inline) {
				return "", true
			}
		default:
			return v, true
		}
	}
	return "", false
}

// st3004Verifier reports a checksum or signature check.
func st3004Verifier(name string, args []lint.Word) bool {
	switch name {
	case "sha1sum", "sha224sum", "sha256sum", "sha384sum", "sha512sum", "shasum", "md5sum", "b2sum", "cksum",
		"gpgv", "cosign", "minisign", "signify", "slsa-verifier", "sigstore":
		return true
	case "gpg", "gpg2":
		_, ok := secFlag(args, []string{"verify"}, "")
		return ok
	case "openssl":
		for _, a := range args {
			if a.Value == "dgst" || a.Value == "sha256" || a.Value == "sha512" {
				return true
			}
		}
	case "rpm":
		_, ok := secFlag(args, []string{"checksig"}, "K")
		return ok
	}
	return false
}

// st3004Outputs returns the files a download command writes.
func st3004Outputs(src *lint.Source, c *lint.Command, name string, args []lint.Word) []string {
	if name != "curl" && name != "wget" {
		return nil
	}
	var out []string
	remote := false
	dir := ""
	for i, a := range args {
		v := a.Value
		next := ""
		if i+1 < len(args) {
			next = args[i+1].Value
		}
		switch {
		case strings.HasPrefix(v, "--"):
			key, val, hasVal := strings.Cut(v[2:], "=")
			switch key {
			case "output", "output-document":
				if !hasVal {
					val = next
				}
				out = append(out, val)
			case "remote-name", "remote-name-all":
				remote = true
			case "directory-prefix", "output-dir":
				if !hasVal {
					val = next
				}
				dir = val
			}
		case strings.HasPrefix(v, "-") && len(v) > 1:
			flags := v[1:]
			if name == "curl" {
				if k := strings.IndexByte(flags, 'o'); k >= 0 {
					if k == len(flags)-1 {
						out = append(out, next)
					} else if secLetters(flags[:k]) {
						out = append(out, flags[k+1:])
					}
				}
				if strings.Contains(flags, "O") && secLetters(flags) {
					remote = true
				}
			} else {
				if k := strings.IndexByte(flags, 'O'); k >= 0 {
					if k == len(flags)-1 {
						out = append(out, next)
					} else {
						out = append(out, flags[k+1:])
					}
				}
				if flags == "P" {
					dir = next
				}
			}
		}
	}
	if r := st3004Redirect(src, c); r != "" {
		out = append(out, r)
	}
	if len(out) == 0 && (remote || name == "wget") {
		for _, a := range args {
			if _, rest, ok := strings.Cut(a.Value, "://"); ok {
				rest, _, _ = strings.Cut(rest, "?")
				if base := path.Base(rest); base != "" && base != "." && base != "/" && strings.Contains(rest, "/") {
					out = append(out, path.Join(dir, base))
				}
			}
		}
	}
	return out
}

// st3004Redirect returns the file a command's output is redirected to
// (`curl URL > f`), read from the source right after the command.
func st3004Redirect(src *lint.Source, c *lint.Command) string {
	i := c.Range().End.Offset
	data := src.Data
	for i < len(data) && (data[i] == ' ' || data[i] == '\t') {
		i++
	}
	if i >= len(data) || data[i] != '>' {
		return ""
	}
	i++
	if i < len(data) && (data[i] == '>' || data[i] == '|') {
		i++
	}
	if i < len(data) && data[i] == '&' {
		return ""
	}
	for i < len(data) && (data[i] == ' ' || data[i] == '\t') {
		i++
	}
	j := i
	for j < len(data) && !strings.ContainsRune(" \t\r\n;&|)\\", rune(data[j])) {
		j++
	}
	return strings.Trim(string(data[i:j]), `"'`)
}

// st3004RunsFile returns the file a command runs as a script.
func st3004RunsFile(c *lint.Command, name string, args []lint.Word) (string, bool) {
	if name == "source" || name == "." {
		if len(args) > 0 {
			return args[0].Value, true
		}
		return "", false
	}
	if st3004Interpreter(name) {
		file, ok := st3004Program(name, args)
		return file, ok && file != ""
	}
	cmd := c.Name.Value
	if secWrapper(secBase(cmd)) {
		cmd = name
		for _, a := range c.Args {
			if path.Base(a.Value) == name {
				cmd = a.Value
				break
			}
		}
	}
	if st3004Script().MatchString(cmd) {
		return cmd, true
	}
	return "", false
}

// st3004SameFile compares a run target with a downloaded file.
func st3004SameFile(run, file string) bool {
	if run == "" || file == "" || file == "-" {
		return false
	}
	a, b := path.Clean(run), path.Clean(file)
	if a == b {
		return true
	}
	relative := !strings.HasPrefix(run, "/") || !strings.HasPrefix(file, "/")
	return relative && path.Base(a) == path.Base(b)
}
