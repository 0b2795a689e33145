package rules

import "github.com/strata-dev/strata/lint"

// DL4005 reports replacing /bin/sh with ln.
var DL4005 = register(&lint.Rule{
	Code:     "DL4005",
	Name:     "ln-bin-sh",
	Summary:  "Use `SHELL` to change the default shell, not `ln`",
	Severity: lint.SeverityWarning,
	Origin:   lint.OriginHadolint,
	Status:   lint.StatusStable,
	Since:    "0.1.0",
	Docs: lint.Docs{
		What: "Reports `ln` with `/bin/sh` as an argument (`ln -sf /bin/bash /bin/sh`), in `RUN` and `ONBUILD RUN`.",
		Why: "Relinking `/bin/sh` changes the shell of every program in the image, package scripts and init " +
			"scripts included, which were written for the distribution's own `sh`; and it is invisible to readers of " +
			"the Dockerfile.",
		Fix: "Choose the shell of later RUNs explicitly: `SHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]`.",
	},
	Examples: []lint.Example{
		{Title: "Relinking /bin/sh", Dockerfile: "FROM debian:12\nRUN ln -sfv /bin/bash /bin/sh\n", Want: []string{"2:23"}},
		{Title: "SHELL", Dockerfile: "FROM debian:12\nSHELL [\"/bin/bash\", \"-c\"]\nRUN ln -sf /bin/true /sbin/initctl\n"},
	},
	Check: func(p *lint.Pass) {
		eachRun(p.File, func(ins *lint.Instruction, s *lint.Script) {
			for _, c := range s.Commands {
				if !c.Is("ln") {
					continue
				}
				for _, a := range c.Args {
					if a.Value == "/bin/sh" {
						p.Report(lint.Finding{
							At: ins, Range: a.Range(),
							Message: "relinking /bin/sh changes the shell of every script in the image, not just of this Dockerfile",
							Help:    "use SHELL [\"/bin/bash\", \"-c\"] to choose the shell of later RUNs",
						})
						return // one per RUN, as hadolint
					}
				}
			}
		})
	},
})
