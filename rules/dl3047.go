package rules

import "github.com/strata-dev/strata/lint"

// DL3047 reports wget without --progress or a quiet option.
var DL3047 = register(&lint.Rule{
	Code:     "DL3047",
	Name:     "wget-progress",
	Summary:  "Use `wget --progress=dot:giga` (or `-q`, `-nv`) to keep build logs short",
	Severity: lint.SeverityInfo,
	Origin:   lint.OriginHadolint,
	Status:   lint.StatusStable,
	Since:    "0.1.0",
	Docs: lint.Docs{
		What: "Reports `wget` without `--progress`, `-q`/`--quiet`, `-nv`/`--no-verbose`, `-o`/`--output-file` or " +
			"`-a`/`--append-output`, in `RUN` and `ONBUILD RUN`.",
		Why: "Without a terminal, wget prints a progress line for every few kilobytes: downloading a large file " +
			"floods the build log with thousands of lines and can slow or truncate CI logs.",
		Fix: "`RUN wget --progress=dot:giga https://example.com/big.tar.gz`, or `wget -q`/`wget -nv` when no " +
			"progress is wanted.",
	},
	Examples: []lint.Example{
		{Title: "Default progress", Dockerfile: "FROM debian:12\nRUN wget https://example.com/big.tar.gz\n", Want: []string{"2:5"}},
		{Title: "Quiet", Dockerfile: "FROM debian:12\nRUN wget -nv https://example.com/big.tar.gz\n"},
	},
	Check: func(p *lint.Pass) {
		eachRun(p.File, func(ins *lint.Instruction, s *lint.Script) {
			for _, c := range s.Commands {
				if c.Is("wget") && !c.HasFlag("progress", "q", "quiet", "o", "output-file", "a", "append-output", "no-verbose") &&
					!c.HasArg("-nv") {
					p.Report(lint.Finding{
						At: ins, Range: c.Name.Range(),
						Message: "wget without --progress or -q prints a progress line every few kilobytes into the build log",
						Help:    "use wget --progress=dot:giga, or -nv/-q",
					})
					return // one per RUN, as hadolint
				}
			}
		})
	},
})
