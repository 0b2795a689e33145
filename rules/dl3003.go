package rules

import "github.com/strata-dev/strata/lint"

// DL3003 reports cd in a RUN.
var DL3003 = register(&lint.Rule{
	Code:     "DL3003",
	Name:     "cd-instead-of-workdir",
	Summary:  "Use WORKDIR to switch to a directory",
	Severity: lint.SeverityWarning,
	Origin:   lint.OriginHadolint,
	Status:   lint.StatusStable,
	Since:    "0.1.0",
	Docs: lint.Docs{
		What: "Reports a RUN that calls `cd`. As in hadolint, `ONBUILD RUN` is not checked.",
		Why: "A `cd` lasts only for its RUN: the next instruction starts in the WORKDIR again, which surprises readers " +
			"and leads to commands running in the wrong directory. WORKDIR also creates the directory and documents " +
			"the layout of the image.",
		Fix: "`WORKDIR /usr/src/app` before the RUN. For a one-off step in another directory, the tool's own option " +
			"often avoids `cd`: `make -C /src`, `git -C /src`, `tar -C /dst`.",
	},
	Examples: []lint.Example{
		{Title: "cd in a RUN", Dockerfile: "FROM debian:12\nRUN cd /usr/src/app && make\n", Want: []string{"2:5"}},
		{Title: "WORKDIR", Dockerfile: "FROM debian:12\nWORKDIR /usr/src/app\nRUN make\n"},
	},
	Check: func(p *lint.Pass) {
		eachTopRun(p.File, func(ins *lint.Instruction, s *lint.Script) {
			for _, c := range s.Commands {
				if !c.Is("cd") {
					continue
				}
				help := "set the directory with WORKDIR before this RUN"
				if len(c.Args) == 1 && c.Args[0].Literal && c.Args[0].Value != "-" {
					help = "use WORKDIR " + c.Args[0].Value + " before this RUN (it persists for later instructions and creates the directory)"
				}
				p.Report(lint.Finding{
					At: ins, Range: c.Range(),
					Message: "`cd` changes the directory only for this RUN; the next instruction starts in the WORKDIR again",
					Help:    help,
				})
				return
			}
		})
	},
})
