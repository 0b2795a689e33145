package rules

import "github.com/strata-dev/strata/lint"

// DL3034 reports zypper commands without a non-interactive switch.
var DL3034 = register(&lint.Rule{
	Code:     "DL3034",
	Name:     "zypper-missing-non-interactive",
	Summary:  "Use `zypper -n` (or `install -y`) so the build never waits for an answer",
	Severity: lint.SeverityWarning,
	Origin:   lint.OriginHadolint,
	Status:   lint.StatusStable,
	Since:    "0.1.0",
	Docs: lint.Docs{
		What: "Reports `zypper install`, `in`, `remove`, `rm`, `source-install`, `si` and `patch` without " +
			"`-n`/`--non-interactive` (before the command) or `-y`/`--no-confirm` (after it), in `RUN` and `ONBUILD RUN`. Options given through a build variable are read from its " +
			"value; a variable whose value is unknown is assumed to carry the switch.",
		Why: "zypper asks for confirmation; a build has no terminal to answer it, so the RUN fails or hangs.",
		Fix: "`RUN zypper --non-interactive install httpd=2.4.51 && zypper clean --all`.",
	},
	Examples: []lint.Example{
		{Title: "Interactive", Dockerfile: "FROM opensuse/leap:15.6\nRUN zypper install httpd=2.4.51 && zypper clean\n", Want: []string{"2:5"}},
		{Title: "Non-interactive", Dockerfile: "FROM opensuse/leap:15.6\nRUN zypper -n install httpd=2.4.51 && zypper clean\n"},
	},
	Check: func(p *lint.Pass) {
		subs := []string{"install", "in", "remove", "rm", "source-install", "si", "patch"}
		eachRun(p.File, func(ins *lint.Instruction, s *lint.Script) {
			for _, c := range s.Commands {
				if c.Is("zypper") && c.HasArg(subs...) && missingYes(ins, c, "n", "non-interactive", "y", "no-confirm") {
					p.Report(lint.Finding{
						At: ins, Range: commandHead(c, subs...),
						Message: "`zypper " + firstArgOf(c, subs) + "` without a non-interactive switch can stop at a prompt a build cannot answer",
						Help:    "use zypper --non-interactive " + firstArgOf(c, subs) + " ... (or -y after the command)",
					})
					return // one per RUN, as hadolint
				}
			}
		})
	},
})
