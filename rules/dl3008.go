package rules

import (
	"strings"

	"github.com/strata-dev/strata/lint"
)

// DL3008 reports apt-get install of packages without a version.
var DL3008 = register(&lint.Rule{
	Code:     "DL3008",
	Name:     "apt-get-unpinned",
	Summary:  "Pin versions in `apt-get install`",
	Severity: lint.SeverityWarning,
	Origin:   lint.OriginHadolint,
	Status:   lint.StatusStable,
	Since:    "0.1.0",
	Docs: lint.Docs{
		What: "Reports `apt-get install` (in a RUN or `ONBUILD RUN`) of a package given without a version. A " +
			"package is pinned when it names a version (`curl=7.88.1-10+deb12u7`, `curl=7.88.*`) or a release " +
			"(`curl/bookworm-backports`), or is a local `.deb` file. The value of `-t`/`--target-release` is not a " +
			"package. One finding per RUN, at the first unpinned package.",
		Why: "Without a version, each build installs whatever the mirror serves that day: builds of the same commit " +
			"differ, a new upstream release can break the image without any change to the Dockerfile, and the " +
			"layer cache hides the difference until it is invalidated.",
		Fix: "Pin each package to the version you tested: `apt-cache policy curl` (or `apt-cache madison curl`) in " +
			"the base image lists the candidates.\n\n```dockerfile\nRUN apt-get update \\\n && apt-get install -y " +
			"--no-install-recommends curl=7.88.1-10+deb12u7 \\\n && rm -rf /var/lib/apt/lists/*\n```\n\nA wildcard " +
			"(`curl=7.88.*`) keeps security updates while fixing the release.",
	},
	Examples: []lint.Example{
		{Title: "No version", Dockerfile: "FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends python3\n", Want: []string{"2:66"}},
		{Title: "Pinned, by version, release and file", Dockerfile: "FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends \\\n" +
			"    python3=3.11.2-1+b1 git/bookworm-backports ./tool_1.0_amd64.deb\n"},
	},
	Check: func(p *lint.Pass) {
		eachRun(p.File, func(ins *lint.Instruction, s *lint.Script) {
			var bad []lint.Word
			for _, c := range s.Commands {
				if !isAptGetInstall(c) {
					continue
				}
				for _, w := range operands(c, "t", "target-release") {
					if w.Value != "install" && !aptPinned(w.Value) {
						bad = append(bad, w)
					}
				}
			}
			if len(bad) == 0 {
				return
			}
			bad = literalFirst(bad)
			first := bad[0].Value
			help := "pin the version you tested, e.g. apt-get install " + first + "=<version> (apt-cache policy " + first + " lists them)"
			if strings.Contains(first, "$") {
				help = "pin versions in the variable's value (name=version), or list the packages with their versions"
			}
			p.Report(lint.Finding{At: ins, Range: bad[0].Range(), Message: unpinnedMessage("apt-get", bad), Help: help})
		})
	},
})

func isAptGetInstall(c *lint.Command) bool { return c.Is("apt-get") && c.HasArg("install") }

// aptPinned is hadolint's test: a version (=), a release (/) or a .deb.
func aptPinned(pkg string) bool {
	return strings.ContainsAny(pkg, "=/") || strings.HasSuffix(pkg, ".deb")
}
