package rules

import (
	"slices"

	"github.com/strata-dev/strata/lint"
)

// DL3059 reports consecutive RUNs that could be one.
var DL3059 = register(&lint.Rule{
	Code:     "DL3059",
	Name:     "consecutive-run",
	Summary:  "Multiple consecutive RUN instructions; consider consolidating them",
	Severity: lint.SeverityInfo,
	Origin:   lint.OriginHadolint,
	Status:   lint.StatusStable,
	Since:    "0.1.0",
	Docs: lint.Docs{
		What: "Reports a `RUN` that directly follows another `RUN` with the same flags when each of them runs a " +
			"single simple command. Comments between them do not matter; any other instruction starts over. A RUN " +
			"that already chains commands (`a && b`) is taken as deliberate and not reported.",
		Why: "Each RUN commits a layer. Files one RUN creates and the next deletes stay in the first layer for ever, " +
			"and many tiny layers make pulls slower. Splitting steps that belong together (download, extract, " +
			"clean up) is the most common cause of bloated images.",
		Fix: "Join the commands with `&&` in one RUN, or use a heredoc:\n\n```dockerfile\nRUN <<EOF\nset -e\n" +
			"./configure\nmake install\nEOF\n```",
	},
	Examples: []lint.Example{
		{Title: "Two one-command RUNs", Dockerfile: "FROM alpine:3.20\nRUN /foo.sh\n# a comment\nRUN /bar.sh\n", Want: []string{"4:1"}},
		{Title: "Chained", Dockerfile: "FROM alpine:3.20\nRUN /foo.sh && /bar.sh\nRUN /baz.sh\n"},
		{Title: "Separated by another instruction", Dockerfile: "FROM alpine:3.20\nRUN /foo.sh\nWORKDIR /\nRUN /bar.sh\n"},
	},
	Check: func(p *lint.Pass) {
		var prev *lint.Instruction
		for _, ins := range p.File.Instructions {
			if ins.Kind != "run" {
				prev = nil
				continue
			}
			if !singleCommand(ins) {
				prev = nil
				continue
			}
			if prev != nil && slices.Equal(prev.Node.Flags, ins.Node.Flags) {
				p.Report(lint.Finding{
					At: ins, Range: ins.KeywordRange(),
					Message: "RUN follows another single-command RUN on line " + itoa(prev.StartLine) + ": each one commits a layer",
					Help:    "join them with && in one RUN (or a heredoc) so files created and removed together never reach a layer",
				})
			}
			prev = ins
		}
	},
})

func singleCommand(ins *lint.Instruction) bool {
	s := ins.Script()
	return s != nil && s.Err == nil && len(s.Commands) == 1
}
