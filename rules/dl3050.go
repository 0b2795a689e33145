package rules

import "github.com/strata-dev/strata/lint"

// DL3050 reports labels outside the label schema when strict-labels is on.
var DL3050 = register(&lint.Rule{
	Code:     "DL3050",
	Name:     "superfluous-label",
	Summary:  "Label not in the label schema (with `strict-labels`)",
	Severity: lint.SeverityInfo,
	Origin:   lint.OriginHadolint,
	Status:   lint.StatusStable,
	Since:    "0.1.0",
	Docs: lint.Docs{
		What: "With `strict-labels: true` in the configuration, reports each `LABEL` that sets a key the " +
			"`label-schema` does not list (with an empty schema, every label).",
		Why: "A strict schema keeps image metadata uniform across a team: a label outside it is usually a typo of " +
			"a schema key (`org.opencontainers.image.sources`) or metadata nobody reads.",
		Fix: "Rename the key to the schema's spelling, add it to the schema, or remove the label.",
	},
	Examples: []lint.Example{
		{Title: "Not in the schema", Config: "label-schema:\n  org.opencontainers.image.source: url\nstrict-labels: true\n",
			Dockerfile: "FROM alpine:3.20\nLABEL org.opencontainers.image.source=\"https://github.com/acme/app\" team=payments\n", Want: []string{"2:69"}},
		{Title: "Only schema labels", Config: "label-schema:\n  org.opencontainers.image.source: url\nstrict-labels: true\n",
			Dockerfile: "FROM alpine:3.20\nLABEL org.opencontainers.image.source=\"https://github.com/acme/app\"\n"},
	},
	Check: func(p *lint.Pass) {
		if !p.Settings.StrictLabels {
			return
		}
		known := map[string]bool{}
		for _, spec := range p.Settings.LabelSchema {
			known[spec.Name] = true
		}
		eachLabel(p.File, func(ins *lint.Instruction, pairs []keyValue) {
			var extra []string
			var first *keyValue
			for i, kv := range pairs {
				if !known[kv.Key] {
					if first == nil {
						first = &pairs[i]
					}
					extra = append(extra, kv.Key)
				}
			}
			if first == nil {
				return
			}
			p.Report(lint.Finding{
				At: ins, Range: first.KeyRange,
				Message: plural(len(extra), "label ", "labels ") + quoteList(extra) + plural(len(extra), " is", " are") +
					" not in the label schema, and strict-labels allows no others",
				Help: "use the schema's keys, or add these to label-schema in the configuration",
			})
		})
	},
})
