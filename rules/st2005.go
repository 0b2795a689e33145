package rules

import (
	"strings"

	"github.com/strata-dev/strata/lint"
)

// ST2005 reports COPY of the whole context without an ignore file.
var ST2005 = register(&lint.Rule{
	Code:         "ST2005",
	Name:         "copy-all-without-dockerignore",
	Summary:      "Add a .dockerignore before copying the whole build context",
	Severity:     lint.SeverityWarning,
	Origin:       lint.OriginStrata,
	Status:       lint.StatusStable,
	Since:        "0.1.0",
	NeedsContext: true,
	Docs: lint.Docs{
		What: "Reports `COPY . .` (or `ADD`, or any copy of the context's root) when the build context has no ignore " +
			"file: neither `<Dockerfile>.dockerignore` beside the Dockerfile nor `.dockerignore` at the context root. " +
			"The message says how much is copied and names what should not be.",
		Why: "Without an ignore file, everything in the directory goes into the image: VCS history, local " +
			"dependencies and build output, editor files, logs, and secrets such as `.env`. The image grows, and any " +
			"change to any of those files invalidates the layer cache.",
		Fix: "Add a `.dockerignore` beside the Dockerfile, for example:\n\n```\n.git\n**/node_modules\n**/__pycache__\n" +
			".env*\n*.log\nDockerfile*\n.dockerignore\n```",
		Peers: "complements ST2002 and ST2003, which name what is sent.",
	},
	Examples: []lint.Example{
		{
			Title:      "No ignore file",
			Dockerfile: "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\n",
			Context:    map[string]string{"app.py": "print()\n", ".git/HEAD": "ref: refs/heads/main\n"},
			Want:       []string{"3:6"},
		},
		{
			Title:      "An ignore file",
			Dockerfile: "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\n",
			Context:    map[string]string{"app.py": "print()\n", ".dockerignore": ".git\n"},
		},
	},
	Check: func(p *lint.Pass) {
		v, ok := viewContext(p)
		if !ok || v.idx.Ignore != nil {
			return
		}
		for k := range v.usage.Sources {
			s := &v.usage.Sources[k]
			if s.Path != "." || s.Unresolved {
				continue
			}
			msg := sourceLabel(s) + " copies the whole build context (" + sizeAndCount(v.idx.Files, v.idx.Bytes) +
				") and there is no .dockerignore"
			var notable []string
			for _, name := range []string{".git", "node_modules", ".venv", "venv", "__pycache__", "dist", "build", "target"} {
				if i := v.idx.Lookup(name); i >= 0 && v.idx.Entries[i].IsDir() && v.idx.Entries[i].Files > 0 {
					notable = append(notable, name+"/")
				}
			}
			if n := len(v.idx.Secrets()); n > 0 {
				notable = append(notable, itoa(n)+" "+plural(n, "file", "files")+" with secrets")
			}
			if len(notable) > 0 {
				msg += ": " + strings.Join(notable, ", ") + " included"
			}
			p.Report(lint.Finding{
				At: s.Ins, Range: s.Range, Message: msg,
				Help: "add a .dockerignore beside the Dockerfile (.git, **/node_modules, .env*, build output)",
			})
			return
		}
	},
})
