package rules

import (
	"strings"

	"github.com/strata-dev/strata/lint"
)

// defaultContextBudget is the oversized-context budget when the
// configuration sets none (context-budget).
const defaultContextBudget = 100 * 1000 * 1000

// ST2001 reports a build that sends more of its context than the budget.
var ST2001 = register(&lint.Rule{
	Code:         "ST2001",
	Name:         "context-too-large",
	Summary:      "Keep what the build sends from its context under the budget (100 MB by default)",
	Severity:     lint.SeverityWarning,
	Origin:       lint.OriginStrata,
	Status:       lint.StatusStable,
	Since:        "0.1.0",
	NeedsContext: true,
	Docs: lint.Docs{
		What: "Reports a Dockerfile whose `COPY`, `ADD` and bind mounts take more from the build context than the " +
			"budget: 100 MB, or `context-budget` in the configuration (`context-budget: 500MB`). The size is what " +
			"BuildKit transfers, after the ignore file and only the paths the instructions name; the message names " +
			"the largest parts. The classic builder sends the whole context: `strata context` shows both.",
		Why: "Every byte the build sends is read, hashed and transferred before the first instruction runs, on every " +
			"build, and most of it usually ends up in the image. Large contexts are nearly always data sets, build " +
			"output, dependencies or VCS history that the image does not need.",
		Fix: "List what the image does not need in `.dockerignore` (see `strata context` for what is sent and what no " +
			"instruction uses), or copy only the directories the image needs instead of the whole context.",
	},
	Examples: []lint.Example{
		{
			Title:      "Over a 1 kB budget",
			Dockerfile: "FROM alpine:3.20\nCOPY . /app\n",
			Config:     "context-budget: 1kB\n",
			Context:    map[string]string{"data/dump.sql": strings.Repeat("x", 2000), "main.sh": "echo\n"},
			Want:       []string{"2:6"},
		},
		{
			Title:      "Under the budget",
			Dockerfile: "FROM alpine:3.20\nCOPY . /app\n",
			Context:    map[string]string{"main.sh": "echo\n"},
		},
	},
	Check: func(p *lint.Pass) {
		v, ok := viewContext(p)
		if !ok {
			return
		}
		budget := p.Settings.ContextBudget
		if budget <= 0 {
			budget = defaultContextBudget
		}
		if v.usage.Bytes <= budget {
			return
		}
		var top *lint.ContextSource
		var topBytes int64 = -1
		for k := range v.usage.Sources {
			s := &v.usage.Sources[k]
			if _, b, ok := sourceSize(v.idx, s, ""); ok && b > topBytes {
				top, topBytes = s, b
			}
		}
		if top == nil {
			return
		}
		msg := "the build sends " + sizeAndCount(v.usage.Files, v.usage.Bytes) + " from its context, over the budget of " +
			lint.FormatSize(budget)
		if parts := v.largest(3); len(parts) > 0 {
			msg += "; largest: " + strings.Join(parts, ", ")
		}
		p.Report(lint.Finding{
			At: top.Ins, Range: top.Range, Message: msg,
			Help: "exclude what the image does not need in " + ignoreName(v.idx) + " (strata context shows what is sent), or copy only what it needs",
		})
	},
})
