package rules

import (
	"github.com/strata-dev/strata/lint"
)

// ReservedStageName reports stages named like BuildKit's reserved names.
var ReservedStageName = register(&lint.Rule{
	Code:     "ReservedStageName",
	Name:     "reserved-stage-name",
	Summary:  "Do not name a stage `scratch` or `context`",
	Severity: lint.SeverityWarning,
	Origin:   lint.OriginBuildKit,
	Status:   lint.StatusStable,
	Since:    "0.1.0",
	Docs: lint.Docs{
		What: "Reports a stage named `scratch` or `context` (in any case)." + bkStops,
		Why: "Both names already mean something: `scratch` is the empty image and `context` the build context " +
			"(`COPY --from=context`, named contexts). A stage with such a name is ambiguous where it is referenced, " +
			"and BuildKit does not always pick the stage.",
		Fix: "Rename the stage, e.g. `AS base` instead of `AS scratch`.",
	},
	Examples: []lint.Example{
		{Title: "A stage named scratch", Dockerfile: "FROM alpine:3.20 AS scratch\nRUN echo hi\n", Want: []string{"1:21"}},
		{Title: "FROM scratch is fine", Dockerfile: "FROM scratch AS base\nCOPY app /app\n"},
	},
	Check: checkBuildKit,
})

func (s *bkSim) reservedStageName(st *bkStage) {
	s.add(bkFinding{
		rule: "ReservedStageName", ins: st.ins, rng: s.stageNameRange(st),
		msg:  "stage name '" + st.name + "' is reserved: it already names " + map[string]string{"scratch": "the empty image", "context": "the build context"}[st.name],
		help: "rename the stage",
	}, nil)
}
