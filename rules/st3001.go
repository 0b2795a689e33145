package rules

import (
	"strconv"
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/strata-dev/strata/lint"
)

// ST3001 reports images pulled by tag rather than by digest.
var ST3001 = register(&lint.Rule{
	Code:     "ST3001",
	Name:     "image-not-pinned-by-digest",
	Summary:  "Pin base images by digest (`image:tag@sha256:...`), not by tag alone",
	Severity: lint.SeverityWarning,
	Origin:   lint.OriginStrata,
	Status:   lint.StatusPreview,
	Since:    "0.1.0",
	Docs: lint.Docs{
		What: "Reports an image that the build pulls by tag without a `@sha256:` digest: the image of a `FROM`, of " +
			"`COPY --from=image` and of `RUN --mount=from=image`. Stage names, `scratch` and stage indexes are not " +
			"images and are never reported. An image given by a variable (`FROM $BASE`) is checked with the " +
			"default of its `ARG`; without a default it is left alone, since the value comes from the build " +
			"command.\n\n" +
			"This rule is a **preview** rule and off by default, because many teams pin by tag on purpose and " +
			"let their base images pick up security patches. Turn it on with `--preview` or `preview: true` in " +
			"`.strata.yaml` (both enable every preview rule), or name it in `--select`: `--select ST3001` runs it " +
			"alone, `--select DL,ST,ST3001` runs it with the other hadolint and strata rules.",
		Why: "A tag is a movable pointer: `node:20` today is not `node:20` next week, and whoever controls the " +
			"registry or the tag (or a compromised account) can point it at different content. A digest names the " +
			"exact bytes, so the build is reproducible and a swapped image fails to pull instead of being " +
			"built into your release.",
		Fix: "Keep the tag for humans and add the digest for the builder:\n\n```dockerfile\n" +
			"FROM node:20.18-bookworm-slim@sha256:<digest>\n```\n\n" +
			"`docker buildx imagetools inspect node:20.18-bookworm-slim` prints the digest. Renovate and " +
			"Dependabot update pinned digests automatically, so pinning does not mean missing security fixes.",
		Peers: "hadolint's DL3006 (no tag) and DL3007 (`latest`) report weaker forms of the same problem; this rule " +
			"adds the digest requirement. No Trivy, Checkov or dockle rule checks digests; Checkov's CKV_DOCKER_7 " +
			"and Trivy's DS-0001 (AVD-DS-0001) only check for `latest`, and dockle's CIS-DI-0005 (content trust) " +
			"is the runtime counterpart.",
	},
	Examples: []lint.Example{
		{Title: "Pinned by tag only", Dockerfile: "FROM python:3.12-slim\nCOPY --from=ghcr.io/astral-sh/uv:0.5 /uv /bin/uv\n", Want: []string{"1:6", "2:13"}},
		{Title: "An ARG default without a digest", Dockerfile: "ARG BASE=alpine:3.20\nFROM $BASE\n", Want: []string{"2:6"}},
		{Title: "Pinned by digest, a stage and scratch",
			Dockerfile: "FROM golang:1.23@sha256:8c10f21bec412f08f73aa7b97ca5ac5f28a39d8a88030ad8a339fd0a781d72b4 AS build\n" +
				"FROM scratch\nCOPY --from=build /app /app\n"},
		{Title: "An ARG without a default", Dockerfile: "ARG BASE\nFROM $BASE\n"},
	},
	Check: func(p *lint.Pass) {
		f := p.File
		global := secGlobalArgs(f)
		for _, s := range f.Stages {
			if r, ok := st3001Unpinned(f, s.Base, s.Index, global); ok {
				p.Report(lint.Finding{
					At: s.From, Range: imageArgRange(s),
					Message: "base image " + r + " is not pinned by digest, so the registry decides what gets built",
					Help:    st3001Help(r),
				})
			}
		}
		secEach(f, func(ins *lint.Instruction) {
			if ins.Stage == nil {
				return
			}
			var refs []string
			var ranges []lint.Range
			switch ins.Kind {
			case "copy":
				if fl, ok := ins.Flag("from"); ok {
					refs, ranges = append(refs, fl.Value), append(ranges, secNarrow(f.Source, fl.Range, fl.Value))
				}
			case "run":
				for _, m := range ins.Mounts() {
					if m.From == "" || m.Type == instructions.MountTypeSecret {
						continue
					}
					r := ins.Range()
					for _, fl := range ins.Flags {
						if fl.Name == "mount" && strings.Contains(fl.Value, m.From) {
							r = secNarrow(f.Source, fl.Range, m.From)
							break
						}
					}
					refs, ranges = append(refs, m.From), append(ranges, r)
				}
			}
			for i, ref := range refs {
				if _, err := strconv.Atoi(ref); err == nil {
					continue // a stage index
				}
				if r, ok := st3001Unpinned(f, ref, ins.Stage.Index+1, global); ok {
					p.Report(lint.Finding{
						At: ins, Range: ranges[i],
						Message: "image " + r + " is not pinned by digest, so the registry decides what the build uses",
						Help:    st3001Help(r),
					})
				}
			}
		})
	},
})

// st3001Unpinned resolves an image reference and reports whether it is a
// registry image without a digest, returning it as resolved.
func st3001Unpinned(f *lint.File, img string, before int, global map[string]string) (string, bool) {
	if img == "" {
		return "", false
	}
	if strings.Contains(img, "$") {
		v, ok := secExpand(secUnquote(img), global)
		if !ok || v == "" || strings.Contains(v, "$") {
			return "", false
		}
		img = v
	}
	if strings.EqualFold(img, "scratch") || isStageName(f, img, before) {
		return "", false
	}
	if parseImageRef(img).Digest != "" {
		return "", false
	}
	return img, true
}

func st3001Help(img string) string {
	return "add the digest: " + img + "@sha256:<digest> (`docker buildx imagetools inspect " + img +
		"` prints it); Renovate or Dependabot keep pinned digests up to date"
}
