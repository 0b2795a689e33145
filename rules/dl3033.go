package rules

import "github.com/strata-dev/strata/lint"

// DL3033 reports yum packages installed without a version.
var DL3033 = register(&lint.Rule{
	Code:     "DL3033",
	Name:     "yum-version-pinning",
	Summary:  "Pin versions in `yum install`: `yum install -y <package>-<version>`",
	Severity: lint.SeverityWarning,
	Origin:   lint.OriginHadolint,
	Status:   lint.StatusStable,
	Since:    "0.1.0",
	Docs: lint.Docs{
		What: "Reports packages of `yum install` given without a version (`tomcat` rather than `tomcat-9.0.87`), and " +
			"modules of `yum module install` without a stream (`nodejs` rather than `nodejs:20`), in `RUN` and " +
			"`ONBUILD RUN`. A package counts as versioned when what follows its first `-` is made of version " +
			"characters and contains a part starting with a digit (`gcc-c++-11.4.1`, `openssl-1:1.1.1k`), or when " +
			"it is an `.rpm` file. A version given through a build variable (`git-core-${VERSION}`, with `ARG " +
			"VERSION` anywhere before, or `ENV VERSION` in this stage or one it is built from) counts.",
		Why: "Without a version, each build installs whatever the repositories hold that day: two builds of the " +
			"same commit can differ, and an update can break the image without any change on your side.",
		Fix: "Name the version you tested, ideally through a build argument that a tool such as Renovate can update:\n\n" +
			"```dockerfile\nARG TOMCAT_VERSION=9.0.87\nRUN yum install -y tomcat-${TOMCAT_VERSION} && yum clean all\n```",
		Differences: "Values of yum options written as a separate word (`--enablerepo epel`) are not taken for " +
			"package names, and `yum group install` (like `dnf group install`) is not checked; hadolint reports " +
			"both as unpinned packages. A word that is only a variable without a known value or a command " +
			"substitution (`$PACKAGES`, `$(cat packages.txt)`) lists packages that cannot be seen here and is not " +
			"reported.",
	},
	Examples: []lint.Example{
		{Title: "No version", Dockerfile: "FROM centos:7\nRUN yum install -y tomcat && yum clean all\n", Want: []string{"2:20"}},
		{Title: "A module without a stream", Dockerfile: "FROM rockylinux:8\nRUN yum module install -y nodejs && yum clean all\n", Want: []string{"2:27"}},
		{Title: "Versions", Dockerfile: "FROM centos:7\nRUN yum install -y tomcat-9.2 openssl-1:1.1.1k && yum module install -y nodejs:20 && yum clean all\n"},
		{Title: "A version from a build argument", Dockerfile: "FROM centos:7\nARG GIT_VERSION=2.43.0\nRUN yum install -y git-core-$GIT_VERSION\n"},
	},
	Check: func(p *lint.Pass) {
		eachRun(p.File, func(ins *lint.Instruction, s *lint.Script) {
			reportUnpinned(p, ins, yumPins.find(ins, s), "yum", "",
				"pin each package as name-version (yum install -y tomcat-9.0.87) and each module as module:stream")
		})
	},
})

var yumPins = pinCheck{
	tools: []string{"yum"}, installs: []string{"install"}, skipWords: []string{"install", "module", "group"},
	skipIf: []string{"group", "groups"}, valueFlags: rpmValueFlags, pinned: rpmVersioned, module: moduleStreamPinned,
}
