package rules

import "github.com/strata-dev/strata/lint"

// DL3030 reports yum install without -y.
var DL3030 = register(&lint.Rule{
	Code:     "DL3030",
	Name:     "yum-missing-yes",
	Summary:  "Use `yum install -y` so the build never waits for an answer",
	Severity: lint.SeverityWarning,
	Origin:   lint.OriginHadolint,
	Status:   lint.StatusStable,
	Since:    "0.1.0",
	Docs: lint.Docs{
		What: "Reports `yum install`, `yum groupinstall` and `yum localinstall` without `-y` (`--assumeyes`), in " +
			"`RUN` and `ONBUILD RUN`. Options given through a build variable (`yum $YUM_OPTS install`) are read from " +
			"its value; a variable whose value is unknown is assumed to carry `-y`.",
		Why: "A build has no terminal to answer yum's confirmation prompt: yum reads end of input, treats it as " +
			"\"no\" and the RUN fails, or, with some versions, the build hangs.",
		Fix: "Add `-y`: `RUN yum install -y httpd-2.4.6 && yum clean all`.",
	},
	Examples: []lint.Example{
		{Title: "No -y", Dockerfile: "FROM centos:7\nRUN yum install httpd-2.4.6 && yum clean all\n", Want: []string{"2:5"}},
		{Title: "-y", Dockerfile: "FROM centos:7\nRUN yum install -y httpd-2.4.6 && yum clean all\n"},
	},
	Check: func(p *lint.Pass) {
		subs := []string{"install", "groupinstall", "localinstall"}
		eachRun(p.File, func(ins *lint.Instruction, s *lint.Script) {
			for _, c := range s.Commands {
				if c.Is("yum") && c.HasArg(subs...) && missingYes(ins, c, "y", "assumeyes") {
					p.Report(lint.Finding{
						At: ins, Range: commandHead(c, subs...),
						Message: "`yum " + firstArgOf(c, subs) + "` without -y can stop at a confirmation prompt, which a build cannot answer",
						Help:    "add -y: yum " + firstArgOf(c, subs) + " -y ...",
					})
					return // one per RUN, as hadolint
				}
			}
		})
	},
})
