package rules

import (
	"github.com/moby/buildkit/frontend/dockerfile/shell"

	"github.com/strata-dev/strata/lint"
)

// RedundantTargetPlatform reports FROM --platform=$TARGETPLATFORM.
var RedundantTargetPlatform = register(&lint.Rule{
	Code:     "RedundantTargetPlatform",
	Name:     "redundant-target-platform",
	Summary:  "`FROM --platform=$TARGETPLATFORM` is the default: leave the flag out",
	Severity: lint.SeverityWarning,
	Origin:   lint.OriginBuildKit,
	Status:   lint.StatusStable,
	Since:    "0.1.0",
	Fix:      lint.FixSafe,
	Docs: lint.Docs{
		What: "Reports a `FROM --platform=` whose value is just `$TARGETPLATFORM` (or `${TARGETPLATFORM}`)." + bkStops,
		Why: "Every stage is built for the target platform unless told otherwise, so the flag changes nothing; " +
			"it only suggests that something special happens, and hides the stages where it does (`$BUILDPLATFORM`).",
		Fix: "Remove the `--platform` flag (the fix does).",
	},
	Examples: []lint.Example{
		{Title: "The target platform", Dockerfile: "FROM --platform=$TARGETPLATFORM alpine:3.20\n", Want: []string{"1:6"}},
		{Title: "The build platform", Dockerfile: "FROM --platform=$BUILDPLATFORM golang:1.23 AS build\n"},
	},
	Check: checkBuildKit,
})

// redundantTargetPlatform is BuildKit's reportRedundantTargetPlatform.
func (s *bkSim) redundantTargetPlatform(st *bkStage, pm shell.ProcessWordResult, comments []string) {
	if len(pm.Matched) != 1 || len(pm.Unmatched) != 0 {
		return
	}
	if _, ok := pm.Matched["TARGETPLATFORM"]; !ok {
		return
	}
	if v, _ := s.globalArgs.Get("TARGETPLATFORM"); pm.Result != v {
		return
	}
	ins := s.f.Instructions[st.ins]
	r, del := s.platformFlag(ins)
	f := bkFinding{
		rule: "RedundantTargetPlatform", ins: st.ins, rng: r,
		msg:  "--platform=" + st.st.Platform + " is redundant: stages are built for the target platform by default",
		help: "remove the --platform flag",
	}
	if !del.IsZero() {
		f.fix = &lint.Fix{Title: "remove --platform", Edits: []lint.Edit{{Range: del, NewText: ""}}}
	}
	s.add(f, comments)
}

// platformFlag returns the range of a FROM's --platform flag, and the range
// to delete to remove it (the flag and the blanks after it on its line).
func (s *bkSim) platformFlag(ins *lint.Instruction) (flag, del lint.Range) {
	fl, ok := ins.Flag("platform")
	if !ok {
		return ins.Range(), lint.Range{}
	}
	src := s.f.Source
	end := fl.Range.End.Offset
	for end < len(src.Data) && (src.Data[end] == ' ' || src.Data[end] == '\t') {
		end++
	}
	if end >= len(src.Data) || src.Data[end] == '\n' || src.Data[end] == '\r' || byte(s.f.Escape) == src.Data[end] {
		return fl.Range, lint.Range{}
	}
	return fl.Range, src.Range(fl.Range.Start.Offset, end)
}
