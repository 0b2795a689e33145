package rules

import (
	"github.com/strata-dev/strata/internal/lazyre"
	"strings"

	"github.com/strata-dev/strata/lint"
)

// SecretsUsedInArgOrEnv reports ARG and ENV names that look like secrets.
var SecretsUsedInArgOrEnv = register(&lint.Rule{
	Code:     "SecretsUsedInArgOrEnv",
	Name:     "secrets-used-in-arg-or-env",
	Summary:  "Do not pass secrets in ARG or ENV",
	Severity: lint.SeverityWarning,
	Origin:   lint.OriginBuildKit,
	Status:   lint.StatusStable,
	Since:    "0.1.0",
	Docs: lint.Docs{
		What: "Reports an `ARG` or `ENV` in a stage whose name contains, as a whole `_`-separated word, one of " +
			"`apikey`, `auth`, `credential(s)`, `key`, `password`, `pword`, `passwd`, `secret` or `token` (in any " +
			"case), unless it also contains `public`, `file` or `version` as a word: `GITHUB_TOKEN`, `DB_PASSWORD`, " +
			"`API_KEY`, but not `TOKEN_FILE` or `PUBLIC_KEY`. As in BuildKit, the `ARG`s before the first `FROM` " +
			"are not checked." + bkStops,
		Why: "`ENV` values are stored in the image configuration, readable by anyone who can pull the image; `ARG` " +
			"values are recorded in the build history and the provenance attestation. A secret passed this way " +
			"leaks with the image.",
		Fix: "Use a build secret: `RUN --mount=type=secret,id=github_token,env=GITHUB_TOKEN ...` and " +
			"`docker build --secret id=github_token,env=GITHUB_TOKEN .`. The secret is available to that RUN " +
			"only and is never stored.",
	},
	Examples: []lint.Example{
		{Title: "A token in ARG", Dockerfile: "FROM alpine:3.20\nARG GITHUB_TOKEN\nRUN echo building\n", Want: []string{"2:5"}},
		{Title: "A secret mount, and names that are not secrets", Dockerfile: "FROM alpine:3.20\nARG TOKEN_FILE=/run/secrets/token\nENV PUBLIC_KEY=abc\nRUN --mount=type=secret,id=token cat /run/secrets/token\n"},
	},
	Check: checkBuildKit,
})

var (
	secretName      = lazyre.New(`(?i)(?:_|^)(?:apikey|auth|credential|credentials|key|password|pword|passwd|secret|token)(?:_|$)`)
	secretNameAllow = lazyre.New(`(?i)(?:_|^)(?:public|file|version)(?:_|$)`)
)

// secretsUsed is BuildKit's validateNoSecretKey.
func (s *bkSim) secretsUsed(c bkCmd, kind, key string) {
	if !maybeSecret(key) || !secretName().MatchString(key) || secretNameAllow().MatchString(key) {
		return
	}
	id := strings.ToLower(key)
	s.add(bkFinding{
		rule: "SecretsUsedInArgOrEnv", ins: c.ins, rng: s.cmdRange(c, func(ins *lint.Instruction) lint.Range { return argRange(ins, key) }),
		msg:  kind + " " + key + " looks like a secret: " + kind + " values are kept in the image's " + map[string]string{"ARG": "build history", "ENV": "configuration"}[kind] + " for anyone who pulls it" + s.triggerNote(c),
		help: "pass it as a build secret: RUN --mount=type=secret,id=" + id + ",env=" + key + " ... with docker build --secret id=" + id + ",env=" + key,
	}, c.comments)
}

// maybeSecret is a quick test that rules out most names before the
// regular expressions run.
func maybeSecret(key string) bool {
	k := strings.ToLower(key)
	for _, t := range [...]string{"key", "auth", "credential", "pass", "pword", "secret", "token"} {
		if strings.Contains(k, t) {
			return true
		}
	}
	return false
}
