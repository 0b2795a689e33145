package rules

import (
	"strings"

	"github.com/strata-dev/strata/lint"
)

// DL3037 reports zypper packages installed without a version.
var DL3037 = register(&lint.Rule{
	Code:     "DL3037",
	Name:     "zypper-version-pinning",
	Summary:  "Pin versions in `zypper install`: `zypper install -y <package>=<version>`",
	Severity: lint.SeverityWarning,
	Origin:   lint.OriginHadolint,
	Status:   lint.StatusStable,
	Since:    "0.1.0",
	Docs: lint.Docs{
		What: "Reports packages of `zypper install` (or `zypper in`) without a version constraint (`=`, `>=`, `>`, " +
			"`<=`, `<`) that are not `.rpm` files, in `RUN` and `ONBUILD RUN`.",
		Why: "Without a version, each build installs whatever the repositories hold that day: two builds of the " +
			"same commit can differ, and an update can break the image without any change on your side.",
		Fix: "`RUN zypper --non-interactive install tomcat=9.0.87 && zypper clean --all` (quote or escape `>` and `<`: " +
			"`'tomcat>=9.0'`).",
		Differences: "Values of zypper options written as a separate word (`--repo oss`, `-t pattern`) are not taken " +
			"for package names, which hadolint reports as unpinned packages. A word that is only a variable without " +
			"a known value or a command substitution (`$PACKAGES`) lists packages that cannot be seen here and is " +
			"not reported.",
	},
	Examples: []lint.Example{
		{Title: "No version", Dockerfile: "FROM opensuse/leap:15.6\nRUN zypper install -y tomcat && zypper clean\n", Want: []string{"2:23"}},
		{Title: "Versions", Dockerfile: "FROM opensuse/leap:15.6\nRUN zypper install -y tomcat=9.0.39 'httpd>=2.4' ./local-1.0.rpm && zypper clean\n"},
	},
	Check: func(p *lint.Pass) {
		eachRun(p.File, func(ins *lint.Instruction, s *lint.Script) {
			reportUnpinned(p, ins, zypperPins.find(ins, s), "zypper", "",
				"pin each package: zypper install -y tomcat=9.0.87 (or 'tomcat>=9.0,<10')")
		})
	},
})

var zypperPins = pinCheck{
	tools: []string{"zypper"}, installs: []string{"install", "in"}, skipWords: []string{"install", "in"},
	valueFlags: map[string]bool{
		"-t": true, "--type": true, "-r": true, "--repo": true, "--from": true, "-R": true, "--root": true,
		"-c": true, "--config": true, "-D": true, "--reposd-dir": true, "-C": true, "--cache-dir": true,
		"--raw-cache-dir": true, "--solv-cache-dir": true, "--pkg-cache-dir": true, "-p": true, "--plus-repo": true,
		"--download": true,
	},
	pinned: func(pkg string) bool {
		return strings.ContainsAny(pkg, "=<>") || strings.HasSuffix(pkg, ".rpm")
	},
}
