package rules

import "github.com/strata-dev/strata/lint"

// DL3051 reports schema labels set to an empty value.
var DL3051 = register(&lint.Rule{
	Code:     "DL3051",
	Name:     "empty-label",
	Summary:  "A label of the label schema is empty",
	Severity: lint.SeverityWarning,
	Origin:   lint.OriginHadolint,
	Status:   lint.StatusStable,
	Since:    "0.1.0",
	Docs: lint.Docs{
		What: "With a `label-schema` in the configuration, reports a `LABEL` that sets a schema label to an empty value.",
		Why: "An empty label satisfies a presence check while carrying no information; it usually comes from a " +
			"build argument that was not passed (`LABEL org.opencontainers.image.revision=$GIT_SHA`).",
		Fix: "Give it a value, or pass the build argument it is built from (`--build-arg GIT_SHA=$(git rev-parse HEAD)`).",
	},
	Examples: []lint.Example{
		{Title: "Empty", Config: "label-schema:\n  org.opencontainers.image.title: text\n",
			Dockerfile: "FROM alpine:3.20\nLABEL org.opencontainers.image.title=\"\"\n", Want: []string{"2:7"}},
		{Title: "Set", Config: "label-schema:\n  org.opencontainers.image.title: text\n",
			Dockerfile: "FROM alpine:3.20\nLABEL org.opencontainers.image.title=\"demo\"\n"},
	},
	Check: func(p *lint.Pass) {
		checkLabelValues(p, "", false, func(v string) bool { return v == "" },
			func(label, _ string) string { return "label `" + label + "` is empty" },
			"give the label a value")
	},
})
