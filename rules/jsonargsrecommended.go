package rules

import (
	"strconv"
	"strings"

	"github.com/strata-dev/strata/lint"
)

// JSONArgsRecommended reports CMD and ENTRYPOINT in shell form.
var JSONArgsRecommended = register(&lint.Rule{
	Code:     "JSONArgsRecommended",
	Name:     "json-args-recommended",
	Summary:  "Write CMD and ENTRYPOINT in exec (JSON) form so the process receives signals",
	Severity: lint.SeverityWarning,
	Origin:   lint.OriginBuildKit,
	Status:   lint.StatusStable,
	Since:    "0.1.0",
	Fix:      lint.FixUnsafe,
	Docs: lint.Docs{
		What: "Reports `CMD` and `ENTRYPOINT` in shell form (`CMD node server.js`) in a stage where no `SHELL` " +
			"instruction (in the stage or a stage it is built `FROM`) has set the shell explicitly." + bkStops,
		Why: "Shell form runs the command as `/bin/sh -c \"...\"`: the shell is PID 1 and does not forward signals, " +
			"so `docker stop` waits its 10 seconds and kills the process instead of letting it shut down cleanly.",
		Fix: "Use the exec form, `CMD [\"node\", \"server.js\"]`. When the command needs the shell (variables, `&&`, " +
			"pipes), use a wrapper script that ends with `exec`, or `CMD [\"sh\", \"-c\", \"exec node server.js\"]`. " +
			"For a simple command the fix writes the exec form; it is unsafe because the command no longer runs " +
			"through a shell.",
		Peers: "hadolint DL3025.",
	},
	Examples: []lint.Example{
		{Title: "Shell form", Dockerfile: "FROM node:22\nCMD node server.js\n", Want: []string{"2:5"}},
		{Title: "Exec form", Dockerfile: "FROM node:22\nCMD [\"node\", \"server.js\"]\n"},
		{Title: "An explicit SHELL", Dockerfile: "FROM mcr.microsoft.com/powershell:7.4\nSHELL [\"pwsh\", \"-Command\"]\nCMD Write-Host hello\n"},
	},
	Check: checkBuildKit,
})

func (s *bkSim) jsonArgsRecommended(c bkCmd, cmdline []string) {
	kind := strings.ToUpper(c.src.Kind)
	f := bkFinding{
		rule: "JSONArgsRecommended", ins: c.ins, rng: s.cmdRange(c, (*lint.Instruction).ArgsRange),
		msg:  kind + " in shell form runs under /bin/sh -c, which does not pass signals such as SIGTERM on to the process" + s.triggerNote(c),
		help: "use the exec form: " + kind + ` ["executable", "arg", ...]`,
	}
	if len(cmdline) == 1 && !c.trigger {
		if words, ok := plainWords(cmdline[0]); ok {
			exec := kind + " " + jsonArray(words)
			f.help = "use the exec form: " + exec
			f.fix = &lint.Fix{Title: "write " + exec, Edits: []lint.Edit{{Range: c.src.Range(), NewText: exec}}}
		}
	}
	s.add(f, c.comments)
}

// plainWords splits a shell command that uses no shell feature at all
// (quoting, variables, operators, globs) into its words.
func plainWords(cmd string) ([]string, bool) {
	if strings.ContainsAny(cmd, "$`'\"\\|&;<>()*?[]{}~#=\n") {
		return nil, false
	}
	words := strings.Fields(cmd)
	return words, len(words) > 0
}

func jsonArray(words []string) string {
	q := make([]string, len(words))
	for i, w := range words {
		q[i] = strconv.Quote(w)
	}
	return "[" + strings.Join(q, ", ") + "]"
}
