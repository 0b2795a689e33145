package rules

import (
	"encoding/json"
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/strata-dev/strata/lint"
)

// DL3025 reports CMD, ENTRYPOINT and HEALTHCHECK CMD in shell form.
var DL3025 = register(&lint.Rule{
	Code:     "DL3025",
	Name:     "shell-form-cmd",
	Summary:  "Use the JSON (exec) form for CMD and ENTRYPOINT",
	Severity: lint.SeverityWarning,
	Origin:   lint.OriginHadolint,
	Status:   lint.StatusStable,
	Since:    "0.1.0",
	Fix:      lint.FixUnsafe,
	Docs: lint.Docs{
		What: "Reports `CMD`, `ENTRYPOINT` and `HEALTHCHECK CMD` written in shell form (`CMD node server.js`) " +
			"instead of the JSON exec form (`CMD [\"node\", \"server.js\"]`).",
		Why: "The shell form runs `/bin/sh -c \"...\"`: the shell, not your program, is PID 1, so `docker stop` " +
			"sends SIGTERM to a shell that does not forward it, and the container is killed after the grace period " +
			"without a clean shutdown. A shell-form ENTRYPOINT also ignores CMD and `docker run` arguments, and " +
			"every shell form needs `/bin/sh` in the image, which distroless and scratch images lack.",
		Fix: "Write the exec form: `CMD [\"node\", \"server.js\"]`. If you need shell features, make that explicit " +
			"and hand over to the program with exec: `CMD [\"/bin/sh\", \"-c\", \"exec node server.js --port $PORT\"]`. " +
			"The fix rewrites commands made of plain words only; it is unsafe because no shell runs any more " +
			"(a shell-form ENTRYPOINT starts accepting CMD arguments, for instance).",
	},
	Examples: []lint.Example{
		{Title: "Shell form", Dockerfile: "FROM node:22\nCMD node server.js\n", Want: []string{"2:5"},
			Fixed: "FROM node:22\nCMD [\"node\", \"server.js\"]\n"},
		{Title: "Exec form", Dockerfile: "FROM node:22\nENTRYPOINT [\"node\"]\nCMD [\"server.js\"]\nHEALTHCHECK CMD [\"node\", \"healthcheck.js\"]\n"},
	},
	Check: func(p *lint.Pass) {
		for _, ins := range p.File.Instructions {
			var words []lint.Arg
			switch c := ins.Command.(type) {
			case *instructions.CmdCommand:
				if !c.PrependShell || len(ins.Args) == 0 {
					continue
				}
				words = ins.Args
			case *instructions.EntrypointCommand:
				if !c.PrependShell || len(ins.Args) == 0 {
					continue
				}
				words = ins.Args
			case *instructions.HealthCheckCommand:
				if c.Health == nil || len(c.Health.Test) == 0 || c.Health.Test[0] != "CMD-SHELL" {
					continue
				}
				for i, a := range ins.Args {
					if strings.EqualFold(a.Value, "CMD") {
						words = ins.Args[i+1:]
						break
					}
				}
				if len(words) == 0 {
					continue
				}
			default:
				continue
			}
			what := strings.ToUpper(ins.Kind)
			if ins.Kind == "healthcheck" {
				what = "HEALTHCHECK CMD"
			}
			r := span(words[0].Range, words[len(words)-1].Range)
			f := lint.Finding{At: ins, Range: r}
			sh := runShell(ins)
			switch ins.Kind {
			case "healthcheck":
				f.Message = "HEALTHCHECK CMD in shell form runs through `" + sh + "`, which the image must contain"
			case "entrypoint":
				f.Message = "ENTRYPOINT in shell form runs under `" + sh + "`: the shell is PID 1 and does not pass on docker stop's SIGTERM, and CMD and docker run arguments are ignored"
			default:
				f.Message = "CMD in shell form runs under `" + sh + "`: the shell is PID 1 and does not pass on docker stop's SIGTERM"
			}
			if exec, ok := execForm(words); ok {
				f.Help = "use the exec form: " + what + " " + exec
				f.Fix = &lint.Fix{Title: "use the exec form", Kind: lint.FixUnsafe, Edits: []lint.Edit{{Range: r, NewText: exec}}}
			} else {
				f.Help = "use the exec form, " + what + ` ["program", "arg"]; if you need the shell, write ["/bin/sh", "-c", "exec ..."]`
			}
			p.Report(f)
		}
	},
})

// execForm renders shell-form words as a JSON array when they are plain
// words the shell would pass through unchanged.
func execForm(words []lint.Arg) (string, bool) {
	if strings.Contains(words[0].Value, "=") || shellBuiltins[words[0].Value] {
		return "", false // an assignment or a builtin needs the shell
	}
	var parts []string
	for _, w := range words {
		if w.Value == "" || strings.Trim(w.Value, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_./:=,@%+-") != "" {
			return "", false
		}
		b, _ := json.Marshal(w.Value)
		parts = append(parts, string(b))
	}
	return "[" + strings.Join(parts, ", ") + "]", true
}

// shellBuiltins have no executable to run without a shell.
var shellBuiltins = map[string]bool{
	"exec": true, "cd": true, "export": true, "set": true, "source": true, ".": true, "eval": true,
	"trap": true, "ulimit": true, "umask": true, "unset": true, "wait": true, "exit": true,
	"if": true, "for": true, "while": true, "until": true, "case": true, "{": true, "!": true,
}
