package rules

import (
	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/strata-dev/strata/lint"
)

// DL3044 reports an ENV pair that refers to a variable another pair of the
// same ENV defines.
var DL3044 = register(&lint.Rule{
	Code:     "DL3044",
	Name:     "env-self-reference",
	Summary:  "Do not refer to a variable in the same `ENV` that defines it",
	Severity: lint.SeverityError,
	Origin:   lint.OriginHadolint,
	Status:   lint.StatusStable,
	Since:    "0.1.0",
	Docs: lint.Docs{
		What: "Reports an `ENV` with several pairs where one pair's value refers (`$NAME` or `${NAME}`) to a " +
			"variable that another pair of the same `ENV` defines, unless an earlier `ENV` or `ARG` already defined " +
			"it. A pair that refers to itself (`ENV PATH=/opt/bin:$PATH`) is fine.",
		Why: "All values of one `ENV` are expanded before any of its pairs is set, so `ENV A=1 B=$A` sets `B` to " +
			"the *previous* value of `A` (usually empty), not to `1`: the image silently gets a different value than " +
			"the Dockerfile suggests.",
		Differences: "hadolint recognises only `$NAME` and `${NAME}`; strata also reads `${NAME:-default}` and the " +
			"other modifiers, which Docker expands from the old value too, and skips single-quoted and escaped " +
			"references, which Docker does not expand.",
		Fix: "Split the instruction so the variable is set before it is used:\n\n```dockerfile\nENV APP_HOME=/opt/app\n" +
			"ENV PATH=$APP_HOME/bin:$PATH\n```",
	},
	Examples: []lint.Example{
		{Title: "Used in the same ENV", Dockerfile: "FROM alpine:3.20\nENV BLA=\"blubb\" BLUBB=\"${BLA}/blubb\"\n", Want: []string{"2:24"}},
		{Title: "Defined by an earlier ENV", Dockerfile: "FROM alpine:3.20\nENV BLA=\"blubb\"\nENV BLUBB=\"${BLA}/blubb\" PATH=/opt/bin:${PATH}\n"},
	},
	Check: func(p *lint.Pass) {
		defined := map[string]bool{}
		for _, ins := range p.File.Instructions {
			switch c := ins.Command.(type) {
			case *instructions.ArgCommand:
				for _, kv := range c.Args {
					defined[kv.Key] = true
				}
			case *instructions.EnvCommand:
				checkEnvSelfReference(p, ins, defined)
				for _, kv := range c.Env {
					defined[kv.Key] = true
				}
			}
		}
	},
})

func checkEnvSelfReference(p *lint.Pass, ins *lint.Instruction, defined map[string]bool) {
	if len(ins.Args) < 2 {
		return
	}
	pairs := keyValues(ins)
	if len(pairs) < 2 {
		return
	}
	for i, def := range pairs {
		if defined[def.Key] || def.Key == "" {
			continue
		}
		for j := range pairs {
			if j == i || j >= len(ins.Args) {
				continue
			}
			a := ins.Args[j]
			s, e := findVarRefQuoted(a.Value, def.Key, ins.File.Escape)
			if s < 0 {
				continue
			}
			p.Report(lint.Finding{
				At: ins, Range: subRange(ins.File.Source, a.Range, a.Value, s, e),
				Message: "`" + pairs[j].Key + "` refers to `" + def.Key + "`, which this same ENV sets: the value used is " +
					"the one from before this instruction, not `" + def.Value + "`",
				Help: "set " + def.Key + " in an earlier ENV, then use it",
			})
			return // one per ENV, as hadolint
		}
	}
}
