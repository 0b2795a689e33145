package rules

import "github.com/strata-dev/strata/lint"

// DL3032 reports yum installs without yum clean all.
var DL3032 = register(&lint.Rule{
	Code:     "DL3032",
	Name:     "yum-clean-missing",
	Summary:  "`yum clean all` missing after yum install",
	Severity: lint.SeverityWarning,
	Origin:   lint.OriginHadolint,
	Status:   lint.StatusStable,
	Since:    "0.1.0",
	Docs: lint.Docs{
		What: "Reports `yum install` that is not followed, later in the same RUN, by `yum clean all` or " +
			"`rm -rf /var/cache/yum/*`.",
		Why: "yum keeps the downloaded packages and metadata in `/var/cache/yum`; left in the layer they often weigh more than what was installed.",
		Fix: "`RUN yum install -y httpd-2.4.6 && yum clean all`, or mount a cache: `RUN --mount=type=cache,target=/var/cache/yum yum install -y httpd-2.4.6`.",
		Differences: "A cache or tmpfs mount on `/var/cache/yum` (`RUN --mount=type=cache,target=/var/cache/yum`) " +
			"keeps the cache out of the layer, so strata does not report that RUN, as hadolint does not for the " +
			"same mounts in DL3036 (zypper), DL3040 (dnf) and DL3060 (yarn); hadolint's DL3032 reports it.",
	},
	Examples: []lint.Example{
		{Title: "No clean", Dockerfile: "FROM centos:7\nRUN yum install -y mariadb-10.4\n", Want: []string{"2:5"}},
		{Title: "Clean before install does not count", Dockerfile: "FROM centos:7\nRUN yum clean all && yum install -y mariadb-10.4\n", Want: []string{"2:22"}},
		{Title: "Cleaned", Dockerfile: "FROM centos:7\nRUN yum install -y mariadb-10.4 && yum clean all\n"},
		{Title: "A cache mount keeps it out of the layer", Dockerfile: "FROM centos:7\nRUN --mount=type=cache,target=/var/cache/yum yum install -y mariadb-10.4\n"},
	},
	Check: cleanupCheck{
		cache:   "yum",
		install: func(c *lint.Command) bool { return c.Is("yum") && c.HasArg("install") },
		clean: func(_, c *lint.Command) bool {
			return (c.Is("yum") && c.HasArg("clean", "all")) || isRmOf(c, "/var/cache/yum")
		},
		message:   "yum install leaves its package cache in /var/cache/yum in this layer",
		mountDirs: []string{"/var/cache/yum"},
	}.run,
})
