package rules

import "github.com/strata-dev/strata/lint"

// DL3012 reports more than one HEALTHCHECK in a stage.
var DL3012 = register(&lint.Rule{
	Code:     "DL3012",
	Name:     "multiple-healthcheck",
	Summary:  "A stage should have at most one HEALTHCHECK",
	Severity: lint.SeverityError,
	Origin:   lint.OriginHadolint,
	Status:   lint.StatusStable,
	Since:    "0.1.0",
	Docs: lint.Docs{
		What: "Reports each `HEALTHCHECK` after the first one of the same stage (`HEALTHCHECK NONE` included).",
		Why: "Only the last HEALTHCHECK of an image takes effect. Earlier ones are dead code that a reader may take " +
			"for the check that actually runs.",
		Fix: "Keep one HEALTHCHECK per stage, the one you mean.",
	},
	Examples: []lint.Example{
		{Title: "Two health checks", Dockerfile: "FROM nginx:1.27\nHEALTHCHECK CMD [\"curl\", \"-f\", \"http://localhost/\"]\nHEALTHCHECK CMD [\"wget\", \"-q\", \"http://localhost/\"]\n", Want: []string{"3:1"}},
		{Title: "One per stage", Dockerfile: "FROM nginx:1.27 AS base\nHEALTHCHECK NONE\nFROM base\nHEALTHCHECK CMD [\"curl\", \"-f\", \"http://localhost/\"]\n"},
	},
	Check: func(p *lint.Pass) {
		for _, s := range p.File.Stages {
			var first *lint.Instruction
			for _, ins := range s.Instructions {
				if ins.Kind != "healthcheck" {
					continue
				}
				if first == nil {
					first = ins
					continue
				}
				p.Report(lint.Finding{
					At: ins, Range: ins.KeywordRange(),
					Message: "another HEALTHCHECK in this stage (the first is on line " + itoa(first.StartLine) + "): only the last one takes effect",
					Help:    "keep a single HEALTHCHECK per stage",
				})
			}
		}
	},
})
