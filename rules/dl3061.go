package rules

import (
	"strings"

	"github.com/strata-dev/strata/lint"
)

// DL3061 reports instructions other than ARG before the first FROM.
var DL3061 = register(&lint.Rule{
	Code:     "DL3061",
	Name:     "instruction-before-from",
	Summary:  "A Dockerfile must begin with `FROM`, `ARG` or a comment",
	Severity: lint.SeverityError,
	Origin:   lint.OriginHadolint,
	Status:   lint.StatusStable,
	Since:    "0.1.0",
	Docs: lint.Docs{
		What: "Reports every instruction other than `ARG` that comes before the first `FROM` (comments and parser " +
			"directives are fine).",
		Why: "Docker rejects the file: only `ARG` may precede the first `FROM`, since every other instruction needs " +
			"a build stage to act on.",
		Fix: "Move the instruction after the `FROM` of the stage it belongs to.",
	},
	Examples: []lint.Example{
		{Title: "LABEL before FROM", Dockerfile: "LABEL org.opencontainers.image.title=demo\nFROM alpine:3.20\n", Want: []string{"1:1"}},
		{Title: "ARG before FROM", Dockerfile: "# syntax=docker/dockerfile:1\nARG VERSION=3.20\nFROM alpine:${VERSION}\n"},
	},
	Check: func(p *lint.Pass) {
		for _, ins := range p.File.Instructions {
			if ins.Kind == "from" {
				return
			}
			if ins.Kind == "arg" {
				continue
			}
			p.Report(lint.Finding{
				At: ins, Range: ins.KeywordRange(),
				Message: strings.ToUpper(ins.Kind) + " before the first FROM: only ARG may come before FROM, so Docker rejects this file",
				Help:    "move it after the FROM of the stage it belongs to",
			})
		}
	},
})
