package rules

import (
	"strings"

	"github.com/strata-dev/strata/lint"
)

// DL3018 reports apk add of packages without a version.
var DL3018 = register(&lint.Rule{
	Code:     "DL3018",
	Name:     "apk-unpinned",
	Summary:  "Pin versions in `apk add`",
	Severity: lint.SeverityWarning,
	Origin:   lint.OriginHadolint,
	Status:   lint.StatusStable,
	Since:    "0.1.0",
	Docs: lint.Docs{
		What: "Reports `apk add` (in a RUN or `ONBUILD RUN`) of a package without a version constraint (`=`, `~`, " +
			"`>`, `<`). Local `.apk` files are fine, and the values of `-t`/`--virtual` and `-X`/`--repository` " +
			"are not packages. One finding per RUN, at the first unpinned package.",
		Why: "Without a version, each build installs whatever the Alpine mirror serves that day: builds of the same " +
			"commit differ, and an upgrade can break the image without any change to the Dockerfile.",
		Fix: "Pin the version you tested, `apk add --no-cache curl=8.9.1-r0`, or allow patch updates with a fuzzy " +
			"constraint: `apk add --no-cache 'curl~8.9'`. `apk policy curl` lists the available versions.",
	},
	Examples: []lint.Example{
		{Title: "No version", Dockerfile: "FROM alpine:3.20\nRUN apk add --no-cache curl\n", Want: []string{"2:24"}},
		{Title: "Exact and fuzzy versions, a virtual package", Dockerfile: "FROM alpine:3.20\n" +
			"RUN apk add --no-cache --virtual .build-deps gcc=13.2.1_git20240309-r0 'musl-dev~1.2'\n"},
	},
	Check: func(p *lint.Pass) {
		eachRun(p.File, func(ins *lint.Instruction, s *lint.Script) {
			var bad []lint.Word
			for _, c := range s.Commands {
				if !c.Is("apk") || !c.HasArg("add") {
					continue
				}
				for _, w := range operands(c, "t", "virtual", "repository", "X") {
					if w.Value != "add" && !apkPinned(w.Value) {
						bad = append(bad, w)
					}
				}
			}
			if len(bad) == 0 {
				return
			}
			bad = literalFirst(bad)
			help := "pin the version you tested, e.g. apk add " + bad[0].Value + "=<version> (apk policy " + bad[0].Value + " lists them)"
			if strings.Contains(bad[0].Value, "$") {
				help = "pin versions in the variable's value (name=version), or list the packages with their versions"
			}
			p.Report(lint.Finding{At: ins, Range: bad[0].Range(), Message: unpinnedMessage("apk", bad), Help: help})
		})
	},
})

func apkPinned(pkg string) bool {
	return strings.ContainsAny(pkg, "=~><") || strings.HasSuffix(pkg, ".apk")
}
