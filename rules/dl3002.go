package rules

import (
	"strings"

	"github.com/strata-dev/strata/lint"
)

// DL3002 reports a stage whose last USER is root.
var DL3002 = register(&lint.Rule{
	Code:     "DL3002",
	Name:     "last-user-root",
	Summary:  "The last USER of a stage should not be root",
	Severity: lint.SeverityWarning,
	Origin:   lint.OriginHadolint,
	Status:   lint.StatusStable,
	Since:    "0.1.0",
	Docs: lint.Docs{
		What: "Reports the last `USER` instruction of each stage when it switches to root (`root`, `0`, `root:group` " +
			"or `0:group`). A stage that never sets USER is not reported, nor one that switches back to another user.",
		Why: "The last USER is the user the container runs as. A process running as root inside the container is " +
			"one kernel or runtime bug away from root on the host, and can change every file of the image.",
		Fix: "Do the steps that need root first, then switch to an unprivileged user:\n\n```dockerfile\nUSER root\n" +
			"RUN apt-get update && apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u7\nUSER 10001\n```",
	},
	Examples: []lint.Example{
		{Title: "Ends as root", Dockerfile: "FROM debian:12\nUSER root\nRUN id\n", Want: []string{"2:6"}},
		{Title: "Switches back", Dockerfile: "FROM debian:12\nUSER root\nRUN id\nUSER app\n"},
	},
	Check: func(p *lint.Pass) {
		var imageUser *lint.Instruction // the USER the built image runs as
		if final := p.File.FinalStage(); final != nil {
			for _, s := range final.Ancestors() {
				if imageUser = lastUser(s); imageUser != nil {
					break
				}
			}
		}
		for _, s := range p.File.Stages {
			last := lastUser(s)
			if last == nil || !isRootUser(last.Args[0].Value) {
				continue
			}
			msg := "the container runs as root: this is the last USER of the image"
			if last != imageUser {
				msg = stageLabel(s) + " ends as root: an image built from it (--target, or FROM " + s.Name + ") runs as root"
				if s.Name == "" {
					msg = stageLabel(s) + " ends as root: an image built from it (--target) runs as root"
				}
			}
			p.Report(lint.Finding{
				At: last, Range: last.Args[0].Range,
				Message: msg,
				Help:    "after the steps that need root, switch to an unprivileged user, e.g. USER 10001",
			})
		}
	},
})

// isRootUser is hadolint's test on the USER argument.
func isRootUser(u string) bool {
	return u == "root" || u == "0" || strings.HasPrefix(u, "root:") || strings.HasPrefix(u, "0:")
}

// lastUser is the last USER instruction of a stage (not counting ONBUILD).
func lastUser(s *lint.Stage) *lint.Instruction {
	var last *lint.Instruction
	for _, ins := range s.Instructions {
		if ins.Kind == "user" && len(ins.Args) > 0 {
			last = ins
		}
	}
	return last
}
