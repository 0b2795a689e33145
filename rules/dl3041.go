package rules

import "github.com/strata-dev/strata/lint"

// DL3041 reports dnf packages installed without a version.
var DL3041 = register(&lint.Rule{
	Code:     "DL3041",
	Name:     "dnf-version-pinning",
	Summary:  "Pin versions in `dnf install`: `dnf install -y <package>-<version>`",
	Severity: lint.SeverityWarning,
	Origin:   lint.OriginHadolint,
	Status:   lint.StatusStable,
	Since:    "0.1.0",
	Docs: lint.Docs{
		What: "Reports packages of `dnf install` or `microdnf install` given without a version (`tomcat` rather than " +
			"`tomcat-9.0.87`), and modules of `dnf module install` without a stream (`nodejs` rather than " +
			"`nodejs:20`), in `RUN` and `ONBUILD RUN`. `dnf group install` is not checked. A package counts as " +
			"versioned when what follows its first `-` is made of version characters and contains a part starting " +
			"with a digit (`rpm-sign-4.16.1.3`, `openssl-1:3.0.7`), or when it is an `.rpm` file; `rpm-sign` alone is " +
			"not. A version given through a build variable (`git-core-${VERSION}`, with `ARG VERSION` anywhere " +
			"before, or `ENV VERSION` in this stage or one it is built from) counts.",
		Why: "Without a version, each build installs whatever the repositories hold that day: two builds of the " +
			"same commit can differ, and an update can break the image without any change on your side.",
		Fix: "Name the version you tested, ideally through a build argument that a tool such as Renovate can update:\n\n" +
			"```dockerfile\nARG TOMCAT_VERSION=9.0.87\nRUN dnf install -y tomcat-${TOMCAT_VERSION} && dnf clean all\n```",
		Differences: "Values of dnf options written as a separate word (`--setopt tsflags=nodocs`, `--enablerepo epel`) " +
			"are not taken for package names, which hadolint reports as unpinned packages. A word that is only a " +
			"variable without a known value or a command substitution (`$PACKAGES`, `$(cat packages.txt)`) lists " +
			"packages that cannot be seen here and is not reported.",
	},
	Examples: []lint.Example{
		{Title: "No version", Dockerfile: "FROM fedora:41\nRUN dnf install -y tomcat rpm-sign && dnf clean all\n", Want: []string{"2:20"}},
		{Title: "A module without a stream", Dockerfile: "FROM fedora:41\nRUN microdnf module install -y nodejs\n", Want: []string{"2:32"}},
		{Title: "Versions, a stream and a group", Dockerfile: "FROM fedora:41\nRUN dnf install -y tomcat-9.0.1 gcc-c++-14.2.1 && dnf module install -y nodejs:20 && dnf group install -y \"Development Tools\"\n"},
		{Title: "A version from an ENV of the parent stage", Dockerfile: "FROM fedora:41 AS base\nENV GIT_VERSION=2.47.1\nFROM base\nRUN dnf install -y git-core-${GIT_VERSION}\n"},
	},
	Check: func(p *lint.Pass) {
		eachRun(p.File, func(ins *lint.Instruction, s *lint.Script) {
			reportUnpinned(p, ins, dnfPins.find(ins, s), "dnf", "",
				"pin each package as name-version (dnf install -y tomcat-9.0.87) and each module as module:stream")
		})
	},
})

var dnfPins = pinCheck{
	tools: []string{"dnf", "microdnf"}, installs: []string{"install"}, skipWords: []string{"install", "module"},
	skipIf: []string{"group", "groups"}, valueFlags: rpmValueFlags, pinned: rpmVersioned, module: moduleStreamPinned,
}
