package rules

import (
	"strings"

	"github.com/strata-dev/strata/lint"
)

// DL1001 reports inline suppression comments (off by default).
var DL1001 = register(&lint.Rule{
	Code:       "DL1001",
	Name:       "inline-ignore-pragma",
	Summary:    "Avoid inline `# hadolint ignore=` comments; configure exceptions centrally",
	Severity:   lint.SeverityInfo,
	Origin:     lint.OriginHadolint,
	Status:     lint.StatusStable,
	Since:      "0.1.0",
	DefaultOff: true,
	Docs: lint.Docs{
		What: "Reports every comment that suppresses findings on the next line or instruction: hadolint's " +
			"`# hadolint ignore=CODE` and strata's `# strata: ignore=CODE reason`. File-wide (`global`) and " +
			"`stage` suppressions are not reported. The rule is off by default, as in hadolint: turn it on with " +
			"`--select DL1001` or a severity override (`override: {warning: [DL1001]}`).",
		Why: "Teams that adopt this rule want every exception to a check in one reviewed place, the configuration " +
			"file, rather than scattered through Dockerfiles where a new suppression slips through review.",
		Fix: "Fix what the suppressed rule reports, or move the exception to the configuration:\n\n" +
			"```yaml\n# .hadolint.yaml\nignored:\n  - DL3008\n```",
	},
	Examples: []lint.Example{
		{Title: "An inline suppression", Dockerfile: "FROM debian:12\n# hadolint ignore=DL3008\nRUN apt-get update && apt-get install -y curl\n", Want: []string{"2:1"}},
		{Title: "A file-wide suppression", Dockerfile: "# hadolint global ignore=DL3008\nFROM debian:12\nRUN apt-get update && apt-get install -y curl\n"},
	},
	Check: func(p *lint.Pass) {
		for _, pr := range p.File.Pragmas() {
			if pr.Kind != lint.PragmaNextLine && pr.Kind != lint.PragmaNextInstruction {
				continue
			}
			codes := strings.Join(pr.Codes, ",")
			p.Report(lint.Finding{
				Range:   pr.Comment.Range,
				Message: "inline suppression of " + codes + ": exceptions hidden in the Dockerfile escape review",
				Help:    "fix the finding, or list " + codes + " under `ignored:` in .hadolint.yaml (or .strata.yaml)",
			})
		}
	},
})
