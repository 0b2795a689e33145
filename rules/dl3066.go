package rules

import (
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/strata-dev/strata/lint"
)

// DL3066 reports USER with a non-numeric user.
var DL3066 = register(&lint.Rule{
	Code:     "DL3066",
	Name:     "non-numeric-user",
	Summary:  "Use a numeric UID in `USER`",
	Severity: lint.SeverityInfo,
	Origin:   lint.OriginHadolint,
	Status:   lint.StatusStable,
	Since:    "0.1.0",
	Docs: lint.Docs{
		What: "Reports a `USER` whose user is a name (`USER app`, `USER app:app`) rather than a number. A user " +
			"given by a build argument (`USER $APP_UID`, with `ARG APP_UID` before) is fine.",
		Why: "Kubernetes' `runAsNonRoot` and similar policies can only verify a numeric UID: with a name the pod is " +
			"refused or the check is skipped. Names also resolve through the image's `/etc/passwd`, so the UID " +
			"changes silently when the base image renumbers its users, which breaks file ownership on volumes.",
		Fix: "Use the UID (and GID): `USER 10001:10001`, creating the user with that UID earlier " +
			"(`RUN useradd -u 10001 app`).",
	},
	Examples: []lint.Example{
		{Title: "A user name", Dockerfile: "FROM node:22\nUSER node\n", Want: []string{"2:6"}},
		{Title: "A UID and GID", Dockerfile: "FROM node:22\nUSER 1000:1000\n"},
		{Title: "A build argument", Dockerfile: "FROM node:22\nARG UID=1000\nUSER ${UID}\n"},
	},
	Check: func(p *lint.Pass) {
		args := map[string]bool{}
		for _, ins := range p.File.Instructions {
			if a, ok := ins.Command.(*instructions.ArgCommand); ok {
				for _, kv := range a.Args {
					args[kv.Key] = true
				}
				continue
			}
			if ins.Kind != "user" || len(ins.Args) == 0 {
				continue
			}
			arg := ins.Args[0]
			user, _, _ := strings.Cut(arg.Value, ":")
			if allDigits(user) || refersToAny(arg.Value, args) {
				continue
			}
			p.Report(lint.Finding{
				At: ins, Range: subRange(ins.File.Source, arg.Range, arg.Value, 0, len(user)),
				Message: "user `" + user + "` is a name: policies such as runAsNonRoot need a numeric UID, and the name's UID depends on the base image",
				Help:    "use a numeric UID (and GID), e.g. USER 10001:10001",
			})
		}
	},
})

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// refersToAny reports whether s references one of the named variables.
func refersToAny(s string, names map[string]bool) bool {
	if !strings.Contains(s, "$") {
		return false
	}
	for n := range names {
		if a, _ := findVarRef(s, n); a >= 0 {
			return true
		}
	}
	return false
}
