package rules

import (
	"strings"

	"github.com/strata-dev/strata/lint"
)

// DL3046 reports useradd with a high UID and without -l.
var DL3046 = register(&lint.Rule{
	Code:     "DL3046",
	Name:     "useradd-high-uid",
	Summary:  "`useradd` with a high UID needs `-l` (`--no-log-init`)",
	Severity: lint.SeverityWarning,
	Origin:   lint.OriginHadolint,
	Status:   lint.StatusStable,
	Since:    "0.1.0",
	Docs: lint.Docs{
		What: "Reports `useradd -u UID` (or `--uid`) with a UID of more than five digits and without `-l` " +
			"(`--no-log-init`), in `RUN` and `ONBUILD RUN`.",
		Why: "useradd records the new user in `/var/log/lastlog` and `/var/log/faillog`, sparse files indexed by " +
			"UID. Docker's layer storage does not keep them sparse, so a UID such as 1000000 writes hundreds of " +
			"megabytes of zeros into the layer.",
		Fix: "Add `-l`: `RUN useradd -l -u 1000000 app`.",
		Differences: "A UID given by a variable is judged by the default of the `ARG` or `ENV` that sets it, and skipped " +
			"when unknown; hadolint measures the length of the text `${UID}` itself.",
	},
	Examples: []lint.Example{
		{Title: "High UID", Dockerfile: "FROM debian:12\nRUN useradd -u 123456 app\n", Want: []string{"2:16"}},
		{Title: "-l", Dockerfile: "FROM debian:12\nRUN useradd -l -u 123456 app\n"},
		{Title: "A short UID", Dockerfile: "FROM debian:12\nRUN useradd -u 10001 app\n"},
	},
	Check: func(p *lint.Pass) {
		eachRun(p.File, func(ins *lint.Instruction, s *lint.Script) {
			for _, c := range s.Commands {
				if !c.Is("useradd") || c.HasFlag("l", "no-log-init") {
					continue
				}
				w, uid, ok := useraddUID(c)
				if !ok {
					continue
				}
				if strings.Contains(uid, "$") {
					uid = expandVars(uid, buildVars(ins), "")
					if strings.Contains(uid, "$") {
						continue
					}
				}
				if len(uid) > 5 {
					p.Report(lint.Finding{
						At: ins, Range: w.Range(),
						Message: "useradd with UID " + uid + " and without -l writes huge lastlog/faillog files into the layer",
						Help:    "add -l (--no-log-init): useradd -l -u " + uid + " ...",
					})
					return // one per RUN, as hadolint
				}
			}
		})
	},
})

// useraddUID finds the value of -u/--uid.
func useraddUID(c *lint.Command) (lint.Word, string, bool) {
	for i, a := range c.Args {
		switch {
		case a.Value == "-u" || a.Value == "--uid":
			if i+1 < len(c.Args) {
				return c.Args[i+1], c.Args[i+1].Value, true
			}
		case strings.HasPrefix(a.Value, "--uid="):
			return a, strings.TrimPrefix(a.Value, "--uid="), true
		}
	}
	return lint.Word{}, "", false
}
