package rules

import "github.com/strata-dev/strata/lint"

// DL4004 reports several ENTRYPOINT instructions in one stage.
var DL4004 = register(&lint.Rule{
	Code:     "DL4004",
	Name:     "multiple-entrypoint",
	Summary:  "Multiple `ENTRYPOINT` instructions in a stage: only the last takes effect",
	Severity: lint.SeverityError,
	Origin:   lint.OriginHadolint,
	Status:   lint.StatusStable,
	Since:    "0.1.0",
	Docs: lint.Docs{
		What: "Reports the second and every later `ENTRYPOINT` of a stage.",
		Why:  "A container runs only the last `ENTRYPOINT`; the earlier ones do nothing, yet read as if they ran too.",
		Fix:  "Keep one `ENTRYPOINT` per stage; to run setup first, chain it in an entrypoint script that ends with `exec \"$@\"`.",
	},
	Examples: []lint.Example{
		{Title: "Two ENTRYPOINTs", Dockerfile: "FROM debian:12\nENTRYPOINT [\"/init\"]\nENTRYPOINT [\"/app\"]\n", Want: []string{"3:1"}},
		{Title: "One per stage", Dockerfile: "FROM debian:12 AS a\nENTRYPOINT [\"/init\"]\nFROM debian:12\nENTRYPOINT [\"/app\"]\n"},
	},
	Check: func(p *lint.Pass) { reportRepeated(p, "entrypoint") },
})
