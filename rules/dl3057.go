package rules

import "github.com/strata-dev/strata/lint"

// DL3057 reports stages without a HEALTHCHECK (off by default).
var DL3057 = register(&lint.Rule{
	Code:       "DL3057",
	Name:       "missing-healthcheck",
	Summary:    "`HEALTHCHECK` instruction missing",
	Severity:   lint.SeverityInfo,
	DefaultOff: true,
	Origin:     lint.OriginHadolint,
	Status:     lint.StatusStable,
	Since:      "0.1.0",
	Docs: lint.Docs{
		What: "Reports each stage (at its FROM) without a `HEALTHCHECK`, neither its own nor one inherited from " +
			"the stages it is built FROM. `HEALTHCHECK NONE` counts: it says the omission is deliberate. Stages that " +
			"only feed others are not reported: the base of a stage that has a HEALTHCHECK, and the sources of " +
			"`COPY --from` or `RUN --mount=from`. Off by default, as in hadolint: enable it with `--select DL3057` " +
			"or a severity override.",
		Why: "Without a health check, Docker and Swarm only know whether the main process runs, not whether it " +
			"serves: a hung server keeps receiving traffic and is never restarted.",
		Fix: "`HEALTHCHECK --interval=30s CMD wget -qO- http://localhost:8080/health || exit 1`, or `HEALTHCHECK NONE` " +
			"when the orchestrator probes the container itself (Kubernetes ignores HEALTHCHECK).",
		Differences: "hadolint also reports build stages that are only used by `COPY --from`; such a stage never runs " +
			"as a container, so strata does not.",
	},
	Examples: []lint.Example{
		{Title: "No HEALTHCHECK", Dockerfile: "FROM nginx:1.27\n", Want: []string{"1:6"}},
		{Title: "Inherited from the parent stage", Dockerfile: "FROM nginx:1.27 AS base\nHEALTHCHECK CMD curl -f http://localhost/ || exit 1\nFROM base\n"},
		{Title: "Deliberately none", Dockerfile: "FROM nginx:1.27\nHEALTHCHECK NONE\n"},
	},
	Check: func(p *lint.Pass) {
		missing := stagesLacking(p.File, func(s *lint.Stage) bool {
			for _, ins := range s.Instructions {
				if ins.Kind == "healthcheck" {
					return true
				}
			}
			return false
		})
		for _, s := range missing {
			p.Report(lint.Finding{
				At: s.From, Range: imageArgRange(s),
				Message: stageDesc(s) + " has no HEALTHCHECK: Docker cannot tell whether the container still serves",
				Help:    "add HEALTHCHECK CMD <probe>, or HEALTHCHECK NONE if the orchestrator checks health itself",
			})
		}
	},
})
