package rules

import "github.com/strata-dev/strata/lint"

// DL4000 reports the deprecated MAINTAINER instruction.
var DL4000 = register(&lint.Rule{
	Code:     "DL4000",
	Name:     "maintainer-instruction",
	Summary:  "`MAINTAINER` is deprecated",
	Severity: lint.SeverityError,
	Origin:   lint.OriginHadolint,
	Status:   lint.StatusStable,
	Since:    "0.1.0",
	Docs: lint.Docs{
		What: "Reports every `MAINTAINER` instruction.",
		Why: "`MAINTAINER` has been deprecated since Docker 1.13: it sets a legacy field of the image configuration " +
			"that current tools do not read. A label carries the same information where registries and scanners look for it.",
		Fix: "`LABEL org.opencontainers.image.authors=\"jane@example.com\"`.",
	},
	Examples: []lint.Example{
		{Title: "MAINTAINER", Dockerfile: "FROM debian:12\nMAINTAINER Lukas <lukas@example.com>\n", Want: []string{"2:1"}},
		{Title: "A label", Dockerfile: "FROM debian:12\nLABEL org.opencontainers.image.authors=\"lukas@example.com\"\n"},
	},
	Check: func(p *lint.Pass) {
		for _, ins := range p.File.Instructions {
			if ins.Kind != "maintainer" {
				continue
			}
			who := ""
			if len(ins.Args) > 0 {
				who = spanText(ins)
			}
			p.Report(lint.Finding{
				At: ins, Range: ins.KeywordRange(),
				Message: "MAINTAINER is deprecated: it sets a legacy image field that current tools ignore",
				Help:    "use LABEL org.opencontainers.image.authors=\"" + who + "\" instead",
			})
		}
	},
})

// spanText is the text of an instruction's arguments as written, quotes
// removed, for help messages.
func spanText(ins *lint.Instruction) string {
	parts := make([]string, 0, len(ins.Args))
	for _, a := range ins.Args {
		parts = append(parts, unquoteWord(a.Value, ins.File.Escape))
	}
	out := ""
	for i, s := range parts {
		if i > 0 {
			out += " "
		}
		out += s
	}
	return out
}
