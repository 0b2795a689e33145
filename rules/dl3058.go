package rules

import (
	"net/mail"

	"github.com/strata-dev/strata/lint"
)

// DL3058 reports email labels of the schema that are not email addresses.
var DL3058 = register(&lint.Rule{
	Code:     "DL3058",
	Name:     "label-not-email",
	Summary:  "An `email` label of the label schema is not an email address",
	Severity: lint.SeverityWarning,
	Origin:   lint.OriginHadolint,
	Status:   lint.StatusStable,
	Since:    "0.1.0",
	Docs: lint.Docs{
		What: "With a `label-schema` in the configuration, reports a `LABEL` that sets a label of type `email` to " +
			"a value that is not a bare email address (`local@domain`, RFC 5322).",
		Why: "Tools that notify image owners read these labels as addresses; a name, or a name with an address " +
			"(`Jane <jane@example.com>`), cannot be mailed.",
		Fix: "`LABEL maintainer=\"jane@example.com\"`.",
		Differences: "Values that use a build variable are only known at build time and are not checked; hadolint " +
			"reports them.",
	},
	Examples: []lint.Example{
		{Title: "A name", Config: "label-schema:\n  maintainer: email\n",
			Dockerfile: "FROM alpine:3.20\nLABEL maintainer=\"Jane Doe\"\n", Want: []string{"2:18"}},
		{Title: "An address", Config: "label-schema:\n  maintainer: email\n",
			Dockerfile: "FROM alpine:3.20\nLABEL maintainer=\"jane@example.com\"\n"},
	},
	Check: func(p *lint.Pass) {
		checkLabelValues(p, "email", true, func(v string) bool { return !isEmailAddress(v) },
			func(label, v string) string { return "label `" + label + "` is not an email address: `" + v + "`" },
			"use a bare address such as jane@example.com")
	},
})

// isEmailAddress accepts a bare RFC 5322 addr-spec, no display name.
func isEmailAddress(v string) bool {
	a, err := mail.ParseAddress(v)
	return err == nil && a.Name == "" && a.Address == v
}
