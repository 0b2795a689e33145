package rules

import (
	"strings"

	"github.com/strata-dev/strata/lint"
)

// DL3045 reports COPY to a relative destination while no WORKDIR is set.
var DL3045 = register(&lint.Rule{
	Code:     "DL3045",
	Name:     "copy-relative-without-workdir",
	Summary:  "`COPY` to a relative destination without `WORKDIR` set",
	Severity: lint.SeverityWarning,
	Origin:   lint.OriginHadolint,
	Status:   lint.StatusStable,
	Since:    "0.1.0",
	Docs: lint.Docs{
		What: "Reports a `COPY` whose destination is relative (`app/`, `.`) when no `WORKDIR` was set before it in " +
			"the stage or in a stage it is built FROM. Absolute destinations (`/app`, `C:\\app`, `c:/app`) and " +
			"destinations that start with a variable are fine. `ONBUILD COPY` is not checked: it runs in the " +
			"downstream image, whose WORKDIR is unknown here.",
		Why: "A relative destination is resolved against the working directory of the base image, which you do " +
			"not control: it is `/` in most images but not all, and it can change when the base image is updated, " +
			"moving your files somewhere else without any change to your Dockerfile.",
		Fix: "Set the directory first, `WORKDIR /app` then `COPY . .`, or copy to an absolute path, `COPY . /app/`.",
		Differences: "hadolint tracks WORKDIR by image name, so a stage `FROM debian:12` also inherits the WORKDIR of " +
			"an unrelated earlier `FROM debian:12` stage; strata follows only real parent stages (`FROM <stage name>`).",
	},
	Examples: []lint.Example{
		{Title: "Relative destination", Dockerfile: "FROM alpine:3.20\nCOPY run.sh bin/run.sh\n", Want: []string{"2:13"}},
		{Title: "WORKDIR set in the parent stage", Dockerfile: "FROM alpine:3.20 AS base\nWORKDIR /app\nFROM base\nCOPY run.sh bin/run.sh\n"},
		{Title: "Absolute destination", Dockerfile: "FROM alpine:3.20\nCOPY run.sh /usr/local/bin/run.sh\n"},
	},
	Check: func(p *lint.Pass) {
		for _, ins := range p.File.Instructions {
			if ins.Kind != "copy" || len(ins.Args) < 2 || workdirSetBefore(p.File, ins) {
				continue
			}
			dest := ins.Args[len(ins.Args)-1]
			d := strings.Trim(dest.Value, `"'`)
			if strings.HasPrefix(d, "/") || strings.HasPrefix(d, "$") || isWindowsAbs(d) {
				continue
			}
			p.Report(lint.Finding{
				At: ins, Range: dest.Range,
				Message: "destination " + dest.Value + " is relative to the base image's working directory, which no WORKDIR here sets",
				Help:    "set WORKDIR before this COPY, or use an absolute destination",
			})
		}
	},
})

// isWindowsAbs matches C:\dir and C:/dir.
func isWindowsAbs(p string) bool {
	return len(p) >= 3 && p[1] == ':' && (p[2] == '\\' || p[2] == '/')
}

// workdirSetBefore reports whether a WORKDIR precedes ins in its stage or
// the stages it is built from (or, before any FROM, earlier in the file).
func workdirSetBefore(f *lint.File, ins *lint.Instruction) bool {
	if ins.Stage == nil {
		for _, x := range f.Instructions {
			if x == ins {
				return false
			}
			if x.Kind == "workdir" {
				return true
			}
		}
		return false
	}
	for _, st := range ins.Stage.Ancestors() {
		for _, x := range st.Instructions {
			if x == ins {
				break
			}
			if x.Kind == "workdir" {
				return true
			}
		}
	}
	return false
}
