package rules

import (
	"path"
	"strconv"
	"strings"

	"github.com/strata-dev/strata/lint"
)

// WorkdirRelativePath reports a relative WORKDIR before any absolute one.
var WorkdirRelativePath = register(&lint.Rule{
	Code:     "WorkdirRelativePath",
	Name:     "workdir-relative-path",
	Summary:  "Make the first WORKDIR of a stage absolute",
	Severity: lint.SeverityWarning,
	Origin:   lint.OriginBuildKit,
	Status:   lint.StatusStable,
	Since:    "0.1.0",
	Docs: lint.Docs{
		What: "Reports a `WORKDIR` with a relative path (after variable expansion) when no `WORKDIR` has been set in " +
			"the stage, or in a stage it is built `FROM`, before it. Later relative `WORKDIR`s are relative to one " +
			"this Dockerfile set, and are not reported." + bkStops,
		Why: "A relative `WORKDIR` is resolved against the base image's working directory: `WORKDIR app` is " +
			"`/app` on one image and `/usr/src/app` on another, and changes when the base image does.",
		Fix:   "Use an absolute path: `WORKDIR /app`.",
		Peers: "hadolint DL3000.",
	},
	Examples: []lint.Example{
		{Title: "A relative first WORKDIR", Dockerfile: "FROM node:22\nWORKDIR app\nCOPY . .\n", Want: []string{"2:9"}},
		{Title: "Absolute, then relative", Dockerfile: "FROM node:22\nWORKDIR /srv\nWORKDIR app\n"},
	},
	Check: checkBuildKit,
})

func (s *bkSim) workdirRelativePath(c bkCmd, raw, dir string) {
	what := "relative WORKDIR " + strconv.Quote(dir)
	if raw != dir {
		what = "WORKDIR " + raw + " expands to the relative path " + strconv.Quote(dir)
	}
	help := "use an absolute path"
	if dir != "" && !strings.ContainsAny(dir, `:\$`) {
		help += ", e.g. WORKDIR " + path.Clean("/"+dir)
	}
	s.add(bkFinding{
		rule: "WorkdirRelativePath", ins: c.ins, rng: s.cmdRange(c, (*lint.Instruction).ArgsRange),
		msg:  what + ": it resolves against the base image's working directory, which can change" + s.triggerNote(c),
		help: help,
	}, c.comments)
}
