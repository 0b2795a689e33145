package rules

import (
	"strings"

	"github.com/strata-dev/strata/lint"
)

// DL3021 reports COPY of several sources to a destination without a
// trailing slash.
var DL3021 = register(&lint.Rule{
	Code:     "DL3021",
	Name:     "copy-multiple-sources-dest",
	Summary:  "COPY with more than one source needs a destination ending in /",
	Severity: lint.SeverityError,
	Origin:   lint.OriginHadolint,
	Status:   lint.StatusStable,
	Since:    "0.1.0",
	Fix:      lint.FixSafe,
	Docs: lint.Docs{
		What: "Reports a `COPY` with two or more sources whose destination does not end with `/`.",
		Why: "With several sources the destination must be a directory, and the trailing slash is what says so. " +
			"The legacy builder rejects the instruction (\"When using COPY with more than one source file, the " +
			"destination must be a directory and end with a /\"); BuildKit copies every source to that path, so " +
			"unless it already exists as a directory the files overwrite one another and only the last one is kept.",
		Fix: "Add the slash: `COPY package.json package-lock.json /usr/src/app/`. The fix does that; it is safe.",
		Differences: "A destination ending with a backslash (`C:\\app\\`) is accepted: on Windows it marks a directory " +
			"as well, and Docker accepts it; hadolint requires `/`.",
	},
	Examples: []lint.Example{
		{Title: "No trailing slash", Dockerfile: "FROM node:22\nCOPY package.json package-lock.json /usr/src/app\n", Want: []string{"2:37"},
			Fixed: "FROM node:22\nCOPY package.json package-lock.json /usr/src/app/\n"},
		{Title: "A directory destination", Dockerfile: "FROM node:22\nCOPY package.json package-lock.json /usr/src/app/\nCOPY server.js /usr/src/app/index.js\n"},
	},
	Check: func(p *lint.Pass) {
		for _, ins := range p.File.Instructions {
			if ins.Kind != "copy" || len(ins.Args) < 3 {
				continue
			}
			dest := ins.Args[len(ins.Args)-1]
			v := dropQuotes(dest.Value)
			if v != "" && (strings.HasSuffix(v, "/") || strings.HasSuffix(v, `\`)) {
				continue // a trailing \ marks a directory on Windows
			}
			p.Report(lint.Finding{
				At: ins, Range: dest.Range,
				Message: "COPY of " + itoa(len(ins.Args)-1) + " sources to `" + v + "`, which does not end with /: unless it is an existing directory the sources overwrite one another (the legacy builder refuses it)",
				Help:    "end the destination with /: " + v + "/",
				Fix:     &lint.Fix{Title: "add a trailing /", Edits: []lint.Edit{appendInside(p.File.Source, dest.Range, "/")}},
			})
		}
	},
})

// appendInside inserts text at the end of a word, inside its closing quote
// if it has one.
func appendInside(src *lint.Source, r lint.Range, text string) lint.Edit {
	end := r.End.Offset
	if end > r.Start.Offset && end <= len(src.Data) && (src.Data[end-1] == '"' || src.Data[end-1] == '\'') {
		end--
	}
	pos := src.Pos(end)
	return lint.Edit{Range: lint.Range{Start: pos, End: pos}, NewText: text}
}
