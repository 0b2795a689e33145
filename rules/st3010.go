package rules

import (
	"github.com/strata-dev/strata/lint"
)

// ST3010 reports apt's dist-upgrade and full-upgrade.
var ST3010 = register(&lint.Rule{
	Code:     "ST3010",
	Name:     "apt-dist-upgrade",
	Summary:  "Avoid `apt-get dist-upgrade`; use `apt-get upgrade` or a newer base image",
	Severity: lint.SeverityInfo,
	Origin:   lint.OriginStrata,
	Status:   lint.StatusStable,
	Since:    "0.1.0",
	Docs: lint.Docs{
		What: "Reports `apt-get dist-upgrade`, `apt full-upgrade` (and `apt dist-upgrade`, `aptitude " +
			"dist-upgrade`/`full-upgrade`) in a `RUN` or `ONBUILD RUN`. A plain `upgrade` is not reported: " +
			"applying security updates on top of a base image is a reasonable choice.",
		Why: "Unlike `upgrade`, `dist-upgrade` resolves conflicts by installing new packages and removing installed " +
			"ones, including ones the base image relies on, and follows whatever release the sources point to. " +
			"What the image contains then depends on the day of the build instead of on the base image's tag, and a " +
			"release change can turn into a different distribution version inside an image still labelled as the old " +
			"one.",
		Fix: "Use a newer base image tag (or digest) for new releases, and `apt-get upgrade -y` (or nothing, " +
			"relying on the base image's updates) for security fixes.",
		Peers: "Trivy DS-0024 (AVD-DS-0024, deprecated in Trivy), dockle DKL-DI-0003. Checkov: none. hadolint had the " +
			"same rule as DL3005 and removed it; for zypper, `zypper dist-upgrade` is hadolint's DL3035 and is not " +
			"reported here.",
	},
	Examples: []lint.Example{
		{Title: "dist-upgrade", Dockerfile: "FROM debian:12\nRUN apt-get update && apt-get dist-upgrade -y && rm -rf /var/lib/apt/lists/*\n", Want: []string{"2:31"}},
		{Title: "upgrade", Dockerfile: "FROM debian:12\nRUN apt-get update && apt-get upgrade -y && rm -rf /var/lib/apt/lists/*\n"},
	},
	Check: func(p *lint.Pass) {
		eachRun(p.File, func(ins *lint.Instruction, s *lint.Script) {
			for _, c := range s.Commands {
				name, args := secUnwrap(c)
				if name != "apt-get" && name != "apt" && name != "aptitude" {
					continue
				}
				verb, _ := secVerb(args, "-o", "-c", "-t", "--option", "--target-release")
				if verb.Value != "dist-upgrade" && verb.Value != "full-upgrade" {
					continue
				}
				p.Report(lint.Finding{
					At: ins, Range: verb.Range(),
					Message: name + " " + verb.Value + " may install and remove packages and follow a new release, so the image no longer matches its base tag",
					Help:    "use apt-get upgrade for security fixes, or a newer base image tag for a new release",
				})
			}
		})
	},
})
