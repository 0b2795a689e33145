package rules

import (
	"strings"

	"github.com/strata-dev/strata/lint"
)

// DL3064 reports ARG and ENV names that look like secrets.
var DL3064 = register(&lint.Rule{
	Code:     "DL3064",
	Name:     "sensitive-arg-env",
	Summary:  "Potentially sensitive data should not be passed in `ARG` or `ENV`",
	Severity: lint.SeverityWarning,
	Origin:   lint.OriginHadolint,
	Status:   lint.StatusStable,
	Since:    "0.1.0",
	Docs: lint.Docs{
		What: "Reports an `ARG` or `ENV` (also inside `ONBUILD`) that declares a variable named like a secret: a " +
			"well-known name (`AWS_SECRET_ACCESS_KEY`, `GITHUB_TOKEN`, `NPM_TOKEN`, ...) or one containing `api_key`, " +
			"`client_key`, `password`, `private`, `secret`, `token` or `username` (in any letter case).",
		Why: "ENV values are stored in the image configuration and ARG values in its history: anyone who can pull the " +
			"image can read them with `docker history` or `docker inspect`, long after the build.",
		Fix: "Pass secrets with a BuildKit secret mount, which never reaches a layer or the history:\n\n" +
			"```dockerfile\nRUN --mount=type=secret,id=npm_token,env=NPM_TOKEN npm ci\n```\n\nand " +
			"`docker build --secret id=npm_token,env=NPM_TOKEN .`; provide runtime secrets when the container starts.",
	},
	Examples: []lint.Example{
		{Title: "A token in ENV", Dockerfile: "FROM node:22\nENV NPM_TOKEN=abc123\n", Want: []string{"2:5"}},
		{Title: "A password ARG", Dockerfile: "ARG db_password\nFROM postgres:17\n", Want: []string{"1:5"}},
		{Title: "Harmless names", Dockerfile: "FROM node:22\nARG NODE_ENV=production\nENV PORT=8080\n"},
	},
	Check: func(p *lint.Pass) {
		visitInstructions(p.File, true, func(ins *lint.Instruction) {
			words := ins.Args
			if ins.Kind == "env" && len(words) > 0 && !strings.Contains(words[0].Value, "=") {
				words = words[:1] // ENV KEY value
			}
			for _, a := range words {
				key, _, _ := strings.Cut(a.Value, "=")
				name := unquoteWord(key, ins.File.Escape)
				why := sensitiveName(name)
				if why == "" {
					continue
				}
				p.Report(lint.Finding{
					At: ins, Range: subRange(ins.File.Source, a.Range, a.Value, 0, len(key)),
					Message: strings.ToUpper(ins.Kind) + " " + name + " " + why + ": its value is readable by anyone who " +
						"pulls the image (" + revealedBy[ins.Kind] + ")",
					Help: "pass it with RUN --mount=type=secret,id=...,env=" + name + " instead",
				})
				return // one per instruction, as hadolint
			}
		}, "arg", "env")
	},
})

// sensitiveName says why a variable name looks like a secret ("" if not).
func sensitiveName(name string) string {
	if knownSecretNames[strings.ToUpper(name)] {
		return "is a well-known secret"
	}
	lower := strings.ToLower(name)
	for _, s := range secretWords {
		if strings.Contains(lower, s) {
			return "looks like a secret (its name contains " + s + ")"
		}
	}
	return ""
}

// knownSecretNames are the variable names hadolint knows to hold secrets.
var knownSecretNames = map[string]bool{
	"ACCESS_TOKEN": true, "APPLICATION_KEY": true, "APP_SECRET": true, "AUTH_TOKEN": true,
	"AWS_ACCESS_KEY_ID": true, "AWS_SECRET_ACCESS_KEY": true, "BITTREX_API_KEY": true, "BITTREX_API_SECRET": true,
	"CF_PASSWORD": true, "CF_USERNAME": true, "CIRCLE_TOKEN": true, "CI_DEPLOY_PASSWORD": true,
	"CI_DEPLOY_USER": true, "DOCKERHUB_PASSWORD": true, "DOCKER_EMAIL": true, "DOCKER_PASSWORD": true,
	"DOCKER_USERNAME": true, "FACEBOOK_ACCESS_TOKEN": true, "FACEBOOK_APP_ID": true, "FACEBOOK_APP_SECRET": true,
	"FIREBASE_API_TOKEN": true, "FIREBASE_TOKEN": true, "FOSSA_API_KEY": true, "GH_ENTERPRISE_TOKEN": true,
	"GH_TOKEN": true, "GITHUB_ENTERPRISE_TOKEN": true, "GITHUB_TOKEN": true, "HEROKU_API_KEY": true,
	"HEROKU_API_USER": true, "NPM_AUTH_TOKEN": true, "NPM_TOKEN": true, "OKTA_AUTHN_GROUPID": true,
	"OKTA_CLIENT_ORGURL": true, "OKTA_CLIENT_TOKEN": true, "OKTA_OAUTH2_CLIENTID": true,
	"OKTA_OAUTH2_CLIENTSECRET": true, "OPENAI_API_KEY": true, "OS_PASSWORD": true, "OS_USERNAME": true,
	"POSTGRES_PASSWORD": true, "SLACK_TOKEN": true, "STRIPE_API_KEY": true, "STRIPE_DEVICE_NAME": true,
	"TRAVIS_OS_NAME": true, "TRAVIS_SECURE_ENV_VARS": true, "TRAVIS_SUDO": true, "VAULT_CLIENT_KEY": true,
	"VAULT_TOKEN": true,
}

var revealedBy = map[string]string{"arg": "docker history", "env": "docker inspect"}

var secretWords = []string{"api_key", "client_key", "password", "private", "secret", "token", "username"}
