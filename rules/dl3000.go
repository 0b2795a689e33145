package rules

import (
	"path"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/strata-dev/strata/lint"
)

// DL3000 reports a relative WORKDIR.
var DL3000 = register(&lint.Rule{
	Code:     "DL3000",
	Name:     "relative-workdir",
	Summary:  "Use an absolute WORKDIR",
	Severity: lint.SeverityError,
	Origin:   lint.OriginHadolint,
	Status:   lint.StatusStable,
	Since:    "0.1.0",
	Fix:      lint.FixSafe,
	Docs: lint.Docs{
		What: "Reports a `WORKDIR` whose path is relative. Paths starting with `/`, with a variable (`$HOME/app`) or " +
			"with a Windows drive (`C:\\app`) are not reported.",
		Why: "A relative WORKDIR is resolved against the previous one, which may be set by the base image. When the " +
			"base image changes its WORKDIR, every path after it moves, and a reader of the Dockerfile cannot tell " +
			"where files end up.",
		Fix: "Write the absolute path: `WORKDIR /usr/src/app`. When an earlier WORKDIR of the same stage makes the " +
			"result certain, strata offers that path as a safe fix.",
	},
	Examples: []lint.Example{
		{Title: "Relative to the base image's WORKDIR", Dockerfile: "FROM node:22\nWORKDIR app\n", Want: []string{"2:9"}},
		{Title: "Relative to an earlier WORKDIR (fixable)", Dockerfile: "FROM node:22\nWORKDIR /usr/src\nWORKDIR app\n",
			Want: []string{"3:9"}, Fixed: "FROM node:22\nWORKDIR /usr/src\nWORKDIR /usr/src/app\n"},
		{Title: "Absolute, variable and Windows paths", Dockerfile: "FROM node:22\nWORKDIR /usr/src/app\nWORKDIR $HOME\nWORKDIR \"C:\\\\app\"\n"},
	},
	Check: func(p *lint.Pass) {
		for _, ins := range p.File.Instructions {
			if ins.Kind != "workdir" || len(ins.Args) == 0 {
				continue
			}
			dir := dropQuotes(ins.Args[0].Value)
			if absoluteWorkdir(dir) {
				continue
			}
			arg := ins.Args[0]
			f := lint.Finding{
				At: ins, Range: arg.Range,
				Message: "WORKDIR " + dir + " is relative: where it lands depends on the previous WORKDIR, possibly the base image's",
				Help:    "write the absolute path, e.g. WORKDIR /" + strings.TrimPrefix(dir, "./"),
			}
			if base, ok := previousWorkdir(ins); ok && len(ins.Args) == 1 && !strings.ContainsAny(arg.Value, "\"'\\") {
				abs := path.Join(base, dir)
				f.Help = "write the absolute path: WORKDIR " + abs
				f.Fix = &lint.Fix{Title: "use WORKDIR " + abs, Edits: []lint.Edit{{Range: arg.Range, NewText: abs}}}
			}
			p.Report(f)
		}
	},
})

// absoluteWorkdir is hadolint's test: /path, $VAR or a Windows drive.
func absoluteWorkdir(dir string) bool {
	if strings.HasPrefix(dir, "/") || strings.HasPrefix(dir, "$") {
		return true
	}
	r, n := utf8.DecodeRuneInString(dir)
	return unicode.IsLetter(r) && len(dir) > n && dir[n] == ':'
}

// previousWorkdir returns the absolute directory an earlier WORKDIR of the
// stage (or of the stages it is built from) leaves, when it is certain.
func previousWorkdir(ins *lint.Instruction) (string, bool) {
	if ins.Stage == nil {
		return "", false
	}
	chain := ins.Stage.Ancestors()
	dir, known := "", false
	for i := len(chain) - 1; i >= 0; i-- {
		for _, x := range chain[i].Instructions {
			if x == ins {
				return dir, known
			}
			if x.Kind != "workdir" || len(x.Args) != 1 {
				continue
			}
			v := x.Args[0].Value
			switch {
			case strings.ContainsAny(v, "$\"'\\"):
				dir, known = "", false
			case strings.HasPrefix(v, "/"):
				dir, known = path.Clean(v), true
			case known:
				dir = path.Join(dir, v)
			}
		}
	}
	return dir, known
}
