package rules

import (
	"strings"

	"github.com/strata-dev/strata/lint"
)

// ST3007 reports account passwords set or removed at build time.
var ST3007 = register(&lint.Rule{
	Code:     "ST3007",
	Name:     "password-set-in-run",
	Summary:  "Do not set or remove account passwords in a RUN",
	Severity: lint.SeverityError,
	Origin:   lint.OriginStrata,
	Status:   lint.StatusStable,
	Since:    "0.1.0",
	Docs: lint.Docs{
		What: "Reports commands that give an account a password in the image, or an empty one: `chpasswd` " +
			"(`echo 'root:secret' | chpasswd`, with or without `-e`), `passwd` reading the password from a pipe " +
			"or `--stdin`, `passwd -d` (no password at all), and `useradd`/`usermod` `-p`/`--password` with a " +
			"hash (`*`, `!` and `!!`, which lock the account, are fine). Only stages that end up in the image " +
			"are checked (the final stage, the stages it is built `FROM`, and `ONBUILD RUN`). A RUN that reads " +
			"the password from a `--mount=type=secret` file or variable is not reported.",
		Why: "A password set at build time is the same in every container started from the image, and it can be " +
			"read from the Dockerfile, from `docker history` (build arguments included) or cracked from " +
			"`/etc/shadow` in the layer. Combined with `su` or an SSH server it is a way in, usually to root; an " +
			"empty password is a way in without even that.",
		Fix: "Do not give accounts passwords in images: run as an unprivileged `USER`, use `docker exec` for " +
			"admin access, and lock accounts (`useradd` without `-p` leaves them locked). When a password is " +
			"really needed, set it when the container starts from a secret (an entrypoint reading " +
			"`/run/secrets/...`), or at build time from a secret mount:\n\n```dockerfile\n" +
			"RUN --mount=type=secret,id=rootpw echo \"root:$(cat /run/secrets/rootpw)\" | chpasswd\n```",
		Peers: "Checkov CKV2_DOCKER_17 (chpasswd). dockle DKL-LI-0001 (empty passwords, checked in the built image). " +
			"Trivy: none. No hadolint or BuildKit rule covers it (BuildKit's SecretsUsedInArgOrEnv and hadolint's " +
			"DL3064 only look at ARG and ENV names).",
	},
	Examples: []lint.Example{
		{Title: "A root password", Dockerfile: "FROM ubuntu:24.04\nRUN echo 'root:Docker!' | chpasswd\n", Want: []string{"2:27"}},
		{Title: "An empty password", Dockerfile: "FROM alpine:3.20\nRUN adduser -D app && passwd -d app\nUSER app\n", Want: []string{"2:30"}},
		{Title: "A locked account", Dockerfile: "FROM debian:12\nRUN useradd --system --uid 10001 app && passwd -l app\nUSER app\n"},
		{Title: "From a secret mount", Dockerfile: "FROM debian:12\nRUN --mount=type=secret,id=pw echo \"app:$(cat /run/secrets/pw)\" | chpasswd\n"},
	},
	Check: func(p *lint.Pass) {
		eachRun(p.File, func(ins *lint.Instruction, s *lint.Script) {
			if !stageKept(p.File, ins) || !st3007Maybe(s) || secMountsSecret(ins, s.Text) {
				return
			}
			for _, c := range s.Commands {
				r, msg := st3007Command(c)
				if msg != "" {
					p.Report(lint.Finding{At: ins, Range: r, Message: msg, Help: st3007Help})
				}
			}
		})
	},
})

const st3007Help = "leave accounts locked and run as a non-root USER; if a password is needed, set it at container " +
	"start from a secret, or read it here from RUN --mount=type=secret"

// st3007Maybe is a cheap filter: the script runs one of the commands
// st3007Command looks at.
func st3007Maybe(s *lint.Script) bool {
	for _, c := range s.Commands {
		name := secBase(c.Name.Value)
		if secWrapper(name) {
			name, _ = secUnwrap(c)
		}
		switch name {
		case "chpasswd", "passwd", "useradd", "usermod":
			return true
		}
	}
	return false
}

// st3007Command checks one command.
func st3007Command(c *lint.Command) (lint.Range, string) {
	name, args := secUnwrap(c)
	switch name {
	case "chpasswd":
		if _, ok := secFlag(args, []string{"encrypted"}, "e"); ok {
			return c.Range(), "chpasswd sets a password hash that ships in the image and its build history"
		}
		return c.Range(), "chpasswd sets a password that ships in the image and can be read from the Dockerfile or build history"
	case "passwd":
		if w, ok := secFlag(args, []string{"delete"}, "d"); ok {
			return w.Range(), "passwd -d leaves the account with no password at all"
		}
		if w, ok := secFlag(args, []string{"stdin"}, ""); ok {
			return w.Range(), "passwd --stdin sets a password that ships in the image and can be read from the Dockerfile or build history"
		}
		if c.Stage > 0 {
			return c.Range(), "passwd reads a password from the pipe: it ships in the image and can be read from the Dockerfile or build history"
		}
	case "useradd", "usermod":
		for i, a := range args {
			v := a.Value
			val, hasVal := "", false
			switch {
			case v == "-p" || v == "--password":
				if i+1 < len(args) {
					val, hasVal = args[i+1].Value, true
				}
			case strings.HasPrefix(v, "--password="):
				val, hasVal = strings.TrimPrefix(v, "--password="), true
			default:
				continue
			}
			if !hasVal {
				continue
			}
			switch val {
			case "*", "!", "!!", "!*", "x":
				continue // locked
			case "":
				return a.Range(), name + " " + v + " with an empty value leaves the account with no password"
			}
			return a.Range(), name + " " + v + " sets a password hash that ships in the image and its build history"
		}
	}
	return lint.Range{}, ""
}
