package rules

import (
	"strings"

	"github.com/strata-dev/strata/lint"
)

// DL3029 reports FROM --platform with a fixed platform.
var DL3029 = register(&lint.Rule{
	Code:     "DL3029",
	Name:     "from-platform-flag",
	Summary:  "Do not pin a platform with `FROM --platform`",
	Severity: lint.SeverityWarning,
	Origin:   lint.OriginHadolint,
	Status:   lint.StatusStable,
	Since:    "0.1.0",
	Docs: lint.Docs{
		What: "Reports `FROM --platform=...` unless the value uses `$BUILDPLATFORM` or `$TARGETPLATFORM` (in any " +
			"spelling, `${BUILDPLATFORM:-...}` included).",
		Why: "A fixed platform overrides what the builder is asked for: `docker buildx build --platform " +
			"linux/amd64,linux/arm64` then produces an arm64 image that contains amd64 binaries, which fails at " +
			"run time or runs under slow emulation.",
		Fix: "Remove `--platform` and choose the platform when building (`docker build --platform linux/amd64`). " +
			"For a stage that cross-compiles, `FROM --platform=$BUILDPLATFORM golang:1.23 AS build` runs natively " +
			"and builds for `$TARGETPLATFORM`.",
	},
	Examples: []lint.Example{
		{Title: "A fixed platform", Dockerfile: "FROM --platform=linux/amd64 debian:12\n", Want: []string{"1:6"}},
		{Title: "The build platform for a cross-compiling stage", Dockerfile: "FROM --platform=$BUILDPLATFORM golang:1.23 AS build\nFROM debian:12\n"},
	},
	Check: func(p *lint.Pass) {
		for _, s := range p.File.Stages {
			fl, ok := s.From.Flag("platform")
			if !ok || strings.Contains(fl.Value, "BUILDPLATFORM") || strings.Contains(fl.Value, "TARGETPLATFORM") {
				continue
			}
			p.Report(lint.Finding{
				At: s.From, Range: fl.Range,
				Message: "FROM --platform=" + fl.Value + " fixes the platform of " + stageLabel(s) + ": a build for another platform still gets " + fl.Value + " here",
				Help:    "remove --platform and pass it to docker build instead; a cross-compiling stage can use --platform=$BUILDPLATFORM",
			})
		}
	},
})
