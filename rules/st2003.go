package rules

import (
	"github.com/strata-dev/strata/lint"
)

// ST2003 reports secrets of the build context that the build copies.
var ST2003 = register(&lint.Rule{
	Code:         "ST2003",
	Name:         "secret-in-context",
	Summary:      "Do not send or copy secrets from the build context",
	Severity:     lint.SeverityError,
	Origin:       lint.OriginStrata,
	Status:       lint.StatusStable,
	Since:        "0.1.0",
	NeedsContext: true,
	Docs: lint.Docs{
		What: "Reports files of the build context that a `COPY`, `ADD` or bind mount takes, that the ignore file does " +
			"not exclude, and that hold credentials: `.env` files that set secret-looking variables (`*_TOKEN`, " +
			"`*_PASSWORD`, `*_KEY`, ...) to a value (`.env`, `.env.production`, `prod.env`), private keys (`*.pem`, `*.key`, `id_rsa`, ... with a `PRIVATE " +
			"KEY` block), `.npmrc` with an auth token, `.pypirc` or `.netrc` with a password, `.git-credentials`, " +
			"AWS credentials, cloud service-account JSON (by name, or any JSON file of up to 16 KiB holding a " +
			"`service_account` private key), Docker and Kubernetes client configs with credentials, " +
			"`.htpasswd`, Terraform state with secrets, and key stores (`*.p12`, `*.jks`). Candidates are chosen by " +
			"name (and small JSON files outside node_modules and vendor); only they are read, and only their first " +
			"64 KiB. `.env.example`, `example.env` and the like are not candidates.",
		Why: "Whatever a COPY takes is stored in a layer of the image (or of the build cache, for a stage that is " +
			"thrown away) and can be read by anyone who can pull it, even if a later RUN deletes it.",
		Fix: "Exclude the file in `.dockerignore` and hand secrets to the build with `RUN --mount=type=secret,id=npmrc," +
			"target=/root/.npmrc npm ci` (`docker build --secret id=npmrc,src=.npmrc`), or to the container at run time.",
	},
	Examples: []lint.Example{
		{
			Title:      "A .env file copied",
			Dockerfile: "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\n",
			Context:    map[string]string{"app.py": "print()\n", ".env": "DEBUG=1\nSTRIPE_API_KEY=sk_live_123\n"},
			Want:       []string{"3:6"},
		},
		{
			Title:      "An example file",
			Dockerfile: "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\n",
			Context:    map[string]string{"app.py": "print()\n", ".env.example": "STRIPE_API_KEY=changeme\n"},
		},
		{
			Title:      "Excluded",
			Dockerfile: "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\n",
			Context:    map[string]string{".dockerignore": ".env\n", ".env": "STRIPE_API_KEY=sk_live_123\n"},
		},
	},
	Check: func(p *lint.Pass) {
		v, ok := viewContext(p)
		if !ok {
			return
		}
		reported := 0
		for _, s := range v.idx.Secrets() {
			i := v.idx.Lookup(s.Path)
			if i < 0 || !v.usage.Used[i] {
				continue
			}
			src := v.usage.SourceFor(i)
			if src == nil {
				continue
			}
			what := s.What
			if s.Detail != "" {
				what += ": " + s.Detail
			}
			p.Report(lint.Finding{
				At: src.Ins, Range: src.Range,
				Message: "`" + s.Path + "` (" + what + ") is sent to the builder and copied by " + sourceLabel(src),
				Help:    "exclude it in " + ignoreName(v.idx) + "; pass secrets with RUN --mount=type=secret or at run time",
			})
			if reported++; reported == 10 {
				return
			}
		}
	},
})
