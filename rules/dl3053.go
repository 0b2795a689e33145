package rules

import (
	"time"

	"github.com/strata-dev/strata/lint"
)

// DL3053 reports rfc3339 labels of the schema that are not RFC 3339 times.
var DL3053 = register(&lint.Rule{
	Code:     "DL3053",
	Name:     "label-not-rfc3339",
	Summary:  "An `rfc3339` label of the label schema is not an RFC 3339 time",
	Severity: lint.SeverityWarning,
	Origin:   lint.OriginHadolint,
	Status:   lint.StatusStable,
	Since:    "0.1.0",
	Docs: lint.Docs{
		What: "With a `label-schema` in the configuration, reports a `LABEL` that sets a label of type `rfc3339` " +
			"to a value that is not an RFC 3339 date and time (`2024-05-01T12:30:00Z`).",
		Why: "Tools sort and compare these labels (`org.opencontainers.image.created`) as timestamps; another " +
			"format is ignored or misread.",
		Fix: "Generate it at build time: `--build-arg CREATED=$(date -u +%Y-%m-%dT%H:%M:%SZ)` and " +
			"`LABEL org.opencontainers.image.created=$CREATED`.",
		Differences: "Values that use a build variable (`$CREATED`) are only known at build time and are not " +
			"checked; hadolint reports them.",
	},
	Examples: []lint.Example{
		{Title: "A date only", Config: "label-schema:\n  org.opencontainers.image.created: rfc3339\n",
			Dockerfile: "FROM alpine:3.20\nLABEL org.opencontainers.image.created=\"2024-05-01\"\n", Want: []string{"2:40"}},
		{Title: "A timestamp", Config: "label-schema:\n  org.opencontainers.image.created: rfc3339\n",
			Dockerfile: "FROM alpine:3.20\nLABEL org.opencontainers.image.created=\"2021-03-10T10:26:33.564595127+01:00\"\n"},
	},
	Check: func(p *lint.Pass) {
		checkLabelValues(p, "rfc3339", true, func(v string) bool {
			_, err := time.Parse(time.RFC3339Nano, v)
			return err != nil
		}, func(label, v string) string {
			return "label `" + label + "` is not an RFC 3339 time: `" + v + "`"
		}, "use a full timestamp such as 2024-05-01T12:30:00Z")
	},
})
