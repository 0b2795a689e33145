package rules

import (
	"path"

	"github.com/moby/patternmatcher"

	"github.com/strata-dev/strata/lint"
)

// CopyIgnoredFile reports COPY and ADD sources that .dockerignore excludes.
var CopyIgnoredFile = register(&lint.Rule{
	Code:         "CopyIgnoredFile",
	Name:         "copy-ignored-file",
	Summary:      "Do not COPY or ADD what .dockerignore excludes from the build context",
	Severity:     lint.SeverityWarning,
	Origin:       lint.OriginBuildKit,
	Status:       lint.StatusStable,
	Since:        "0.1.0",
	NeedsContext: true,
	Docs: lint.Docs{
		What: "Reports a local source of `COPY` or `ADD` (not `COPY --from`, URLs or Git sources) that the build " +
			"context's ignore file excludes, the path itself or a parent directory. The ignore file is " +
			"`<Dockerfile>.dockerignore` beside the Dockerfile when it exists, else `.dockerignore` at the context " +
			"root, read and matched as BuildKit does. As in BuildKit, nothing is reported when the ignore file has " +
			"exceptions (`!pattern`), and `COPY . .` only when a pattern excludes everything (`*`, `**`, `**/*`). " +
			"The rule runs when strata knows the build context: a `.dockerignore` beside the Dockerfile, or " +
			"`--context DIR`." + bkStops,
		Why: "Excluded files are never sent to the builder: the instruction fails with \"not found\", or, with a " +
			"wildcard or a directory, silently copies less than it says.",
		Fix: "Remove the source from the instruction, or stop excluding it in the ignore file.",
	},
	Examples: []lint.Example{
		{
			Title:      "An ignored file",
			Dockerfile: "FROM alpine:3.20\nCOPY secrets.env /etc/app/\n",
			Context:    map[string]string{".dockerignore": "*.env\n", "secrets.env": "A=1\n"},
			Want:       []string{"2:6"},
		},
		{
			Title:      "A file that is sent",
			Dockerfile: "FROM alpine:3.20\nCOPY app.conf /etc/app/\n",
			Context:    map[string]string{".dockerignore": "*.env\n", "app.conf": "a=1\n"},
		},
	},
	Check: checkBuildKit,
})

// copyIgnoredFile is BuildKit's validateCopySourcePath.
func (s *bkSim) copyIgnoredFile(c bkCmd, kind, src string) {
	if s.ignore == nil {
		return
	}
	m := s.ignore.Matcher()
	if m.Exclusions() {
		return
	}
	p := path.Clean(src)
	if p == "." || p == "/" {
		root := false
		for _, pat := range m.Patterns() {
			switch pat.String() {
			case "*", "**", "**/*":
				root = true
			}
		}
		if !root {
			return
		}
	}
	if ok, err := s.ignore.Excludes(p); err != nil || !ok {
		return
	}
	why := ""
	for _, pat := range m.Patterns() {
		if ok, _ := patternmatcher.MatchesOrParentMatches(p, []string{pat.String()}); ok {
			why = " (pattern " + `"` + pat.String() + `"` + ")"
			break
		}
	}
	s.add(bkFinding{
		rule: "CopyIgnoredFile", ins: c.ins, rng: s.cmdRange(c, func(ins *lint.Instruction) lint.Range { return argRange(ins, src) }),
		msg:  kind + " source " + `"` + p + `"` + " is excluded by " + s.ignore.File + why + ", so the builder never receives it" + s.triggerNote(c),
		help: "remove it from the " + kind + ", or stop excluding it in " + s.ignore.File,
	}, c.comments)
}
