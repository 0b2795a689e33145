package rules

import (
	"fmt"

	"github.com/strata-dev/strata/lint"
)

// DuplicateStageName reports a stage name used twice.
var DuplicateStageName = register(&lint.Rule{
	Code:     "DuplicateStageName",
	Name:     "duplicate-stage-name",
	Summary:  "Give every stage a unique name",
	Severity: lint.SeverityWarning,
	Origin:   lint.OriginBuildKit,
	Status:   lint.StatusStable,
	Since:    "0.1.0",
	Docs: lint.Docs{
		What: "Reports a `FROM ... AS name` whose name (compared case-insensitively) an earlier stage already has." + bkStops,
		Why: "References to the name (`FROM name`, `COPY --from=name`, `--target name`) resolve to the last stage " +
			"defined with it before the reference, so which stage they mean depends on where they are: an easy way " +
			"to copy from the wrong stage.",
		Fix:   "Rename one of the stages and update the references that mean it.",
		Peers: "hadolint DL3024.",
	},
	Examples: []lint.Example{
		{Title: "Two stages named build", Dockerfile: "FROM golang:1.23 AS build\nFROM node:22 AS build\n", Want: []string{"2:17"}},
		{Title: "Unique names", Dockerfile: "FROM golang:1.23 AS build-go\nFROM node:22 AS build-web\n"},
	},
	Check: checkBuildKit,
})

func (s *bkSim) duplicateStageName(st, prev *bkStage) {
	s.add(bkFinding{
		rule: "DuplicateStageName", ins: st.ins, rng: s.stageNameRange(st),
		msg:  fmt.Sprintf("stage name %q is already used by the stage on line %d", st.name, s.f.Instructions[prev.ins].StartLine),
		help: "give this stage a name of its own",
	}, nil)
}

// stageNameRange is the range of a stage's name in its FROM.
func (s *bkSim) stageNameRange(st *bkStage) lint.Range {
	ins := s.f.Instructions[st.ins]
	return wordRange(ins, nodeArgs(ins.Node), 2)
}
