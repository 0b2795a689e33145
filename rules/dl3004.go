package rules

import "github.com/strata-dev/strata/lint"

// DL3004 reports sudo in a RUN.
var DL3004 = register(&lint.Rule{
	Code:     "DL3004",
	Name:     "sudo-in-run",
	Summary:  "Do not use sudo: switch users with USER, or gosu in an entrypoint",
	Severity: lint.SeverityError,
	Origin:   lint.OriginHadolint,
	Status:   lint.StatusStable,
	Since:    "0.1.0",
	Docs: lint.Docs{
		What: "Reports a RUN (or `ONBUILD RUN`) that calls `sudo`.",
		Why: "A RUN already runs as the current USER, so `sudo` adds nothing but a dependency: it may be missing " +
			"from the image, it needs a sudoers entry, it can prompt for a password (which hangs or fails a build), " +
			"and it keeps a TTY and signal handling between the command and the container runtime.",
		Fix: "Switch with `USER root` before the steps that need root and back to the unprivileged user after them. " +
			"To drop privileges at run time, use `gosu` or `su-exec` in the entrypoint.",
	},
	Examples: []lint.Example{
		{Title: "sudo in a RUN", Dockerfile: "FROM debian:12\nUSER app\nRUN sudo apt-get update\n", Want: []string{"3:5"}},
		{Title: "USER instead", Dockerfile: "FROM debian:12\nUSER root\nRUN apt-get update\nUSER app\n"},
		{Title: "Installing sudo is fine", Dockerfile: "FROM debian:12\nRUN apt-get install -y --no-install-recommends sudo=1.9.13p3-1+deb12u1\n"},
	},
	Check: func(p *lint.Pass) {
		eachRun(p.File, func(ins *lint.Instruction, s *lint.Script) {
			for _, c := range s.Commands {
				if c.Is("sudo") {
					p.Report(lint.Finding{
						At: ins, Range: c.Name.Range(),
						Message: "`sudo` in a build step: the RUN already runs as the current USER, and sudo can prompt, be missing or need a TTY",
						Help:    "drop sudo and put USER root before this RUN (and USER back after it); use gosu or su-exec in an entrypoint",
					})
					return
				}
			}
		})
	},
})
