package rules

import (
	"strings"

	"github.com/strata-dev/strata/lint"
)

// ST3009 reports a package index update with nothing installed after it in
// the same RUN.
var ST3009 = register(&lint.Rule{
	Code:     "ST3009",
	Name:     "package-index-update-alone",
	Summary:  "Update the package index in the same RUN as the install that needs it",
	Severity: lint.SeverityWarning,
	Origin:   lint.OriginStrata,
	Status:   lint.StatusStable,
	Since:    "0.1.0",
	Docs: lint.Docs{
		What: "Reports a command that only refreshes a package index (`apt-get update`, `apt update`, " +
			"`aptitude update`, `apk update`, `yum makecache`, `dnf makecache`, `zypper refresh`, `pacman -Sy`) when " +
			"nothing after it in the same `RUN` could use the index: it is the last command, or only clean-up " +
			"commands (`rm`, `apt-get clean`, `echo`, ...) follow. Any other command after it (an install, an " +
			"upgrade, a script) counts as using the index, and so does deleting the index again in the same RUN " +
			"(`rm -rf /var/lib/apt/lists/*`), which leaves nothing stale behind. `ONBUILD RUN` is checked too.",
		Why: "Each RUN is cached as its own layer. Once `RUN apt-get update` is cached, later builds reuse it, index " +
			"and all, while the `RUN apt-get install` after it re-runs whenever its line changes: the build then " +
			"installs from an index weeks old, gets outdated (unpatched) versions, or fails when the mirror no " +
			"longer has them. The index also costs tens of megabytes in a layer that no later `rm` can shrink.",
		Fix: "Refresh, install and clean up in one RUN:\n\n```dockerfile\nRUN apt-get update \\\n" +
			" && apt-get install -y --no-install-recommends curl \\\n && rm -rf /var/lib/apt/lists/*\n```\n\n" +
			"With apk, `apk add --no-cache` needs no separate update at all.",
		Peers: "Trivy DS-0017 (AVD-DS-0017), Checkov CKV_DOCKER_5, dockle CIS-DI-0007. Unlike Trivy, `yum update` and " +
			"`dnf update` are not reported: they upgrade packages rather than only fetch an index. No hadolint or " +
			"BuildKit rule covers it (hadolint's DL3009 is about deleting the lists, not about where the update is).",
	},
	Examples: []lint.Example{
		{Title: "Update in its own RUN", Dockerfile: "FROM debian:12\nRUN apt-get update\nRUN apt-get install -y --no-install-recommends curl\n", Want: []string{"2:5"}},
		{Title: "Only clean-up after the update", Dockerfile: "FROM alpine:3.20\nRUN apk update && rm -rf /tmp/*\nRUN apk add curl\n", Want: []string{"2:5"}},
		{Title: "Update and install together", Dockerfile: "FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*\n"},
		{Title: "A script that installs", Dockerfile: "FROM debian:12\nCOPY install-deps.sh /tmp/\nRUN apt-get update && /tmp/install-deps.sh\n"},
	},
	Check: func(p *lint.Pass) {
		eachRun(p.File, func(ins *lint.Instruction, s *lint.Script) {
			if !st3009Maybe(s) {
				return
			}
			for i, c := range s.Commands {
				name, args := secUnwrap(c)
				if !st3009IndexOnly(name, args) {
					continue
				}
				used := false
				for _, later := range s.Commands[i+1:] {
					if isRmOf(later, "/var/lib/apt/lists", "/var/cache/apk", "/var/cache/yum", "/var/cache/dnf",
						"/var/cache/zypp", "/var/lib/pacman/sync") && !st3009RmAll(later) {
						used = true // the index is deleted again: nothing stale is left behind
						break
					}
					if !st3009Harmless(later) {
						used = true
						break
					}
				}
				if used {
					continue
				}
				p.Report(lint.Finding{
					At: ins, Range: c.Range(),
					Message: name + " refreshes the package index with no install after it in this RUN; a later install reuses this cached, aging index",
					Help:    "update, install and clean up in one RUN (apt-get update && apt-get install -y ... && rm -rf /var/lib/apt/lists/*)",
				})
				return
			}
		})
	},
})

// st3009Maybe is a cheap filter: the script runs a package manager.
func st3009Maybe(s *lint.Script) bool {
	for _, c := range s.Commands {
		name := secBase(c.Name.Value)
		if secWrapper(name) {
			name, _ = secUnwrap(c)
		}
		switch name {
		case "apt-get", "apt", "aptitude", "apk", "yum", "dnf", "microdnf", "zypper", "pacman":
			return true
		}
	}
	return false
}

// st3009IndexOnly reports a command that only refreshes a package index.
func st3009IndexOnly(name string, args []lint.Word) bool {
	switch name {
	case "apt-get", "apt", "aptitude", "apk":
		verb, _ := secVerb(args, "-o", "-c", "-t", "--option", "-X", "--repository")
		return verb.Value == "update"
	case "yum", "dnf", "microdnf":
		verb, _ := secVerb(args, "--setopt", "--enablerepo", "--disablerepo", "--repo")
		return verb.Value == "makecache"
	case "zypper":
		verb, _ := secVerb(args, "-r", "--repo")
		return verb.Value == "refresh" || verb.Value == "ref"
	case "pacman":
		sync := false
		for _, a := range args {
			v := a.Value
			if !strings.HasPrefix(v, "-") {
				return false // packages: an install
			}
			if strings.HasPrefix(v, "-S") && strings.Contains(v, "y") {
				if strings.Contains(v, "u") {
					return false
				}
				sync = true
			}
		}
		return sync
	}
	return false
}

// st3009Harmless reports a command that cannot use a package index.
func st3009Harmless(c *lint.Command) bool {
	name, args := secUnwrap(c)
	switch name {
	case "rm", "echo", "printf", "true", "false", ":", "exit", "ls", "cat", "mkdir", "ln", "cp", "mv", "touch",
		"chmod", "chown", "sleep", "set", "export", "cd", "unset", "date", "df", "du", "sync", "test", "[":
		return true
	case "apt-get", "apt", "aptitude", "apk", "yum", "dnf", "microdnf", "zypper":
		verb, _ := secVerb(args, "-o", "-c", "-t", "--option")
		switch verb.Value {
		case "clean", "autoclean", "autoremove", "remove", "purge", "del", "update", "makecache", "refresh", "ref", "cache":
			return true
		}
	}
	return false
}

// st3009RmAll reports an rm that isRmOf accepted only for -rf, with no
// index directory among its arguments.
func st3009RmAll(c *lint.Command) bool {
	for _, a := range c.Args {
		for _, d := range []string{"/var/lib/apt/lists", "/var/cache/apk", "/var/cache/yum", "/var/cache/dnf", "/var/cache/zypp", "/var/lib/pacman/sync"} {
			if strings.HasPrefix(a.Value, d) {
				return false
			}
		}
	}
	return true
}
