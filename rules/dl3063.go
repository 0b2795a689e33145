package rules

import "github.com/strata-dev/strata/lint"

// DL3063 reports stage names that are reserved words.
var DL3063 = register(&lint.Rule{
	Code:     "DL3063",
	Name:     "reserved-word-stage-alias",
	Summary:  "Stage names should not be reserved words (`scratch`, `context`)",
	Severity: lint.SeverityWarning,
	Origin:   lint.OriginHadolint,
	Status:   lint.StatusStable,
	Since:    "0.1.0",
	Docs: lint.Docs{
		What: "Reports `FROM ... AS scratch` and `FROM ... AS context` (in any letter case, since stage names are " +
			"case-insensitive).",
		Why: "`scratch` already names the empty image and `context` the build context (`COPY --from=context`, " +
			"named contexts): a stage with either name is ambiguous, and BuildKit refuses or misreads references to it.",
		Differences: "hadolint compares the name as written, so it misses `AS Scratch`; BuildKit treats stage " +
			"names case-insensitively, and so does strata.",
		Fix: "Rename the stage, e.g. `FROM alpine:3.20 AS base`.",
	},
	Examples: []lint.Example{
		{Title: "scratch as a stage name", Dockerfile: "FROM alpine:3.20 AS scratch\n", Want: []string{"1:21"}},
		{Title: "A plain name", Dockerfile: "FROM alpine:3.20 AS base\n"},
	},
	Check: func(p *lint.Pass) {
		for _, s := range p.File.Stages {
			if s.Name != "scratch" && s.Name != "context" {
				continue
			}
			r := s.From.Range()
			if n := len(s.From.Args); n >= 3 {
				r = s.From.Args[n-1].Range
			}
			p.Report(lint.Finding{
				At: s.From, Range: r,
				Message: "stage name `" + s.Name + "` is reserved: it already names " + reservedMeaning[s.Name],
				Help:    "rename the stage",
			})
		}
	},
})

var reservedMeaning = map[string]string{
	"scratch": "the empty base image",
	"context": "the build context",
}
