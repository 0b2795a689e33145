package rules

import (
	"github.com/strata-dev/strata/lint"
)

// ST1006 reports upgrades of every package of the base image.
var ST1006 = register(&lint.Rule{
	Code:     "ST1006",
	Name:     "package-upgrade",
	Summary:  "Prefer a newer base image to upgrading all its packages in a RUN",
	Severity: lint.SeverityInfo,
	Origin:   lint.OriginStrata,
	Status:   lint.StatusStable,
	Since:    "0.1.0",
	Docs: lint.Docs{
		What: "Reports a RUN, in a stage that reaches the image, that upgrades every installed package: `apt-get " +
			"upgrade`, `dist-upgrade` or `full-upgrade` (and `apt`'s), `apk upgrade` without package names, `dnf`, " +
			"`yum` or `microdnf` `upgrade`/`update`/`distro-sync` without package names, and `zypper update`, `up`, " +
			"`dist-upgrade`, `dup` or `patch` without package names.",
		Why: "Every package the upgrade touches is written again in this layer, while the old version stays in the " +
			"base image's layers: the image carries both, often tens of megabytes. The result also depends on the " +
			"day of the build rather than on the Dockerfile, and the upgraded base no longer matches what scanners " +
			"and the base image's maintainers know.",
		Fix: "Use a recent base image (a newer tag, or a digest your dependency bot keeps current) and rebuild when it " +
			"is updated. Upgrade a single package by name (`apt-get install --only-upgrade openssl`) when a fix cannot " +
			"wait for the base image.",
		Differences: "hadolint's DL3005 (removed from hadolint 2) reported `apt-get upgrade` as an error; this rule is " +
			"informational and covers apk, dnf, yum, microdnf and zypper too.",
	},
	Examples: []lint.Example{
		{Title: "apt-get upgrade", Dockerfile: "FROM debian:12\nRUN apt-get update && apt-get upgrade -y && rm -rf /var/lib/apt/lists/*\n", Want: []string{"2:23"}},
		{Title: "apk upgrade", Dockerfile: "FROM alpine:3.20\nRUN apk upgrade --no-cache\n", Want: []string{"2:5"}},
		{Title: "One package", Dockerfile: "FROM alpine:3.20\nRUN apk upgrade --no-cache openssl\n"},
		{Title: "In a build stage", Dockerfile: "FROM debian:12 AS build\nRUN apt-get update && apt-get upgrade -y\nFROM scratch\nCOPY --from=build /etc/os-release /\n"},
	},
	Check: func(p *lint.Pass) {
		eachRun(p.File, func(ins *lint.Instruction, s *lint.Script) {
			if !stageKept(p.File, ins) {
				return
			}
			for _, c := range s.Commands {
				if sub, ok := upgradeAll(c); ok {
					p.Report(lint.Finding{
						At: ins, Range: commandHead(c, sub),
						Message: "`" + c.Name.Value + " " + sub + "` rewrites every upgraded package in this layer while the old versions stay in the base image's layers",
						Help:    "use a newer base image tag or digest instead; upgrade single packages by name when a fix cannot wait",
					})
					return
				}
			}
		})
	},
})

// upgradeAll recognises an upgrade of every installed package and returns
// the subcommand.
func upgradeAll(c *lint.Command) (string, bool) {
	if !c.Is("apt-get", "apt", "aptitude", "apk", "dnf", "yum", "microdnf", "tdnf", "zypper") {
		return "", false
	}
	ops := operands(c, "o", "c", "t", "setopt", "enablerepo", "disablerepo", "releasever", "X", "repository", "r", "repo")
	if len(ops) == 0 {
		return "", false
	}
	sub := ops[0].Value
	switch {
	case c.Is("apt-get", "apt", "aptitude"):
		switch sub {
		case "upgrade", "dist-upgrade", "full-upgrade", "safe-upgrade":
			return sub, true
		}
	case c.Is("apk"):
		return sub, sub == "upgrade" && len(ops) == 1
	case c.Is("dnf", "yum", "microdnf", "tdnf"):
		switch sub {
		case "upgrade", "update", "distro-sync", "upgrade-minimal", "update-minimal":
			return sub, len(ops) == 1
		}
	case c.Is("zypper"):
		switch sub {
		case "update", "up", "dist-upgrade", "dup", "patch":
			return sub, len(ops) == 1
		}
	}
	return "", false
}
