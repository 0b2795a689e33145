package rules

import (
	"github.com/strata-dev/strata/internal/lazyre"
	"path"
	"strings"

	"github.com/strata-dev/strata/lint"
)

// ST1011 reports stages the final stage does not need.
var ST1011 = register(&lint.Rule{
	Code:     "ST1011",
	Name:     "unused-stage",
	Summary:  "Remove stages that the final stage does not need, or build them with --target",
	Severity: lint.SeverityInfo,
	Origin:   lint.OriginStrata,
	Status:   lint.StatusStable,
	Since:    "0.1.0",
	Docs: lint.Docs{
		What: "Reports a stage that nothing uses: no stage is built FROM it, copies from it (`COPY --from`) or mounts it " +
			"(`RUN --mount=from=`), and the last stage (the default target) does not need it. Because a named stage " +
			"may be built on its own with `--target`, a named stage is reported only when its name says it is an " +
			"intermediate step (`build`, `builder`, `deps`, `base`, `assets`, `compile`, `install`, `download`, ...); an " +
			"unnamed stage cannot be a target and is always reported. References through variables " +
			"(`FROM base-${TARGETARCH}`) count for every stage whose name they can match. A stage used only by stages that " +
			"are reported themselves (`deps`, used only by an unused `builder`) is reported too.",
		Why: "BuildKit skips such a stage when it builds the default target, so it costs nothing there, but the classic " +
			"builder builds every stage, for nothing. More often the stage is a leftover, or a `COPY --from` names the " +
			"wrong stage.",
		Fix: "Delete the stage, or fix the `COPY --from` that should use it.",
	},
	Examples: []lint.Example{
		{Title: "A leftover stage", Dockerfile: "FROM node:22 AS assets\nRUN npm ci && npm run build\nFROM golang:1.23 AS build\nRUN go build -o /app .\nFROM scratch\nCOPY --from=build /app /app\n", Want: []string{"1:17"}},
		{Title: "A stage used only by an unused one", Dockerfile: "FROM node:22 AS deps\nRUN npm ci\nFROM deps AS builder\nRUN npm run build\nFROM nginx:1.27\nCOPY dist /usr/share/nginx/html\n", Want: []string{"1:17", "3:14"}},
		{Title: "Every stage used", Dockerfile: "FROM golang:1.23 AS build\nRUN go build -o /app .\nFROM build AS test\nRUN go test ./...\nFROM scratch\nCOPY --from=build /app /app\n"},
		{Title: "A target of its own", Dockerfile: "FROM golang:1.23 AS build\nRUN go build -o /app .\nFROM build AS test\nRUN go test ./...\nFROM scratch AS final\nCOPY --from=build /app /app\n"},
		{Title: "Chosen through a variable", Dockerfile: "ARG TARGETARCH\nFROM alpine:3.20 AS base-amd64\nFROM alpine:3.20 AS base-arm64\nFROM base-${TARGETARCH}\n"},
	},
	Check: func(p *lint.Pass) {
		f := p.File
		if len(f.Stages) < 2 {
			return
		}
		refs := stageGraph(f)
		needed := make([]bool, len(f.Stages))
		var need func(i int)
		need = func(i int) {
			if needed[i] {
				return
			}
			needed[i] = true
			for _, d := range refs[i] {
				need(d)
			}
		}
		// The final stage and every stage that may be a target of its own
		// (a named stage whose name is not an intermediate step's) are
		// roots: what they need is used. A stage used only by stages
		// nothing needs (deps, used by an unused builder) is not.
		need(len(f.Stages) - 1)
		for _, s := range f.Stages {
			if s.Name != "" && !intermediateName(s.Name) {
				need(s.Index)
			}
		}
		for _, s := range f.Stages {
			if needed[s.Index] {
				continue
			}
			var users []string
			for i, deps := range refs {
				for _, d := range deps {
					if d == s.Index {
						users = append(users, stageLabel(f.Stages[i]))
						break
					}
				}
			}
			msg := stageLabel(s) + " is not used by any other stage nor is it the final one: BuildKit skips it, and the classic builder builds it for nothing"
			if len(users) > 0 {
				msg = stageLabel(s) + " is used only by " + strings.Join(users, ", ") + ", which nothing needs: BuildKit skips them, and the classic builder builds them for nothing"
			}
			r := imageArgRange(s)
			if len(s.From.Args) >= 3 {
				r = s.From.Args[2].Range
			}
			p.Report(lint.Finding{
				At: s.From, Range: r,
				Message: msg,
				Help:    "delete it, or copy from it where that was intended",
			})
		}
	},
})

// stageGraph lists, for each stage, the earlier stages it needs: its
// parent, the stages it copies from or mounts. A reference through a
// variable needs every stage whose name it can match.
func stageGraph(f *lint.File) [][]int {
	out := make([][]int, len(f.Stages))
	add := func(s *lint.Stage, ref string) {
		if strings.Contains(ref, "$") {
			glob := varRef().ReplaceAllString(strings.ToLower(ref), "*")
			for _, o := range f.Stages[:s.Index] {
				if ok, _ := path.Match(glob, o.Name); ok && o.Name != "" {
					out[s.Index] = append(out[s.Index], o.Index)
				}
			}
			return
		}
		if dep := stageByRef(f, ref, s.Index); dep != nil && dep != s {
			out[s.Index] = append(out[s.Index], dep.Index)
		}
	}
	for _, s := range f.Stages {
		if s.Parent != nil {
			out[s.Index] = append(out[s.Index], s.Parent.Index)
		} else if strings.Contains(s.Base, "$") {
			add(s, s.Base)
		}
		for _, ins := range s.Instructions {
			for _, ref := range stageRefs(ins) {
				add(s, ref)
			}
		}
	}
	return out
}

var varRef = lazyre.New(`\$\{[^}]*\}|\$[A-Za-z_][A-Za-z0-9_]*`)

// intermediateName reports whether a stage name says the stage is a step
// towards another rather than a build target of its own.
func intermediateName(name string) bool {
	for _, part := range strings.FieldsFunc(strings.ToLower(name), func(r rune) bool { return r == '-' || r == '_' || r == '.' }) {
		switch part {
		case "build", "builder", "building", "deps", "dependencies", "base", "assets", "compile", "compiler", "install",
			"installer", "download", "downloader", "fetch", "fetcher", "vendor", "modules", "prepare", "setup", "cache",
			"stage", "tmp", "temp", "intermediate", "src", "source", "sources":
			return true
		}
	}
	return false
}
