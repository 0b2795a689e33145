package rules

import (
	"github.com/strata-dev/strata/lint"
)

// ST2004 reports COPY and ADD sources the build context does not have.
var ST2004 = register(&lint.Rule{
	Code:         "ST2004",
	Name:         "copy-source-missing",
	Summary:      "COPY and ADD sources must exist in the build context and not be excluded",
	Severity:     lint.SeverityError,
	Origin:       lint.OriginStrata,
	Status:       lint.StatusStable,
	Since:        "0.1.0",
	NeedsContext: true,
	Docs: lint.Docs{
		What: "Reports a local source of `COPY` or `ADD`, or the source of a `RUN --mount=type=bind`, that names a " +
			"path the build context does not have, or one its ignore file excludes where BuildKit's CopyIgnoredFile " +
			"stays silent (the ignore file has `!exceptions`). Sources with wildcards (which may match nothing), with " +
			"variables the Dockerfile gives no value, or reached through a symbolic link are not checked.",
		Why: "The build stops at that instruction with \"not found\" after everything before it has run: often a file " +
			"that is generated or ignored by Git (a build output, a secret kept out of the repository) and exists " +
			"only on one machine.",
		Fix: "Create the file in the build before copying it (in an earlier stage, `COPY --from`), fix the path (it is " +
			"relative to the context, not to the Dockerfile), or stop excluding it in `.dockerignore`.",
		Peers: "complements CopyIgnoredFile.",
	},
	Examples: []lint.Example{
		{
			Title:      "A file that is not there",
			Dockerfile: "FROM golang:1.23\nWORKDIR /src\nCOPY go.mod go.sum ./\n",
			Context:    map[string]string{"go.mod": "module x\n"},
			Want:       []string{"3:13"},
		},
		{
			Title:      "A bind mount of a missing script",
			Dockerfile: "FROM debian:12\nRUN --mount=type=cache,target=/var/cache/apt --mount=type=bind,source=gone.sh,target=/g.sh sh /g.sh\n",
			Context:    map[string]string{"setup.sh": "true\n"},
			Want:       []string{"2:64"},
		},
		{
			Title:      "Excluded, with exceptions in the ignore file",
			Dockerfile: "FROM alpine:3.20\nCOPY docs/ /docs/\n",
			Context:    map[string]string{".dockerignore": "*\n!src\n", "docs/a.md": "a\n", "src/a.c": "int x;\n"},
			Want:       []string{"2:6"},
		},
		{
			Title:      "A directory the ignore file's exceptions reach into",
			Dockerfile: "FROM python:3.12-slim\nCOPY app ./app\n",
			Context:    map[string]string{".dockerignore": "*\n!app/**/*.py\n", "app/main.py": "x\n", "app/notes.txt": "n\n"},
		},
		{
			Title:      "Sources named through quoted ARG and ENV values",
			Dockerfile: "FROM alpine:3.20\nARG F=\"app/a.txt\"\nCOPY $F /f\nENV D='app'\nCOPY ${D}/sub/b.txt /b\n",
			Context:    map[string]string{"app/a.txt": "a\n", "app/sub/b.txt": "b\n"},
		},
		{
			Title:      "Present, or optional by wildcard",
			Dockerfile: "FROM golang:1.23\nWORKDIR /src\nCOPY go.mod go.su[m] ./\n",
			Context:    map[string]string{"go.mod": "module x\n"},
		},
	},
	Check: func(p *lint.Pass) {
		v, ok := viewContext(p)
		if !ok {
			return
		}
		x := v.idx
		for k := range v.usage.Sources {
			s := &v.usage.Sources[k]
			if s.Unresolved || s.Wildcard || s.Path == "." || throughSymlink(x, s.Path) {
				continue
			}
			i, excluded := x.Locate(s.Path)
			kind := s.Ins.Keyword
			if s.Ins.Kind == "run" {
				kind = "bind mount"
			}
			switch {
			case i >= 0 && (!excluded || x.Sends(i)):
				continue
			case excluded || i < 0 && x.Ignore != nil && ignored(x, s.Path):
				if x.Ignore != nil && !x.Ignore.Matcher().Exclusions() && s.Ins.Kind != "run" {
					continue // CopyIgnoredFile reports it
				}
				why := ""
				if x.Ignore != nil {
					if pat := x.Ignore.Why(s.Path); pat != "" {
						why = " (pattern `" + pat + "`)"
					}
				}
				p.Report(lint.Finding{
					At: s.Ins, Range: s.Range,
					Message: kind + " source `" + s.Raw + "` is excluded by " + ignoreName(x) + why + ", so the builder never receives it",
					Help:    "stop excluding it in " + ignoreName(x) + ", or remove it from the " + kind,
				})
			default:
				p.Report(lint.Finding{
					At: s.Ins, Range: s.Range,
					Message: kind + " source `" + s.Raw + "` is not in the build context, so the build fails with \"not found\"",
					Help:    "paths are relative to the build context; create the file in an earlier stage and COPY --from it, or fix the path",
				})
			}
		}
	},
})

// ignored reports whether the ignore file excludes p.
func ignored(x *lint.ContextIndex, p string) bool {
	ok, err := x.Ignore.Excludes(p)
	return err == nil && ok
}
