package rules

import "github.com/strata-dev/strata/lint"

// DL3019 reports apk add without --no-cache.
var DL3019 = register(&lint.Rule{
	Code:     "DL3019",
	Name:     "apk-add-without-no-cache",
	Summary:  "Use `apk add --no-cache` instead of keeping the apk cache",
	Severity: lint.SeverityInfo,
	Origin:   lint.OriginHadolint,
	Status:   lint.StatusStable,
	Since:    "0.1.0",
	Docs: lint.Docs{
		What: "Reports `apk add` without `--no-cache`, unless the RUN has a cache or tmpfs mount on `/var/cache/apk`.",
		Why: "Without `--no-cache`, apk downloads the index into `/var/cache/apk` and it stays in the layer. " +
			"`--no-cache` fetches the index to memory, so no `apk update` and no `rm -rf /var/cache/apk/*` is needed.",
		Fix: "`RUN apk add --no-cache curl=8.9.1-r0`, or `RUN --mount=type=cache,target=/var/cache/apk apk add curl` " +
			"to reuse the cache between builds without shipping it.",
	},
	Examples: []lint.Example{
		{Title: "Cache kept", Dockerfile: "FROM alpine:3.20\nRUN apk add flex=2.6.4-r6\n", Want: []string{"2:5"}},
		{Title: "--no-cache", Dockerfile: "FROM alpine:3.20\nRUN apk add --no-cache flex=2.6.4-r6\n"},
		{Title: "A cache mount", Dockerfile: "FROM alpine:3.20\nRUN --mount=type=cache,target=/var/cache/apk apk add -U curl=8.9.1-r0\n"},
	},
	Check: func(p *lint.Pass) {
		eachRun(p.File, func(ins *lint.Instruction, s *lint.Script) {
			if ins.HasCacheMount("/var/cache/apk") {
				return
			}
			for _, c := range s.Commands {
				if c.Is("apk") && c.HasArg("add") && !c.HasFlag("no-cache") {
					p.Report(lint.Finding{
						At: ins, Range: c.Range(),
						Message: "`apk add` without --no-cache leaves the package index in /var/cache/apk in this layer",
						Help:    "use apk add --no-cache, or RUN " + mountHint("apk"),
					})
				}
			}
		})
	},
})
