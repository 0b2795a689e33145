package rules

import (
	"strings"

	"github.com/containerd/platforms"
	"github.com/moby/buildkit/frontend/dockerfile/shell"

	"github.com/strata-dev/strata/lint"
)

// FromPlatformFlagConstDisallowed reports FROM --platform with a constant.
var FromPlatformFlagConstDisallowed = register(&lint.Rule{
	Code:     "FromPlatformFlagConstDisallowed",
	Name:     "from-platform-flag-const-disallowed",
	Summary:  "Do not pin a stage to a constant `--platform`",
	Severity: lint.SeverityWarning,
	Origin:   lint.OriginBuildKit,
	Status:   lint.StatusStable,
	Since:    "0.1.0",
	Docs: lint.Docs{
		What: "Reports `FROM --platform=` with a constant value such as `linux/amd64`, unless the stage's name " +
			"contains the platform's OS or architecture (`AS build-amd64`), which marks a deliberately " +
			"platform-specific stage." + bkStops,
		Why: "A constant platform makes the Dockerfile build for that platform only: `docker build --platform " +
			"linux/arm64` and multi-platform builds silently get the pinned platform's binaries, or run them under " +
			"emulation.",
		Fix: "Leave `--platform` out and choose the platform on the command line, use `--platform=$BUILDPLATFORM` " +
			"for stages that only produce build output, or name the stage after its platform.",
	},
	Examples: []lint.Example{
		{Title: "A constant platform", Dockerfile: "FROM --platform=linux/amd64 alpine:3.20 AS base\n", Want: []string{"1:6"}},
		{Title: "A variable, and a stage named after its platform", Dockerfile: "FROM --platform=$BUILDPLATFORM golang:1.23 AS build\nFROM --platform=linux/arm64 alpine:3.20 AS base-arm64\n"},
	},
	Check: checkBuildKit,
})

// fromPlatformFlagConst is BuildKit's reportConstPlatformDisallowed.
func (s *bkSim) fromPlatformFlagConst(st *bkStage, pm shell.ProcessWordResult, comments []string) {
	if len(pm.Matched) > 0 || len(pm.Unmatched) > 0 {
		return
	}
	p, err := platforms.Parse(pm.Result)
	if err != nil {
		return
	}
	if strings.Contains(st.st.Name, p.OS) || strings.Contains(st.st.Name, p.Architecture) {
		return
	}
	r, _ := s.platformFlag(s.f.Instructions[st.ins])
	s.add(bkFinding{
		rule: "FromPlatformFlagConstDisallowed", ins: st.ins, rng: r,
		msg:  "--platform=" + pm.Result + " pins this stage to one platform, whatever platform the build is for",
		help: "drop the flag (or use $BUILDPLATFORM for a build-only stage); if the stage is meant for that platform only, put " + p.Architecture + " in its name",
	}, comments)
}
