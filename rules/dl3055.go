package rules

import "github.com/strata-dev/strata/lint"

// DL3055 reports hash labels of the schema that are not git hashes.
var DL3055 = register(&lint.Rule{
	Code:     "DL3055",
	Name:     "label-not-git-hash",
	Summary:  "A `hash` label of the label schema is not a git commit hash",
	Severity: lint.SeverityWarning,
	Origin:   lint.OriginHadolint,
	Status:   lint.StatusStable,
	Since:    "0.1.0",
	Docs: lint.Docs{
		What: "With a `label-schema` in the configuration, reports a `LABEL` that sets a label of type `hash` to a " +
			"value that is not a git commit hash: 7 (short) or 40 (full) lower-case hexadecimal digits.",
		Why: "The revision label (`org.opencontainers.image.revision`) ties an image to the commit it was built " +
			"from; a branch name or tag moves and no longer identifies the source.",
		Fix: "Pass the commit at build time: `--build-arg GIT_SHA=$(git rev-parse HEAD)` and " +
			"`LABEL org.opencontainers.image.revision=$GIT_SHA`.",
		Differences: "Values that use a build variable are only known at build time and are not checked; hadolint " +
			"reports them.",
	},
	Examples: []lint.Example{
		{Title: "A branch name", Config: "label-schema:\n  org.opencontainers.image.revision: hash\n",
			Dockerfile: "FROM alpine:3.20\nLABEL org.opencontainers.image.revision=main\n", Want: []string{"2:41"}},
		{Title: "A short hash", Config: "label-schema:\n  org.opencontainers.image.revision: hash\n",
			Dockerfile: "FROM alpine:3.20\nLABEL org.opencontainers.image.revision=\"2dbfae9\"\n"},
	},
	Check: func(p *lint.Pass) {
		checkLabelValues(p, "hash", true, func(v string) bool { return !isGitHash(v) },
			func(label, v string) string {
				return "label `" + label + "` is not a git commit hash (7 or 40 hex digits): `" + v + "`"
			}, "use the commit: git rev-parse HEAD (or --short=7)")
	},
})

func isGitHash(v string) bool {
	if len(v) != 7 && len(v) != 40 {
		return false
	}
	for i := 0; i < len(v); i++ {
		if c := v[i]; (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}
