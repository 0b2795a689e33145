package rules

import "github.com/strata-dev/strata/lint"

// DL3060 reports yarn install without yarn cache clean.
var DL3060 = register(&lint.Rule{
	Code:     "DL3060",
	Name:     "yarn-cache-not-cleaned",
	Summary:  "`yarn cache clean` missing after `yarn install`",
	Severity: lint.SeverityInfo,
	Origin:   lint.OriginHadolint,
	Status:   lint.StatusStable,
	Since:    "0.1.0",
	Docs: lint.Docs{
		What: "Reports `yarn install` not followed, later in the same RUN, by `yarn cache clean`, in a stage that " +
			"ends up in the image (the last stage, or one a later stage is built FROM) or in an `ONBUILD RUN`, " +
			"unless a cache or tmpfs mount covers `.cache/yarn`.",
		Why: "yarn (v1) copies every package into its global cache as well as into `node_modules`: the layer holds each dependency twice.",
		Fix: "`RUN yarn install --frozen-lockfile && yarn cache clean`, or `RUN --mount=type=cache,target=/usr/local/share/.cache/yarn yarn install --frozen-lockfile`.",
	},
	Examples: []lint.Example{
		{Title: "No clean", Dockerfile: "FROM node:22\nRUN yarn install foo\n", Want: []string{"2:5"}},
		{Title: "Cleaned", Dockerfile: "FROM node:22\nRUN yarn install && yarn cache clean\n"},
		{Title: "A cache mount", Dockerfile: "FROM node:22\nRUN --mount=type=cache,target=/root/.cache/yarn yarn install\n"},
	},
	Check: cleanupCheck{
		cache:     "yarn",
		install:   func(c *lint.Command) bool { return c.Is("yarn") && c.HasArg("install") },
		clean:     func(_, c *lint.Command) bool { return c.Is("yarn") && c.HasArg("cache") && c.HasArg("clean") },
		keptOnly:  true,
		message:   "yarn install copies every package into yarn's cache too, and it stays in this layer",
		mountDirs: []string{".cache/yarn"},
	}.run,
})
