package rules

import (
	"strings"

	"github.com/strata-dev/strata/lint"
)

// DL3006 reports base images without a tag.
var DL3006 = register(&lint.Rule{
	Code:     "DL3006",
	Name:     "untagged-base-image",
	Summary:  "Always tag the version of a base image explicitly",
	Severity: lint.SeverityWarning,
	Origin:   lint.OriginHadolint,
	Status:   lint.StatusStable,
	Since:    "0.1.0",
	Docs: lint.Docs{
		What: "Reports a `FROM` whose image has neither a tag nor a digest, such as `FROM debian`. `scratch`, " +
			"earlier stage names, and images given by a variable (`FROM $BASE`) are not reported.",
		Why: "An untagged image means `:latest`: whatever the registry serves on the day of the build. Two builds " +
			"of the same commit can get different base images, and a new major release of the base can break the " +
			"build, or worse, change behaviour silently.",
		Fix: "Name the version you tested with, `FROM debian:12.7-slim`, or better a digest, " +
			"`FROM debian:12.7-slim@sha256:...`, and update it deliberately (Renovate and Dependabot do this).",
	},
	Examples: []lint.Example{
		{Title: "No tag", Dockerfile: "FROM debian AS build\nRUN echo hi\n", Want: []string{"1:6"}},
		{Title: "A tag, a stage name and scratch", Dockerfile: "FROM golang:1.23 AS build\nFROM build AS test\nFROM scratch\n"},
	},
	Check: func(p *lint.Pass) {
		for _, s := range p.File.Stages {
			img := s.Base
			if img == "" || strings.EqualFold(img, "scratch") || strings.HasPrefix(img, "$") || isStageName(p.File, img, s.Index) {
				continue
			}
			ref := parseImageRef(img)
			if ref.Tag != "" || ref.Digest != "" {
				continue
			}
			p.Report(lint.Finding{
				At: s.From, Range: imageArgRange(s),
				Message: "base image " + img + " has no tag, so every build gets whatever :latest is that day",
				Help:    "pin a version, e.g. FROM " + img + ":<version> (or a digest)",
			})
		}
	},
})

// imageArgRange is the range of the image name in a FROM.
func imageArgRange(s *lint.Stage) lint.Range {
	if len(s.From.Args) > 0 {
		return s.From.Args[0].Range
	}
	return s.From.Range()
}
