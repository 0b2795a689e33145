package rules

import "github.com/strata-dev/strata/lint"

// DL3049 reports stages missing a label the label schema requires.
var DL3049 = register(&lint.Rule{
	Code:     "DL3049",
	Name:     "missing-label",
	Summary:  "A label required by the label schema is missing",
	Severity: lint.SeverityInfo,
	Origin:   lint.OriginHadolint,
	Status:   lint.StatusStable,
	Since:    "0.1.0",
	Docs: lint.Docs{
		What: "With a `label-schema` in the configuration, reports each stage (at its FROM) that does not set a " +
			"label of the schema, neither itself nor through the stages it is built FROM. Stages that only feed " +
			"others are not reported: the base of a stage that sets the label, and the sources of `COPY --from` or " +
			"`RUN --mount=from`.",
		Why: "Teams use a label schema so every image they ship can be traced (source repository, revision, " +
			"owner, license); an image without one of them escapes that inventory.",
		Fix: "Set the label in the stage, or in a stage it is built FROM:\n\n```dockerfile\nLABEL " +
			"org.opencontainers.image.source=\"https://github.com/acme/app\"\n```",
		Differences: "hadolint excuses a base stage only when its direct child sets the label and has no stage name " +
			"of its own; strata excuses every stage of the chain that leads to a stage setting the label, whatever " +
			"its name, and also the sources of `COPY --from=<index>` and `RUN --mount=from`.",
	},
	Examples: []lint.Example{
		{Title: "Missing", Config: "label-schema:\n  org.opencontainers.image.source: url\n",
			Dockerfile: "FROM alpine:3.20\nLABEL org.opencontainers.image.title=demo\n", Want: []string{"1:6"}},
		{Title: "Set in the parent stage", Config: "label-schema:\n  org.opencontainers.image.source: url\n",
			Dockerfile: "FROM alpine:3.20 AS base\nLABEL org.opencontainers.image.source=\"https://github.com/acme/app\"\nFROM base\n"},
		{Title: "A build stage used by COPY --from", Config: "label-schema:\n  org.opencontainers.image.source: url\n",
			Dockerfile: "FROM golang:1.23 AS build\nFROM alpine:3.20\nLABEL org.opencontainers.image.source=\"https://github.com/acme/app\"\nCOPY --from=build /go/bin/app /app\n"},
	},
	Check: func(p *lint.Pass) {
		for _, spec := range p.Settings.LabelSchema {
			name := spec.Name
			missing := stagesLacking(p.File, func(s *lint.Stage) bool {
				for _, ins := range s.Instructions {
					if ins.Kind != "label" {
						continue
					}
					for _, kv := range keyValues(ins) {
						if kv.Key == name {
							return true
						}
					}
				}
				return false
			})
			for _, s := range missing {
				p.Report(lint.Finding{
					At: s.From, Range: imageArgRange(s),
					Message: stageDesc(s) + " has no label `" + name + "`, which the label schema requires",
					Help:    "add LABEL " + name + "=... to this stage or to a stage it is built FROM",
				})
			}
		}
	},
})

// stageDesc names a stage for messages.
func stageDesc(s *lint.Stage) string {
	if s.Name != "" {
		return "stage " + s.Name
	}
	return "the stage FROM " + s.Base
}
