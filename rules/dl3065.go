package rules

import "github.com/strata-dev/strata/lint"

// DL3065 reports FROM --platform=$TARGETPLATFORM.
var DL3065 = register(&lint.Rule{
	Code:     "DL3065",
	Name:     "from-platform-targetplatform",
	Summary:  "`FROM --platform=$TARGETPLATFORM` is redundant",
	Severity: lint.SeverityWarning,
	Origin:   lint.OriginHadolint,
	Status:   lint.StatusStable,
	Since:    "0.1.0",
	Docs: lint.Docs{
		What: "Reports `FROM --platform=$TARGETPLATFORM` (or `${TARGETPLATFORM}`).",
		Why: "A stage is built for the target platform by default, so the flag changes nothing; it only suggests " +
			"that the stage is special and hides the stages that really pin a platform (`$BUILDPLATFORM`).",
		Fix: "Remove the flag: `FROM alpine:3.20`.",
	},
	Examples: []lint.Example{
		{Title: "Redundant", Dockerfile: "FROM --platform=$TARGETPLATFORM alpine:3.20\n", Want: []string{"1:6"}},
		{Title: "The build platform", Dockerfile: "FROM --platform=$BUILDPLATFORM golang:1.23 AS build\n"},
	},
	Check: func(p *lint.Pass) {
		for _, s := range p.File.Stages {
			if s.Platform != "$TARGETPLATFORM" && s.Platform != "${TARGETPLATFORM}" {
				continue
			}
			r := s.From.Range()
			if fl, ok := s.From.Flag("platform"); ok {
				r = fl.Range
			}
			p.Report(lint.Finding{
				At: s.From, Range: r,
				Message: "--platform=" + s.Platform + " is the default for every stage and changes nothing",
				Help:    "remove the --platform flag",
			})
		}
	},
})
