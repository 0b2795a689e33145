package rules

import (
	"github.com/strata-dev/strata/internal/lazyre"

	"github.com/strata-dev/strata/lint"
)

// DL3056 reports semver labels of the schema that are not semantic versions.
var DL3056 = register(&lint.Rule{
	Code:     "DL3056",
	Name:     "label-not-semver",
	Summary:  "A `semver` label of the label schema is not a semantic version",
	Severity: lint.SeverityWarning,
	Origin:   lint.OriginHadolint,
	Status:   lint.StatusStable,
	Since:    "0.1.0",
	Docs: lint.Docs{
		What: "With a `label-schema` in the configuration, reports a `LABEL` that sets a label of type `semver` to " +
			"a value that is not a Semantic Versioning 2.0 version (`1.4.2`, `2.0.1-rc1`, `1.0.0+build.5`).",
		Why: "Tools compare these labels (`org.opencontainers.image.version`) to find the newest image; `v1.4`, " +
			"`1.4` or `latest` cannot be ordered.",
		Fix: "Write MAJOR.MINOR.PATCH without a `v`: `LABEL org.opencontainers.image.version=\"1.4.2\"`.",
		Differences: "Values that use a build variable are only known at build time and are not checked; hadolint " +
			"reports them.",
	},
	Examples: []lint.Example{
		{Title: "A v prefix", Config: "label-schema:\n  org.opencontainers.image.version: semver\n",
			Dockerfile: "FROM alpine:3.20\nLABEL org.opencontainers.image.version=v1.4\n", Want: []string{"2:40"}},
		{Title: "A semantic version", Config: "label-schema:\n  org.opencontainers.image.version: semver\n",
			Dockerfile: "FROM alpine:3.20\nLABEL org.opencontainers.image.version=\"2.0.1-rc1\"\n"},
	},
	Check: func(p *lint.Pass) {
		checkLabelValues(p, "semver", true, func(v string) bool { return !semverRE().MatchString(v) },
			func(label, v string) string {
				return "label `" + label + "` is not a semantic version (MAJOR.MINOR.PATCH): `" + v + "`"
			}, "write the version as MAJOR.MINOR.PATCH, e.g. 1.4.2 or 2.0.1-rc1")
	},
})

// semverRE is the regular expression published with Semantic Versioning 2.0.0.
var semverRE = lazyre.New(`^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)` +
	`(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?` +
	`(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$`)
