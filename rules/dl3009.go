package rules

import "github.com/strata-dev/strata/lint"

// DL3009 reports apt lists left in the image.
var DL3009 = register(&lint.Rule{
	Code:     "DL3009",
	Name:     "apt-lists-not-deleted",
	Summary:  "Delete the apt lists (/var/lib/apt/lists) after installing something",
	Severity: lint.SeverityInfo,
	Origin:   lint.OriginHadolint,
	Status:   lint.StatusStable,
	Since:    "0.1.0",
	Docs: lint.Docs{
		What: "Reports a RUN that runs `apt-get update` (or `apt update`, `aptitude update`) without removing " +
			"`/var/lib/apt/lists/*` in the same RUN, in a stage that ends up in the image (the last stage, or one a " +
			"later stage is built FROM) or in an `ONBUILD RUN`. A cache or tmpfs mount on `/var/lib/apt/lists` (or on " +
			"both `/var/lib/apt` and `/var/cache/apt`) keeps the lists out of the layer and is not reported.",
		Why: "The package lists are tens of megabytes that are only needed while installing. Left in a layer they " +
			"are shipped with every pull, and deleting them in a later RUN does not help: the bytes stay in the " +
			"earlier layer.",
		Fix: "Remove the lists in the same RUN:\n\n```dockerfile\nRUN apt-get update \\\n && apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u7 \\\n" +
			" && rm -rf /var/lib/apt/lists/*\n```\n\nor, with BuildKit, keep them in a cache mount that also speeds up rebuilds:\n\n" +
			"```dockerfile\nRUN --mount=type=cache,target=/var/cache/apt,sharing=locked \\\n    --mount=type=cache,target=/var/lib/apt,sharing=locked \\\n" +
			"    rm -f /etc/apt/apt.conf.d/docker-clean && apt-get update && apt-get install -y --no-install-recommends curl\n```",
	},
	Examples: []lint.Example{
		{Title: "Lists left behind", Dockerfile: "FROM debian:12\nRUN apt-get update && apt-get install -y python3\n", Want: []string{"2:5"}},
		{Title: "Lists removed", Dockerfile: "FROM debian:12\nRUN apt-get update && apt-get install -y python3 && rm -rf /var/lib/apt/lists/*\n"},
		{Title: "A cache mount", Dockerfile: "FROM debian:12\nRUN --mount=type=cache,target=/var/lib/apt/lists apt-get update && apt-get install -y python3\n"},
		{Title: "A build stage that is thrown away", Dockerfile: "FROM debian:12 AS build\nRUN apt-get update && apt-get install -y gcc\nFROM scratch\nCOPY --from=build /etc/hostname /x\n"},
	},
	Check: func(p *lint.Pass) {
		eachRun(p.File, func(ins *lint.Instruction, s *lint.Script) {
			if !stageKept(p.File, ins) {
				return
			}
			if ins.HasCacheMount("/var/lib/apt/lists") ||
				(ins.HasCacheMount("/var/lib/apt") && ins.HasCacheMount("/var/cache/apt")) {
				return
			}
			var update *lint.Command
			cleaned := false
			for _, c := range s.Commands {
				if c.Is("apt-get", "apt", "aptitude") && c.HasArg("update") && update == nil {
					update = c
				}
				if isRmOf(c, "/var/lib/apt/lists") {
					cleaned = true
				}
			}
			if update == nil || cleaned {
				return
			}
			p.Report(lint.Finding{
				At: ins, Range: update.Range(),
				Message: "apt lists downloaded by `" + update.Name.Value + " update` stay in this layer (typically 20-50 MB)",
				Help:    cacheHelp("apt"),
			})
		})
	},
})
