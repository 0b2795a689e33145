package rules

import "github.com/strata-dev/strata/lint"

// DL3036 reports zypper installs without zypper clean.
var DL3036 = register(&lint.Rule{
	Code:     "DL3036",
	Name:     "zypper-clean-missing",
	Summary:  "`zypper clean` missing after zypper install",
	Severity: lint.SeverityWarning,
	Origin:   lint.OriginHadolint,
	Status:   lint.StatusStable,
	Since:    "0.1.0",
	Docs: lint.Docs{
		What: "Reports `zypper install` (or `zypper in`) not followed, later in the same RUN, by `zypper clean` " +
			"(or `zypper cc`), unless a cache or tmpfs mount covers `/var/cache/zypp`.",
		Why: "zypper keeps repository metadata and packages in `/var/cache/zypp`, which then ships in the layer.",
		Fix: "`RUN zypper install -y nginx=1.21 && zypper clean --all`, or `RUN --mount=type=cache,target=/var/cache/zypp zypper install -y nginx=1.21`.",
	},
	Examples: []lint.Example{
		{Title: "No clean", Dockerfile: "FROM opensuse/leap:15.6\nRUN zypper install -y mariadb=10.4\n", Want: []string{"2:5"}},
		{Title: "Cleaned", Dockerfile: "FROM opensuse/leap:15.6\nRUN zypper install -y mariadb=10.4 && zypper cc\n"},
		{Title: "A cache mount", Dockerfile: "FROM opensuse/leap:15.6\nRUN --mount=type=cache,target=/var/cache/zypp zypper install -y mariadb=10.4\n"},
	},
	Check: cleanupCheck{
		cache:   "zypper",
		install: func(c *lint.Command) bool { return c.Is("zypper") && c.HasArg("install", "in") },
		clean: func(_, c *lint.Command) bool {
			return (c.Is("zypper") && c.HasArg("clean", "cc")) || isRmOf(c, "/var/cache/zypp")
		},
		message:   "zypper install leaves its cache in /var/cache/zypp in this layer",
		mountDirs: []string{"/var/cache/zypp"},
	}.run,
})
