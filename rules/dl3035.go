package rules

import "github.com/strata-dev/strata/lint"

// DL3035 reports zypper dist-upgrade.
var DL3035 = register(&lint.Rule{
	Code:     "DL3035",
	Name:     "zypper-dist-upgrade",
	Summary:  "Do not use `zypper dist-upgrade` in a build",
	Severity: lint.SeverityWarning,
	Origin:   lint.OriginHadolint,
	Status:   lint.StatusStable,
	Since:    "0.1.0",
	Docs: lint.Docs{
		What: "Reports `zypper dist-upgrade` and its short form `zypper dup`, in `RUN` and `ONBUILD RUN`.",
		Why: "A distribution upgrade moves the image to whatever the repositories serve on the day of the build, " +
			"possibly a new release of the distribution: builds of the same Dockerfile stop being comparable, and " +
			"the base image you chose no longer describes what you ship.",
		Fix: "Use a newer base image instead, or update only what you need with `zypper --non-interactive update PACKAGE`.",
	},
	Examples: []lint.Example{
		{Title: "dup", Dockerfile: "FROM opensuse/leap:15.6\nRUN zypper -n dup\n", Want: []string{"2:5"}},
		{Title: "A targeted update", Dockerfile: "FROM opensuse/leap:15.6\nRUN zypper -n update openssl\n"},
	},
	Check: func(p *lint.Pass) {
		subs := []string{"dist-upgrade", "dup"}
		eachRun(p.File, func(ins *lint.Instruction, s *lint.Script) {
			for _, c := range s.Commands {
				if c.Is("zypper") && c.HasArg(subs...) {
					p.Report(lint.Finding{
						At: ins, Range: commandHead(c, subs...),
						Message: "`zypper " + firstArgOf(c, subs) + "` upgrades the whole distribution to whatever the repositories serve at build time",
						Help:    "start from a newer base image, or update only the packages you need",
					})
					return // one per RUN, as hadolint
				}
			}
		})
	},
})
