package rules

import (
	"slices"
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/moby/buildkit/frontend/dockerfile/shell"

	"github.com/strata-dev/strata/lint"
)

// ST1013 reports DEBIAN_FRONTEND set with ENV.
var ST1013 = register(&lint.Rule{
	Code:     "ST1013",
	Name:     "debian-frontend-env",
	Summary:  "Set DEBIAN_FRONTEND with ARG or per RUN, not with ENV",
	Severity: lint.SeverityInfo,
	Origin:   lint.OriginStrata,
	Status:   lint.StatusStable,
	Since:    "0.1.0",
	Fix:      lint.FixUnsafe,
	Docs: lint.Docs{
		What: "Reports `ENV DEBIAN_FRONTEND=...` (other than the default, `dialog`) in a stage that reaches the image, " +
			"unless a later ENV of the stage, or of a stage built FROM it, sets it back to `dialog` or empty.",
		Why: "The variable only matters while apt installs packages during the build, but ENV bakes it into the " +
			"image's configuration: every container starts with it, and a person who runs `apt-get install` in one " +
			"gets no questions where they would expect them.",
		Fix: "Use `ARG DEBIAN_FRONTEND=noninteractive`, which RUN sees during the build and the image does not keep, or " +
			"set it for the one command: `RUN DEBIAN_FRONTEND=noninteractive apt-get install -y ...`. The fix turns " +
			"the ENV into an ARG when it sets nothing else; it is unsafe because stages built FROM this one, and " +
			"containers, no longer see the variable.",
	},
	Examples: []lint.Example{
		{Title: "ENV", Dockerfile: "FROM debian:12\nENV DEBIAN_FRONTEND=noninteractive\nRUN apt-get update\n", Want: []string{"2:5"},
			Fixed: "FROM debian:12\nARG DEBIAN_FRONTEND=noninteractive\nRUN apt-get update\n"},
		{Title: "ENV with a quoted value", Dockerfile: "FROM debian:12\nENV DEBIAN_FRONTEND=\"noninteractive\"\nRUN apt-get update\n", Want: []string{"2:5"},
			Fixed: "FROM debian:12\nARG DEBIAN_FRONTEND=\"noninteractive\"\nRUN apt-get update\n"},
		{Title: "ARG", Dockerfile: "FROM debian:12\nARG DEBIAN_FRONTEND=noninteractive\nRUN apt-get update\n"},
		{Title: "For one command", Dockerfile: "FROM debian:12\nRUN DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends tzdata\n"},
	},
	Check: func(p *lint.Pass) {
		for _, ins := range p.File.Instructions {
			env, ok := ins.Command.(*instructions.EnvCommand)
			if !ok || !stageKept(p.File, ins) {
				continue
			}
			for _, kv := range env.Env {
				if kv.Key != "DEBIAN_FRONTEND" || !persistentFrontend(kv.Value) || frontendResetLater(p.File, ins) {
					continue
				}
				// kv.Value is the text as written: "noninteractive" keeps
				// its quotes, which ARG reads the same way.
				value, written := kv.Value, kv.Value
				if v, _, err := shell.NewLex(p.File.Escape).ProcessWord(kv.Value, lint.ShellEnv{}); err == nil {
					value = v
				}
				if !strings.HasPrefix(written, `"`) && !strings.HasPrefix(written, "'") {
					written = quoteIfNeeded(written)
				}
				var fix *lint.Fix
				if len(env.Env) == 1 && strings.TrimSpace(kv.Value) != "" {
					fix = &lint.Fix{Title: "set it with ARG", Edits: []lint.Edit{{
						Range:   ins.Range(),
						NewText: matchCase("ARG", ins.Keyword) + " DEBIAN_FRONTEND=" + written,
					}}}
				}
				r := ins.ArgsRange()
				for _, a := range ins.Args {
					if strings.HasPrefix(a.Value, "DEBIAN_FRONTEND") {
						r = a.Range
						break
					}
				}
				p.Report(lint.Finding{
					At: ins, Range: r,
					Message: "ENV keeps DEBIAN_FRONTEND=" + value + " in the image, where it affects every container, not only the build",
					Help:    "use ARG DEBIAN_FRONTEND=" + written + " (seen by RUN, not kept), or set it on the RUN that needs it",
					Fix:     fix,
				})
			}
		}
	},
})

// persistentFrontend reports whether a DEBIAN_FRONTEND value changes how
// apt behaves in a container: dialog is the default, and empty unsets it.
func persistentFrontend(v string) bool {
	v = strings.Trim(v, `"'`)
	return v != "" && v != "dialog"
}

// frontendResetLater reports whether a later ENV of the stage, or of a stage
// built FROM it, sets DEBIAN_FRONTEND back to the default.
func frontendResetLater(f *lint.File, at *lint.Instruction) bool {
	after := false
	for _, ins := range f.Instructions {
		if ins == at {
			after = true
			continue
		}
		env, ok := ins.Command.(*instructions.EnvCommand)
		if !after || !ok || ins.Stage == nil || at.Stage == nil || !slices.Contains(ins.Stage.Ancestors(), at.Stage) {
			continue
		}
		for _, kv := range env.Env {
			if kv.Key == "DEBIAN_FRONTEND" && !persistentFrontend(kv.Value) {
				return true
			}
		}
	}
	return false
}

func quoteIfNeeded(v string) string {
	if strings.ContainsAny(v, " \t\"'$") {
		return `"` + strings.ReplaceAll(v, `"`, `\"`) + `"`
	}
	return v
}
