package rules

import "github.com/strata-dev/strata/lint"

// DL3040 reports dnf installs without dnf clean all.
var DL3040 = register(&lint.Rule{
	Code:     "DL3040",
	Name:     "dnf-clean-missing",
	Summary:  "`dnf clean all` missing after dnf install",
	Severity: lint.SeverityWarning,
	Origin:   lint.OriginHadolint,
	Status:   lint.StatusStable,
	Since:    "0.1.0",
	Docs: lint.Docs{
		What: "Reports `dnf` or `microdnf` `install`, `in`, `upgrade`, `up`, `upgrade-minimal`, `up-min`, " +
			"`reinstall` or `rei` not followed, later in the same RUN, by the same tool's `clean all` or by " +
			"`rm -rf /var/cache/yum/*`, unless a cache or tmpfs mount covers `/var/cache/libdnf5`.",
		Why: "dnf keeps metadata and downloaded packages under `/var/cache`; they ship in the layer for nothing.",
		Fix: "`RUN dnf install -y httpd-2.4.62 && dnf clean all`, or `RUN --mount=type=cache,target=/var/cache/libdnf5 dnf install -y httpd-2.4.62`.",
	},
	Examples: []lint.Example{
		{Title: "No clean", Dockerfile: "FROM fedora:41\nRUN dnf install -y mariadb-10.4\n", Want: []string{"2:5"}},
		{Title: "Another tool's clean", Dockerfile: "FROM fedora:41\nRUN dnf install -y mariadb-10.4 && microdnf clean all\n", Want: []string{"2:5"}},
		{Title: "Cleaned", Dockerfile: "FROM fedora:41\nRUN dnf in -y mariadb-10.4 && dnf clean all\n"},
		{Title: "A cache mount", Dockerfile: "FROM fedora:41\nRUN --mount=type=cache,target=/var/cache/libdnf5 dnf install -y mariadb-10.4\n"},
	},
	Check: cleanupCheck{
		cache: "dnf",
		install: func(c *lint.Command) bool {
			return c.Is("dnf", "microdnf") && c.HasArg("install", "in", "upgrade", "up", "upgrade-minimal", "up-min", "reinstall", "rei")
		},
		clean: func(install, c *lint.Command) bool {
			return (c.Is(install.Name.Value) && c.HasArg("clean")) || isRmOf(c, "/var/cache/yum", "/var/cache/dnf", "/var/cache/libdnf5")
		},
		message:   "dnf leaves its metadata and package cache under /var/cache in this layer",
		mountDirs: []string{"/var/cache/libdnf5", ".cache/libdnf5"},
	}.run,
})
