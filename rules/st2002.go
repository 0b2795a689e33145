package rules

import (
	"github.com/strata-dev/strata/lint"
)

// ST2002 reports version control and dependency directories the build
// sends and copies.
var ST2002 = register(&lint.Rule{
	Code:         "ST2002",
	Name:         "vcs-or-dependencies-sent",
	Summary:      "Keep .git, node_modules, vendor, target, __pycache__ and virtualenvs out of the build context",
	Severity:     lint.SeverityWarning,
	Origin:       lint.OriginStrata,
	Status:       lint.StatusStable,
	Since:        "0.1.0",
	NeedsContext: true,
	Docs: lint.Docs{
		What: "Reports, once per kind, directories of the build context that a `COPY`, `ADD` or bind mount takes and the " +
			"ignore file does not exclude: version control (`.git`, `.hg`, `.svn`), `node_modules`, `vendor` beside a " +
			"`composer.json` or `Gemfile` (not Go's, which builds use), `target` beside a `Cargo.toml` or `pom.xml`, " +
			"`__pycache__`, and Python virtualenvs (a directory holding `pyvenv.cfg`). The message gives their size.",
		Why: "They belong to the machine that built them, not to the image: VCS history is often larger than the " +
			"source and may hold removed secrets; dependencies and compiled output built for the host's platform " +
			"overwrite or shadow what the image installs, and make every build send and store them again.",
		Fix: "Exclude them in `.dockerignore` (`.git`, `**/node_modules`, `**/__pycache__`, `.venv`, `target`) and let " +
			"the Dockerfile install dependencies itself.",
	},
	Examples: []lint.Example{
		{
			Title:      "node_modules copied",
			Dockerfile: "FROM node:22-slim\nWORKDIR /app\nCOPY . .\nRUN npm ci --omit=dev\n",
			Context:    map[string]string{"package.json": "{}", "node_modules/left-pad/index.js": "module.exports = 1\n"},
			Want:       []string{"3:6"},
		},
		{
			Title:      "Excluded",
			Dockerfile: "FROM node:22-slim\nWORKDIR /app\nCOPY . .\nRUN npm ci --omit=dev\n",
			Context:    map[string]string{".dockerignore": "node_modules\n", "package.json": "{}", "node_modules/left-pad/index.js": "1\n"},
		},
		{
			Title:      "Go's vendor directory",
			Dockerfile: "FROM golang:1.23 AS build\nCOPY . /src\nRUN cd /src && go build -mod=vendor -o /app .\n",
			Context:    map[string]string{"go.mod": "module x\n", "vendor/modules.txt": "# x\n"},
		},
	},
	Check: func(p *lint.Pass) {
		v, ok := viewContext(p)
		if !ok {
			return
		}
		x := v.idx
		type group struct {
			kind, pattern string
			dirs          []int
			files         int
			bytes         int64
		}
		var groups []*group
		byKind := map[string]*group{}
		for i := 0; i < len(x.Entries); i++ {
			e := &x.Entries[i]
			if !e.IsDir() || !v.usage.Used[i] || e.Files == 0 {
				continue
			}
			k, pattern := x.Clutter(i)
			if !st2002Kinds[k] {
				continue
			}
			kind := string(k)
			g := byKind[kind]
			if g == nil {
				g = &group{kind: kind, pattern: pattern}
				byKind[kind] = g
				groups = append(groups, g)
			}
			g.dirs = append(g.dirs, i)
			g.files += e.Files
			g.bytes += e.Size
			i = x.End(i) - 1
		}
		for _, g := range groups {
			first := x.Entries[g.dirs[0]].Path
			src := v.usage.SourceFor(g.dirs[0])
			if src == nil {
				continue
			}
			what := "`" + first + "`"
			if len(g.dirs) > 1 {
				what = itoa(len(g.dirs)) + " " + g.kind + " directories (`" + first + "`, ...)"
			}
			p.Report(lint.Finding{
				At: src.Ins, Range: src.Range,
				Message: what + ", " + sizeAndCount(g.files, g.bytes) + ", " + plural(len(g.dirs), "is", "are") +
					" sent to the builder and copied by " + sourceLabel(src),
				Help: "add " + g.pattern + " to " + ignoreName(x),
			})
		}
	},
})

// st2002Kinds are the kinds of clutter ST2002 reports.
var st2002Kinds = map[lint.ClutterKind]bool{
	lint.ClutterVCS: true, lint.ClutterNodeModules: true, lint.ClutterVendor: true, lint.ClutterBuildOutput: true,
	lint.ClutterPyCache: true, lint.ClutterVirtualenv: true,
}
