package rules

import (
	"github.com/strata-dev/strata/lint"
)

// ST3011 reports microdnf runs that leave the cache behind where hadolint's
// DL3040 does not.
var ST3011 = register(&lint.Rule{
	Code:     "ST3011",
	Name:     "microdnf-clean-missing",
	Summary:  "`microdnf clean all` missing after microdnf fetched packages or metadata",
	Severity: lint.SeverityInfo,
	Origin:   lint.OriginStrata,
	Status:   lint.StatusStable,
	Since:    "0.1.0",
	Docs: lint.Docs{
		What: "Reports a `microdnf` command that downloads metadata or packages (`install`, `reinstall`, " +
			"`update`, `upgrade`, `download`, `makecache`, `module enable`...) with no `microdnf clean all` after it " +
			"in the same `RUN`, in a stage that ends up in the image, in the cases hadolint's DL3040 lets through:\n\n" +
			"- `microdnf update` and the other commands DL3040 does not look at;\n" +
			"- a partial clean such as `microdnf clean metadata` or `microdnf clean packages`, which DL3040 accepts " +
			"but which leaves the rest of the cache in the layer.\n\n" +
			"An install with no clean at all is DL3040's finding and is not reported twice. `rm -rf` of " +
			"`/var/cache/yum` or `/var/cache/dnf` and a cache mount on them count as a clean.",
		Why: "microdnf keeps repository metadata and downloaded packages under `/var/cache/yum`: tens of megabytes " +
			"in the layer that nothing uses at run time and that no later RUN can remove.",
		Fix: "End the RUN with `microdnf clean all`:\n\n```dockerfile\n" +
			"RUN microdnf update -y && microdnf install -y shadow-utils && microdnf clean all\n```\n\n" +
			"or keep the cache out of the layer with `RUN --mount=type=cache,target=/var/cache/yum ...`.",
		Peers: "Trivy DS-0027 (AVD-DS-0027) reports install and reinstall without `microdnf clean all`; hadolint's " +
			"DL3040 reports dnf and microdnf installs without any clean, and this rule covers the rest. Checkov " +
			"and dockle: none.",
	},
	Examples: []lint.Example{
		{Title: "update without a clean", Dockerfile: "FROM registry.access.redhat.com/ubi9/ubi-minimal:9.4\nRUN microdnf update -y\n", Want: []string{"2:5"}},
		{Title: "A partial clean", Dockerfile: "FROM registry.access.redhat.com/ubi9/ubi-minimal:9.4\n" +
			"RUN microdnf install -y shadow-utils && microdnf clean metadata\n", Want: []string{"2:5"}},
		{Title: "Cleaned", Dockerfile: "FROM registry.access.redhat.com/ubi9/ubi-minimal:9.4\n" +
			"RUN microdnf update -y && microdnf install -y shadow-utils && microdnf clean all\n"},
	},
	Check: func(p *lint.Pass) {
		eachRun(p.File, func(ins *lint.Instruction, s *lint.Script) {
			if !stageKept(p.File, ins) || ins.HasCacheMount("/var/cache/yum", "/var/cache/dnf") {
				return
			}
			for i, c := range s.Commands {
				name, args := secUnwrap(c)
				if name != "microdnf" {
					continue
				}
				verb, _ := secVerb(args, "--setopt", "--enablerepo", "--disablerepo", "--repo", "--installroot", "--releasever", "--config")
				if !st3011Fetches[verb.Value] {
					continue
				}
				cleanAll, anyClean, partial := false, false, ""
				for _, later := range s.Commands[i+1:] {
					lname, largs := secUnwrap(later)
					if lname == "microdnf" {
						if v, k := secVerb(largs); v.Value == "clean" {
							anyClean = true
							if w, _ := secVerb(largs[k+1:]); w.Value == "all" {
								cleanAll = true
							} else {
								partial = w.Value
							}
						}
					}
					if isRmOf(later, "/var/cache/yum", "/var/cache/dnf") && !st3009RmAll(later) {
						cleanAll = true
					}
					if isRmOf(later) {
						anyClean = true // DL3040 accepts any rm -rf
					}
				}
				if cleanAll {
					return
				}
				if !anyClean && st3011DL3040[verb.Value] {
					return // DL3040's finding
				}
				msg := "microdnf " + verb.Value + " leaves metadata and packages under /var/cache/yum in this layer"
				if partial != "" {
					msg += " (microdnf clean " + partial + " removes only part of it)"
				}
				p.Report(lint.Finding{
					At: ins, Range: c.Range(), Message: msg,
					Help: "end the RUN with microdnf clean all, or use RUN --mount=type=cache,target=/var/cache/yum",
				})
				return
			}
		})
	},
})

// st3011Fetches are the microdnf commands that fill the cache.
var st3011Fetches = map[string]bool{
	"install": true, "in": true, "reinstall": true, "rei": true, "update": true, "upgrade": true, "up": true,
	"upgrade-minimal": true, "up-min": true, "download": true, "makecache": true, "module": true, "repoquery": true,
}

// st3011DL3040 are the commands hadolint's DL3040 checks.
var st3011DL3040 = map[string]bool{
	"install": true, "in": true, "upgrade": true, "up": true, "upgrade-minimal": true, "up-min": true,
	"reinstall": true, "rei": true,
}
