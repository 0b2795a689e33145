package rules

import "github.com/strata-dev/strata/lint"

// DL3027 reports apt, the interactive front end, in a RUN.
var DL3027 = register(&lint.Rule{
	Code:     "DL3027",
	Name:     "apt-in-run",
	Summary:  "Do not use `apt` in scripts; use `apt-get` or `apt-cache`",
	Severity: lint.SeverityWarning,
	Origin:   lint.OriginHadolint,
	Status:   lint.StatusStable,
	Since:    "0.1.0",
	Fix:      lint.FixUnsafe,
	Docs: lint.Docs{
		What: "Reports a RUN (or `ONBUILD RUN`) that calls `apt`.",
		Why: "`apt` is the interactive front end: its output and behaviour may change between releases, and it warns " +
			"\"apt does not have a stable CLI interface. Use with caution in scripts.\" `apt-get` and `apt-cache` " +
			"are the stable interfaces for scripts.",
		Fix: "Use `apt-get` (`install`, `update`, `remove`, `purge`, `autoremove`, `clean`) or `apt-cache` (`search`, " +
			"`show`, `policy`). The fix renames the command for those subcommands; it is unsafe because the two " +
			"tools differ in details (apt shows a progress bar and its `upgrade` also installs new dependencies).",
	},
	Examples: []lint.Example{
		{Title: "apt install", Dockerfile: "FROM debian:12\nRUN apt update && apt install -y --no-install-recommends curl=7.88.1-10+deb12u7\n",
			Want:  []string{"2:5"},
			Fixed: "FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u7\n"},
		{Title: "apt-get", Dockerfile: "FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u7\n"},
	},
	Check: func(p *lint.Pass) {
		eachRun(p.File, func(ins *lint.Instruction, s *lint.Script) {
			var edits []lint.Edit
			var first *lint.Command
			fixable := true
			for _, c := range s.Commands {
				if !c.Is("apt") {
					continue
				}
				if first == nil {
					first = c
				}
				sub := ""
				if ops := c.ArgsNoFlags(); len(ops) > 0 {
					sub = ops[0].Value
				}
				tool, ok := aptReplacement[sub]
				if !ok || c.Name.Quoted || !c.Name.Literal {
					fixable = false
					continue
				}
				edits = append(edits, lint.Edit{Range: c.Name.Range(), NewText: tool})
			}
			if first == nil {
				return
			}
			f := lint.Finding{
				At: ins, Range: first.Name.Range(),
				Message: "`apt` is meant for people at a terminal and has no stable interface for scripts",
				Help:    "use apt-get (install, update, remove, ...) or apt-cache (search, show, policy)",
			}
			if fixable {
				f.Fix = &lint.Fix{Title: "use apt-get / apt-cache", Edits: edits}
			}
			p.Report(f)
		})
	},
})

// aptReplacement maps apt subcommands to the script-safe tool that has
// the same subcommand.
var aptReplacement = map[string]string{
	"install": "apt-get", "update": "apt-get", "remove": "apt-get", "purge": "apt-get", "autoremove": "apt-get",
	"clean": "apt-get", "autoclean": "apt-get", "source": "apt-get", "build-dep": "apt-get", "download": "apt-get",
	"search": "apt-cache", "show": "apt-cache", "policy": "apt-cache", "depends": "apt-cache", "rdepends": "apt-cache",
}
