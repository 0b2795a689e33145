package rules

import (
	"github.com/strata-dev/strata/internal/lazyre"
	"strings"

	"github.com/strata-dev/strata/lint"
)

// DL3052 reports url labels of the schema that are not URLs.
var DL3052 = register(&lint.Rule{
	Code:     "DL3052",
	Name:     "label-not-url",
	Summary:  "A `url` label of the label schema is not a valid URL",
	Severity: lint.SeverityWarning,
	Origin:   lint.OriginHadolint,
	Status:   lint.StatusStable,
	Since:    "0.1.0",
	Docs: lint.Docs{
		What: "With a `label-schema` in the configuration, reports a `LABEL` that sets a label of type `url` to a " +
			"value that is not an absolute URI (`scheme:...`, per RFC 3986).",
		Why: "Tools follow these labels (a registry links `org.opencontainers.image.source` to the repository); " +
			"a relative path or a bare host name leads nowhere.",
		Fix: "Use the full URL, scheme included: `https://github.com/acme/app`.",
		Differences: "Values that use a build variable (`$REPO_URL`) are only known at build time and are not checked; " +
			"hadolint reports them.",
	},
	Examples: []lint.Example{
		{Title: "No scheme", Config: "label-schema:\n  org.opencontainers.image.source: url\n",
			Dockerfile: "FROM alpine:3.20\nLABEL org.opencontainers.image.source=\"github.com/acme/app\"\n", Want: []string{"2:39"}},
		{Title: "A URL", Config: "label-schema:\n  org.opencontainers.image.source: url\n",
			Dockerfile: "FROM alpine:3.20\nLABEL org.opencontainers.image.source=\"https://github.com/acme/app\"\n"},
	},
	Check: func(p *lint.Pass) {
		checkLabelValues(p, "url", true, func(v string) bool { return !isAbsoluteURI(v) },
			func(label, v string) string { return "label `" + label + "` is not a valid URL: `" + v + "`" },
			"use an absolute URL with a scheme, e.g. https://example.com/path")
	},
})

var absoluteURI = lazyre.New(`^[A-Za-z][A-Za-z0-9+.\-]*:([A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=]|%[0-9A-Fa-f]{2})*$`)

// isAbsoluteURI accepts scheme:hier-part[?query][#fragment] (RFC 3986).
func isAbsoluteURI(v string) bool {
	return absoluteURI().MatchString(v) && strings.Count(v, "#") <= 1
}
