package rules

import (
	"strings"

	"github.com/strata-dev/strata/lint"
)

// DL3023 reports COPY --from naming its own stage.
var DL3023 = register(&lint.Rule{
	Code:     "DL3023",
	Name:     "copy-from-own-stage",
	Summary:  "`COPY --from` cannot reference its own stage",
	Severity: lint.SeverityError,
	Origin:   lint.OriginHadolint,
	Status:   lint.StatusStable,
	Since:    "0.1.0",
	Docs: lint.Docs{
		What: "Reports `COPY --from=NAME` inside the stage named NAME.",
		Why: "A stage cannot copy from itself: its file system is what is being built. BuildKit rejects the " +
			"Dockerfile (circular dependency), usually because a stage was renamed or the COPY was pasted into the " +
			"wrong stage.",
		Fix:         "Copy from the stage that produces the files, or copy the files within the stage with `RUN cp`.",
		Differences: "Stage names are compared without regard to case, as BuildKit does; hadolint compares them exactly.",
	},
	Examples: []lint.Example{
		{Title: "Copying from itself", Dockerfile: "FROM golang:1.23 AS build\nCOPY --from=build /go/bin/app /app\n", Want: []string{"2:6"}},
		{Title: "Copying from an earlier stage", Dockerfile: "FROM golang:1.23 AS build\nRUN go build -o /app .\nFROM debian:12 AS run\nCOPY --from=build /app /app\n"},
	},
	Check: func(p *lint.Pass) {
		for _, s := range p.File.Stages {
			if s.Name == "" {
				continue
			}
			for _, ins := range s.Instructions {
				if ins.Kind != "copy" {
					continue
				}
				if fl, ok := ins.Flag("from"); ok && strings.EqualFold(fl.Value, s.Name) {
					p.Report(lint.Finding{
						At: ins, Range: fl.Range,
						Message: "COPY --from=" + fl.Value + " inside stage " + s.Name + " itself: a stage cannot copy from its own file system",
						Help:    "copy from the stage that builds these files, or use RUN cp within the stage",
					})
				}
			}
		}
	},
})
