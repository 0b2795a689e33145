package rules

import "github.com/strata-dev/strata/lint"

// DL3038 reports dnf install without -y.
var DL3038 = register(&lint.Rule{
	Code:     "DL3038",
	Name:     "dnf-missing-yes",
	Summary:  "Use `dnf install -y` so the build never waits for an answer",
	Severity: lint.SeverityWarning,
	Origin:   lint.OriginHadolint,
	Status:   lint.StatusStable,
	Since:    "0.1.0",
	Docs: lint.Docs{
		What: "Reports `dnf` or `microdnf` `install`, `groupinstall` and `localinstall` without `-y` " +
			"(`--assumeyes`), in `RUN` and `ONBUILD RUN`. Options given through a build variable (`dnf $DNF_OPTS " +
			"install`) are read from its value; a variable whose value is unknown is assumed to carry `-y`.",
		Why: "A build has no terminal to answer dnf's confirmation prompt: dnf reads end of input, takes it as " +
			"\"no\" and the RUN fails.",
		Fix: "Add `-y`: `RUN dnf install -y httpd-2.4.62 && dnf clean all`.",
	},
	Examples: []lint.Example{
		{Title: "No -y", Dockerfile: "FROM fedora:41\nRUN dnf install httpd-2.4.62 && dnf clean all\n", Want: []string{"2:5"}},
		{Title: "-y", Dockerfile: "FROM fedora:41\nRUN dnf install -y httpd-2.4.62 && dnf clean all\n"},
	},
	Check: func(p *lint.Pass) {
		subs := []string{"install", "groupinstall", "localinstall"}
		eachRun(p.File, func(ins *lint.Instruction, s *lint.Script) {
			for _, c := range s.Commands {
				if c.Is("dnf", "microdnf") && c.HasArg(subs...) && missingYes(ins, c, "y", "assumeyes") {
					sub := firstArgOf(c, subs)
					p.Report(lint.Finding{
						At: ins, Range: commandHead(c, subs...),
						Message: "`" + c.Name.Value + " " + sub + "` without -y can stop at a confirmation prompt, which a build cannot answer",
						Help:    "add -y: " + c.Name.Value + " " + sub + " -y ...",
					})
					return // one per RUN, as hadolint
				}
			}
		})
	},
})
