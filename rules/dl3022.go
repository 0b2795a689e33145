package rules

import (
	"strconv"
	"strings"

	"github.com/strata-dev/strata/lint"
)

// DL3022 reports COPY --from naming no earlier stage.
var DL3022 = register(&lint.Rule{
	Code:     "DL3022",
	Name:     "copy-from-unknown-stage",
	Summary:  "`COPY --from` should reference a previously defined stage",
	Severity: lint.SeverityWarning,
	Origin:   lint.OriginHadolint,
	Status:   lint.StatusStable,
	Since:    "0.1.0",
	Docs: lint.Docs{
		What: "Reports `COPY --from=NAME` when NAME is neither the name of a stage defined above, nor the index of " +
			"one (`--from=0`), nor an image reference with a tag or registry port (`--from=nginx:1.27`).",
		Why: "When `--from` names no stage, BuildKit pulls an image of that name instead: a typo in a stage name " +
			"turns into a pull of some Docker Hub image (or a failed build), and a stage defined further down " +
			"cannot be copied from.",
		Fix: "Use the name of a stage defined above (`FROM golang:1.23 AS build` ... `COPY --from=build ...`), or a " +
			"full image reference with a tag: `COPY --from=nginx:1.27 /etc/nginx/nginx.conf /etc/nginx/`.",
		Differences: "Stage names are compared without regard to case, as BuildKit does (`AS Build` ... " +
			"`--from=build` is the same stage); hadolint compares them exactly.",
	},
	Examples: []lint.Example{
		{Title: "A misspelt stage", Dockerfile: "FROM golang:1.23 AS build\nRUN go build -o /app .\nFROM debian:12\nCOPY --from=biuld /app /app\n", Want: []string{"4:6"}},
		{Title: "A stage, an index and an image", Dockerfile: "FROM golang:1.23 AS build\nRUN go build -o /app .\nFROM debian:12\n" +
			"COPY --from=build /app /app\nCOPY --from=0 /app /app2\nCOPY --from=nginx:1.27 /etc/nginx/nginx.conf /etc/nginx/\n"},
	},
	Check: func(p *lint.Pass) {
		stages := 0
		for _, ins := range p.File.Instructions {
			if ins.Kind == "from" {
				stages++
				continue
			}
			if ins.Kind != "copy" {
				continue
			}
			fl, ok := ins.Flag("from")
			if !ok || strings.Contains(dropQuotes(fl.Value), ":") || isStageName(p.File, fl.Value, stages) {
				continue
			}
			if n, ok := leadingNumber(fl.Value); ok && n < stages {
				continue
			}
			p.Report(unknownStageFinding(p.File, ins, fl))
		}
	},
})

// leadingNumber reads the decimal number a string starts with, as
// Haskell's Data.Text.Read.decimal does.
func leadingNumber(s string) (int, bool) {
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	if i == 0 || i > 9 {
		return 0, false
	}
	n, err := strconv.Atoi(s[:i])
	return n, err == nil
}

// unknownStageFinding explains what a --from that names no earlier stage
// does, depending on what it looks like.
func unknownStageFinding(f *lint.File, ins *lint.Instruction, fl lint.Flag) lint.Finding {
	v := fl.Value
	out := lint.Finding{At: ins, Range: fl.Range}
	switch later := f.StageByName(v); {
	case v == "":
		out.Message = "COPY --from has no value"
		out.Help = "write --from=<stage or image>, with the ="
	case later != nil:
		out.Message = "COPY --from=" + v + " names a stage defined later, on line " + itoa(later.From.StartLine) + ": a stage can only copy from stages above it"
		out.Help = "move stage " + later.Name + " above this one"
	case strings.Contains(v, "$"):
		out.Message = "COPY --from=" + v + " uses a variable, which BuildKit does not expand in --from"
		out.Help = "declare a stage from it (FROM " + v + " AS src, with a global ARG) and copy --from=src"
	case strings.Contains(v, "/"):
		out.Message = "COPY --from=" + v + " is an image without a tag: it copies from whatever " + v + ":latest is at build time"
		out.Help = "pin a tag (" + v + ":<tag>, ideally with its @sha256 digest), or use the name of an earlier stage"
	default:
		out.Message = "COPY --from=" + v + " names no stage defined above, so BuildKit will pull an image called " + v + " instead"
		out.Help = "use the name of an earlier stage, or a full image reference with a tag (" + v + ":<tag>)"
	}
	return out
}
