package rules

import "github.com/strata-dev/strata/lint"

// DL3015 reports apt-get install without --no-install-recommends.
var DL3015 = register(&lint.Rule{
	Code:     "DL3015",
	Name:     "apt-get-recommends",
	Summary:  "Avoid additional packages by specifying `--no-install-recommends`",
	Severity: lint.SeverityInfo,
	Origin:   lint.OriginHadolint,
	Status:   lint.StatusStable,
	Since:    "0.1.0",
	Fix:      lint.FixUnsafe,
	Docs: lint.Docs{
		What: "Reports `apt-get install` (in a RUN or `ONBUILD RUN`) without `--no-install-recommends` or " +
			"`-o APT::Install-Recommends=false`.",
		Why: "By default apt-get also installs every *recommended* package: documentation, optional tools, whole " +
			"desktop stacks. They are often larger than what was asked for, add vulnerabilities to scan and patch, " +
			"and are rarely needed in a container.",
		Fix: "`RUN apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u7`. The fix adds the flag after " +
			"`install`; it is unsafe because a program may rely on a recommended package (CA certificates for curl " +
			"are the classic case), so name those explicitly.",
	},
	Examples: []lint.Example{
		{Title: "Recommends installed", Dockerfile: "FROM debian:12\nRUN apt-get install -y curl=7.88.1-10+deb12u7\n",
			Want:  []string{"2:5"},
			Fixed: "FROM debian:12\nRUN apt-get install --no-install-recommends -y curl=7.88.1-10+deb12u7\n"},
		{Title: "--no-install-recommends", Dockerfile: "FROM debian:12\nRUN apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u7\n"},
	},
	Check: func(p *lint.Pass) {
		eachRun(p.File, func(ins *lint.Instruction, s *lint.Script) {
			for _, c := range s.Commands {
				if !isAptGetInstall(c) || c.HasFlag("no-install-recommends") || c.HasArg("APT::Install-Recommends=false") {
					continue
				}
				install, _ := argWord(c, "install")
				p.Report(lint.Finding{
					At: ins, Range: commandHead(c, "install"),
					Message: "`apt-get install` also installs every recommended package, often more than was asked for",
					Help:    "add --no-install-recommends, and name any recommended package you really need",
					Fix: &lint.Fix{Title: "add --no-install-recommends",
						Edits: []lint.Edit{insertAfter(install.Range(), " --no-install-recommends")}},
				})
				return
			}
		})
	},
})
