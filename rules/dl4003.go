package rules

import "github.com/strata-dev/strata/lint"

// DL4003 reports several CMD instructions in one stage.
var DL4003 = register(&lint.Rule{
	Code:     "DL4003",
	Name:     "multiple-cmd",
	Summary:  "Multiple `CMD` instructions in a stage: only the last takes effect",
	Severity: lint.SeverityWarning,
	Origin:   lint.OriginHadolint,
	Status:   lint.StatusStable,
	Since:    "0.1.0",
	Docs: lint.Docs{
		What: "Reports the second and every later `CMD` of a stage.",
		Why:  "A container runs only the last `CMD`; the earlier ones do nothing, yet read as if they ran too.",
		Fix:  "Keep one `CMD` per stage; to run several processes, start them from a script or use a process supervisor.",
	},
	Examples: []lint.Example{
		{Title: "Two CMDs", Dockerfile: "FROM debian:12\nCMD [\"nginx\"]\nCMD [\"php-fpm\"]\n", Want: []string{"3:1"}},
		{Title: "One per stage", Dockerfile: "FROM debian:12 AS a\nCMD [\"bash\"]\nFROM debian:12\nCMD [\"sh\"]\n"},
	},
	Check: func(p *lint.Pass) { reportRepeated(p, "cmd") },
})

// reportRepeated reports the second and later instructions of a kind in
// each stage (instructions before the first FROM count as one stage).
func reportRepeated(p *lint.Pass, kind string) {
	var first *lint.Instruction
	keyword := map[string]string{"cmd": "CMD", "entrypoint": "ENTRYPOINT"}[kind]
	for _, ins := range p.File.Instructions {
		switch ins.Kind {
		case "from":
			first = nil
		case kind:
			if first == nil {
				first = ins
				continue
			}
			p.Report(lint.Finding{
				At: ins, Range: ins.KeywordRange(),
				Message: "another " + keyword + " in this stage: it replaces the one on line " + itoa(first.StartLine) +
					", which never takes effect",
				Help: "keep a single " + keyword + " per stage",
			})
		}
	}
}
