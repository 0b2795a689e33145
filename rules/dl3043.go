package rules

import (
	"strings"

	"github.com/strata-dev/strata/lint"
)

// DL3043 reports ONBUILD ONBUILD, ONBUILD FROM and ONBUILD MAINTAINER.
var DL3043 = register(&lint.Rule{
	Code:     "DL3043",
	Name:     "onbuild-forbidden-trigger",
	Summary:  "`ONBUILD`, `FROM` and `MAINTAINER` cannot be ONBUILD triggers",
	Severity: lint.SeverityError,
	Origin:   lint.OriginHadolint,
	Status:   lint.StatusStable,
	Since:    "0.1.0",
	Docs: lint.Docs{
		What: "Reports `ONBUILD ONBUILD ...`, `ONBUILD FROM ...` and `ONBUILD MAINTAINER ...`.",
		Why: "Docker refuses these triggers: the build fails with \"Chaining ONBUILD via `ONBUILD ONBUILD` isn't " +
			"allowed\" or \"FROM/MAINTAINER isn't allowed as an ONBUILD trigger\".",
		Fix: "Drop the trigger: a downstream image chooses its own base with FROM, and authorship belongs in a " +
			"label, `LABEL org.opencontainers.image.authors=\"...\"`.",
	},
	Examples: []lint.Example{
		{Title: "MAINTAINER as a trigger", Dockerfile: "FROM alpine:3.20\nONBUILD MAINTAINER \"BoJack Horseman\"\n", Want: []string{"2:9"}},
		{Title: "Allowed triggers", Dockerfile: "FROM alpine:3.20\nONBUILD COPY . /app\nONBUILD RUN make -C /app\n"},
	},
	Check: func(p *lint.Pass) {
		for _, ins := range p.File.Instructions {
			in := ins.OnBuild
			if in == nil {
				continue
			}
			switch in.Kind {
			case "onbuild", "from", "maintainer":
				kw := strings.ToUpper(in.Kind)
				p.Report(lint.Finding{
					At: ins, Range: in.KeywordRange(),
					Message: kw + " is not allowed as an ONBUILD trigger: Docker rejects this instruction",
					Help:    onbuildHelp[in.Kind],
				})
			}
		}
	},
})

var onbuildHelp = map[string]string{
	"onbuild":    "remove the nested ONBUILD: a trigger cannot register another trigger",
	"from":       "remove it: the downstream Dockerfile chooses its base with its own FROM",
	"maintainer": "remove it and use LABEL org.opencontainers.image.authors=\"...\" instead",
}
