package rules

import "github.com/strata-dev/strata/lint"

// DL3014 reports apt-get install without -y.
var DL3014 = register(&lint.Rule{
	Code:     "DL3014",
	Name:     "apt-get-no-yes",
	Summary:  "Use `apt-get install -y` to avoid waiting for input",
	Severity: lint.SeverityWarning,
	Origin:   lint.OriginHadolint,
	Status:   lint.StatusStable,
	Since:    "0.1.0",
	Fix:      lint.FixSafe,
	Docs: lint.Docs{
		What: "Reports `apt-get install` (in a RUN or `ONBUILD RUN`) without `-y`, `--yes` or `--assume-yes`. Twice " +
			"quiet (`-qq`, `-q -q`, `--quiet --quiet`, `-q=2`) also answers yes and is accepted.",
		Why: "When apt-get has to install more than was asked (dependencies), it asks for confirmation. A build has no " +
			"terminal, so apt-get reads end-of-file, answers no and aborts: the build fails, or works only until a " +
			"package gains a dependency.",
		Fix: "`RUN apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u7`. The fix inserts `-y` after " +
			"`apt-get`; it only changes builds that would otherwise abort at the prompt.",
	},
	Examples: []lint.Example{
		{Title: "No -y", Dockerfile: "FROM debian:12\nRUN apt-get install --no-install-recommends curl=7.88.1-10+deb12u7\n",
			Want:  []string{"2:5"},
			Fixed: "FROM debian:12\nRUN apt-get -y install --no-install-recommends curl=7.88.1-10+deb12u7\n"},
		{Title: "-y, and -qq", Dockerfile: "FROM debian:12\nRUN apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u7\nRUN apt-get install -qq --no-install-recommends git=1:2.39.5-0+deb12u1\n"},
	},
	Check: func(p *lint.Pass) {
		eachRun(p.File, func(ins *lint.Instruction, s *lint.Script) {
			for _, c := range s.Commands {
				if !isAptGetInstall(c) || aptAssumesYes(c) {
					continue
				}
				f := lint.Finding{
					At: ins, Range: commandHead(c, "install"),
					Message: "`apt-get install` without -y aborts the build as soon as it asks to confirm extra packages",
					Help:    "add -y: apt-get -y install ...",
				}
				if c.Name.Literal && !c.Name.Quoted {
					f.Fix = &lint.Fix{Title: "add -y", Edits: []lint.Edit{insertAfter(c.Name.Range(), " -y")}}
				}
				p.Report(f)
				return
			}
		})
	},
})

// aptAssumesYes is hadolint's test for a non-interactive apt-get.
func aptAssumesYes(c *lint.Command) bool {
	return c.HasFlag("y", "yes", "qq", "assume-yes") || countFlag(c, "q") == 2 ||
		countFlag(c, "quiet") == 2 || c.HasArg("-q=2")
}
