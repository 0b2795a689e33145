package rules

import (
	"strings"

	"github.com/strata-dev/strata/lint"
)

// DL3007 reports base images pinned to :latest.
var DL3007 = register(&lint.Rule{
	Code:     "DL3007",
	Name:     "latest-base-image",
	Summary:  "Using :latest is prone to errors; pin the base image to a release",
	Severity: lint.SeverityWarning,
	Origin:   lint.OriginHadolint,
	Status:   lint.StatusStable,
	Since:    "0.1.0",
	Docs: lint.Docs{
		What: "Reports a `FROM` whose tag is `latest` and that has no digest.",
		Why: "`latest` is a moving tag: it names a different image every time the publisher releases. Builds stop " +
			"being reproducible, caches are invalidated without a code change, and a new major version of the base " +
			"can arrive unannounced.",
		Fix: "Use the release tag you tested with (`FROM alpine:3.20`), optionally with its digest " +
			"(`FROM alpine:3.20@sha256:...`). A digest after `:latest` pins the image, so `FROM alpine:latest@sha256:...` " +
			"is not reported.",
	},
	Examples: []lint.Example{
		{Title: "latest", Dockerfile: "FROM debian:latest\n", Want: []string{"1:6"}},
		{Title: "A release tag", Dockerfile: "FROM debian:bookworm AS builder\n"},
		{Title: "latest pinned by digest", Dockerfile: "FROM alpine:latest@sha256:0a4eaa0eecf5f8c050e5bba433f58c052be7587ee8af3e8b3910ef9ab5fbe9f5\n"},
	},
	Check: func(p *lint.Pass) {
		for _, s := range p.File.Stages {
			ref := parseImageRef(s.Base)
			if ref.Tag != "latest" || ref.Digest != "" || strings.HasPrefix(s.Base, "$") {
				continue
			}
			p.Report(lint.Finding{
				At: s.From, Range: imageArgRange(s),
				Message: "base image " + s.Base + " uses the moving tag latest",
				Help:    "pin the release you tested with, e.g. FROM " + ref.Name + ":<version>",
			})
		}
	},
})
