package rules

import (
	"path"
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/strata-dev/strata/lint"
)

// DL4006 reports a RUN with a pipe while the shell lacks -o pipefail.
var DL4006 = register(&lint.Rule{
	Code:     "DL4006",
	Name:     "missing-pipefail",
	Summary:  "Set `SHELL` with `-o pipefail` before a `RUN` with a pipe",
	Severity: lint.SeverityWarning,
	Origin:   lint.OriginHadolint,
	Status:   lint.StatusStable,
	Since:    "0.1.0",
	Docs: lint.Docs{
		What: "Reports a `RUN` whose shell script contains a pipe (`a | b`) when the stage's shell is not bash, zsh " +
			"or ash started with `-o pipefail` (set by `SHELL`, in the stage or a stage it is built FROM). Not " +
			"reported after a `SHELL` for a non-POSIX shell (pwsh, powershell, cmd), or when the script itself runs " +
			"`set -o pipefail` before its first pipe.",
		Why: "A pipeline's exit status is that of its last command: in `RUN curl -fsSL https://example.com/key | " +
			"gpg --dearmor -o /key.gpg`, a failed download still lets the step succeed, and the image is built " +
			"with a broken or empty file.",
		Fix: "Set the shell once per stage:\n\n```dockerfile\nSHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\n" +
			"RUN curl -fsSL https://example.com/key | gpg --dearmor -o /usr/share/keyrings/example.gpg\n```\n\n" +
			"On Alpine (busybox), use `SHELL [\"/bin/ash\", \"-eo\", \"pipefail\", \"-c\"]`.",
		Differences: "hadolint forgets the SHELL at every FROM; strata keeps it for a stage built FROM an earlier " +
			"stage, since Docker does too. A script that runs `set -o pipefail` (or `set -euo pipefail`) before its " +
			"first pipe is not reported.",
	},
	Examples: []lint.Example{
		{Title: "A pipe with /bin/sh", Dockerfile: "FROM debian:12\nRUN wget -O - https://some.site | wc -l > /number\n", Want: []string{"2:5"}},
		{Title: "pipefail set by SHELL", Dockerfile: "FROM debian:12\nSHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\nRUN wget -O - https://some.site | wc -l > /number\n"},
		{Title: "SHELL inherited from the parent stage", Dockerfile: "FROM debian:12 AS base\nSHELL [\"/bin/bash\", \"-eo\", \"pipefail\", \"-c\"]\nFROM base\nRUN wget -O - https://some.site | wc -l > /number\n"},
	},
	Check: func(p *lint.Pass) {
		type shellState struct{ pipefail, nonPOSIX bool }
		var cur shellState
		final := map[*lint.Stage]shellState{}
		for _, ins := range p.File.Instructions {
			switch ins.Kind {
			case "from":
				cur = shellState{}
				if st := ins.Stage; st != nil && st.Parent != nil {
					cur = final[st.Parent]
				}
			case "shell":
				if sh, ok := ins.Command.(*instructions.ShellCommand); ok {
					cur = shellState{pipefail: shellHasPipefail(sh.Shell), nonPOSIX: nonPOSIXShell(sh.Shell)}
				}
			case "run":
				if cur.pipefail || cur.nonPOSIX {
					break
				}
				if r, ok := unguardedPipe(ins); ok {
					p.Report(lint.Finding{
						At: ins, Range: r,
						Message: "the shell runs this pipeline without pipefail: only the last command's failure fails the build",
						Help:    `add SHELL ["/bin/bash", "-o", "pipefail", "-c"] before this RUN (on busybox: ["/bin/ash", "-eo", "pipefail", "-c"])`,
					})
				}
			}
			if ins.Stage != nil {
				final[ins.Stage] = cur
			}
		}
	},
})

// shellHasPipefail matches bash, zsh or ash (any directory) given -o
// pipefail.
func shellHasPipefail(argv []string) bool {
	if len(argv) == 0 {
		return false
	}
	switch path.Base(argv[0]) {
	case "bash", "zsh", "ash":
	default:
		return false
	}
	o, pipefail := false, false
	for _, a := range argv[1:] {
		if strings.HasPrefix(a, "-") && !strings.HasPrefix(a, "--") && strings.Contains(a, "o") {
			o = true
		}
		if a == "pipefail" {
			pipefail = true
		}
	}
	return o && pipefail
}

// nonPOSIXShell matches pwsh, powershell and cmd.
func nonPOSIXShell(argv []string) bool {
	if len(argv) == 0 {
		return false
	}
	name := strings.ToLower(argv[0])
	name = name[strings.LastIndexAny(name, `/\`)+1:]
	return strings.HasPrefix(name, "pwsh") || strings.HasPrefix(name, "powershell") || strings.HasPrefix(name, "cmd")
}

// unguardedPipe returns the range of the first pipeline of a RUN that is
// not preceded by set -o pipefail in the same script.
func unguardedPipe(ins *lint.Instruction) (lint.Range, bool) {
	s := ins.Script()
	if s == nil || s.Err != nil || s.Pipes == 0 {
		return lint.Range{}, false
	}
	var first, last *lint.Command
	for _, c := range s.Commands {
		if c.Pipeline == 0 {
			if first == nil && c.Is("set") && setsPipefail(c) {
				return lint.Range{}, false
			}
			continue
		}
		if first == nil {
			first = c
		}
		if c.Pipeline == first.Pipeline {
			last = c
		}
	}
	if first == nil {
		return lint.Range{}, false
	}
	return spanRange(first.Range(), last.Range()), true
}

// setsPipefail matches `set -o pipefail`, `set -euo pipefail` and friends.
func setsPipefail(c *lint.Command) bool {
	for i, a := range c.Args {
		if a.Value == "pipefail" && i > 0 {
			prev := c.Args[i-1].Value
			if strings.HasPrefix(prev, "-") && strings.HasSuffix(prev, "o") {
				return true
			}
		}
	}
	return false
}
