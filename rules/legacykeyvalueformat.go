package rules

import (
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"

	"github.com/strata-dev/strata/lint"
)

// LegacyKeyValueFormat reports `ENV key value` and `LABEL key value`.
var LegacyKeyValueFormat = register(&lint.Rule{
	Code:     "LegacyKeyValueFormat",
	Name:     "legacy-key-value-format",
	Summary:  "Write `ENV key=value` and `LABEL key=value`, not the legacy `key value` form",
	Severity: lint.SeverityWarning,
	Origin:   lint.OriginBuildKit,
	Status:   lint.StatusStable,
	Since:    "0.1.0",
	Fix:      lint.FixSafe,
	Docs: lint.Docs{
		What: "Reports an `ENV` or `LABEL` written in the legacy form, with a space between the key and the value " +
			"(`ENV PORT 8080`)." + bkStops,
		Why: "The legacy form sets exactly one variable, and the value is the rest of the line, spaces and all: " +
			"`ENV A 1 B 2` sets `A` to `1 B 2`. It is deprecated, and it reads like the modern form that sets several.",
		Fix: "Write `ENV PORT=8080`; quote a value with spaces, `ENV OPTS=\"-a -b\"`. The fix rewrites single-line " +
			"instructions whose value has no quotes or escapes.",
	},
	Examples: []lint.Example{
		{Title: "The legacy form", Dockerfile: "FROM alpine:3.20\nENV PORT 8080\n", Want: []string{"2:5"}},
		{Title: "key=value", Dockerfile: "FROM alpine:3.20\nENV PORT=8080 OPTS=\"-a -b\"\nLABEL org.opencontainers.image.title=demo\n"},
	},
	Check: checkBuildKit,
})

func (s *bkSim) legacyKeyValueFormat(c bkCmd, kind string, kv instructions.KeyValuePair) {
	modern := kv.Key + "=" + kv.Value
	if strings.ContainsAny(kv.Value, " \t") {
		modern = kv.Key + `="` + kv.Value + `"`
	}
	f := bkFinding{
		rule: "LegacyKeyValueFormat", ins: c.ins, rng: s.cmdRange(c, (*lint.Instruction).ArgsRange),
		msg:  kind + " " + kv.Key + " <value> is the legacy format: it sets one variable to the rest of the line" + s.triggerNote(c),
		help: "write " + kind + " " + kv.Key + "=<value>",
	}
	ins := c.src
	if !c.trigger && ins.StartLine == ins.EndLine && len(ins.Heredocs) == 0 &&
		!strings.ContainsAny(kv.Value, `"'`) && !strings.ContainsRune(kv.Value, s.f.Escape) {
		f.help = "write " + kind + " " + modern
		f.fix = &lint.Fix{Title: "write " + kind + " " + modern, Edits: []lint.Edit{{Range: ins.ArgsRange(), NewText: modern}}}
	}
	s.add(f, c.comments)
}
