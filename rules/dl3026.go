package rules

import (
	"strings"

	"github.com/strata-dev/strata/lint"
)

// DL3026 reports images from registries outside trustedRegistries.
var DL3026 = register(&lint.Rule{
	Code:     "DL3026",
	Name:     "untrusted-registry",
	Summary:  "Use only images from the trusted registries",
	Severity: lint.SeverityError,
	Origin:   lint.OriginHadolint,
	Status:   lint.StatusStable,
	Since:    "0.1.0",
	Docs: lint.Docs{
		What: "Active only when `trustedRegistries` is configured. Reports a `FROM` image, a `COPY --from` image " +
			"and a `RUN --mount=type=bind|cache,from=` image whose registry is not trusted. An image without a " +
			"registry host (`debian:12`, `org/app:1`) comes from Docker Hub and is trusted when `docker.io` or " +
			"`hub.docker.com` is. Earlier stages and `scratch` are always fine. Patterns: `*` (any registry), " +
			"`*.example.com` (a suffix), `registry.corp*` (a prefix) and exact host names.\n\n" +
			"```yaml\ntrustedRegistries:\n  - docker.io\n  - \"*.corp.example.com\"\n```",
		Why: "A registry policy keeps images from unknown publishers, typosquatted names and registries outside your " +
			"mirror or scanning pipeline out of your builds. Base images run with full access to the build and " +
			"ship in the final image.",
		Fix: "Pull the image through a trusted registry (your mirror: `FROM registry.corp.example.com/library/debian:12`), " +
			"or add the registry to `trustedRegistries` if it should be trusted.",
		Differences: "`COPY --from=N` with N the index of an earlier stage is a stage, not a Docker Hub image, and is " +
			"not reported; stage names are compared without regard to case, as BuildKit does.",
	},
	Examples: []lint.Example{
		{Title: "An untrusted registry", Config: "trustedRegistries:\n  - registry.corp.example.com\n",
			Dockerfile: "FROM quay.io/prometheus/busybox:latest\n", Want: []string{"1:6"}},
		{Title: "Trusted images, a stage and scratch", Config: "trustedRegistries:\n  - \"*.corp.example.com\"\n",
			Dockerfile: "FROM registry.corp.example.com/library/golang:1.23 AS build\nFROM scratch\nCOPY --from=build /app /app\n"},
	},
	Check: func(p *lint.Pass) {
		trusted := p.Settings.TrustedRegistries
		if len(trusted) == 0 {
			return
		}
		stages := 0
		for _, ins := range p.File.Instructions {
			switch ins.Kind {
			case "from":
				s := ins.Stage
				stages++
				if s == nil || s.Base == "" {
					continue
				}
				reg, name := fromRegistry(s.Base)
				if isStageName(p.File, name, s.Index) || registryTrusted(trusted, reg, name) {
					continue
				}
				p.Report(untrustedFinding(ins, imageArgRange(s), "base image", s.Base, reg, trusted))
			case "copy":
				fl, ok := ins.Flag("from")
				if !ok || copySourceIsStage(p.File, fl.Value, stages) {
					continue
				}
				if reg, name := refRegistry(fl.Value); !registryTrusted(trusted, reg, name) {
					p.Report(untrustedFinding(ins, fl.Range, "COPY --from image", fl.Value, reg, trusted))
				}
			case "run":
				for _, fl := range ins.Flags {
					if fl.Name != "mount" {
						continue
					}
					from, ok := mountFrom(fl.Value)
					if !ok || copySourceIsStage(p.File, from, stages) {
						continue
					}
					if reg, name := refRegistry(from); !registryTrusted(trusted, reg, name) {
						p.Report(untrustedFinding(ins, fl.Range, "RUN --mount image", from, reg, trusted))
						break // one finding per RUN
					}
				}
			}
		}
	},
})

func untrustedFinding(ins *lint.Instruction, r lint.Range, what, image, reg string, trusted []string) lint.Finding {
	list := strings.Join(trusted, ", ")
	var msg string
	switch {
	case reg != "" && !strings.Contains(reg, "$"):
		msg = what + " " + image + " comes from " + reg + ", which is not a trusted registry (trusted: " + list + ")"
	case strings.Contains(image, "$"):
		msg = what + " " + image + " comes from a variable, so its registry cannot be checked against the trusted registries (" + list + ")"
	case reg == "":
		msg = what + " " + image + " comes from Docker Hub (docker.io), which is not a trusted registry (trusted: " + list + ")"
	default:
		msg = what + " " + image + " comes from " + reg + ", which is not a trusted registry (trusted: " + list + ")"
	}
	help := "use an image from a trusted registry (or your mirror of it)"
	if reg != "" && !strings.Contains(reg, "$") {
		help += ", or add " + reg + " to trustedRegistries"
	} else if !strings.Contains(image, "$") {
		help += ", or add docker.io to trustedRegistries"
	}
	return lint.Finding{At: ins, Range: r, Message: msg, Help: help}
}

// copySourceIsStage reports whether a --from value names a stage defined
// so far, by name or index.
func copySourceIsStage(f *lint.File, from string, stages int) bool {
	if isStageName(f, from, stages) {
		return true
	}
	n, ok := leadingNumber(from)
	return ok && itoa(n) == from && n < stages
}

// fromRegistry splits a FROM image as hadolint's parser does: the
// registry is the text up to the first / after the first dot.
func fromRegistry(image string) (registry, name string) {
	name = image
	if dot := strings.IndexByte(image, '.'); dot > 0 {
		if slash := strings.IndexByte(image[dot+1:], '/'); slash > 0 {
			registry, name = image[:dot+1+slash], image[dot+1+slash+1:]
		}
	}
	if i := strings.IndexAny(name, ":@"); i >= 0 {
		name = name[:i]
	}
	return registry, name
}

// refRegistry splits an image reference as hadolint reads --from values:
// the first path component is the registry when it contains a dot.
func refRegistry(ref string) (registry, name string) {
	if first, rest, ok := strings.Cut(ref, "/"); ok && strings.Contains(first, ".") {
		return first, rest
	}
	return "", ref
}

// registryTrusted is hadolint's isAllowed: a registry must match a
// pattern; an image without one is Docker Hub's (or scratch).
func registryTrusted(trusted []string, registry, name string) bool {
	if registry == "" {
		return name == "scratch" || registryMatches(trusted, "docker.io") || registryMatches(trusted, "hub.docker.com")
	}
	return registryMatches(trusted, registry)
}

func registryMatches(patterns []string, registry string) bool {
	for _, p := range patterns {
		switch {
		case p == "*":
			return true
		case strings.HasPrefix(p, "*"):
			if strings.HasSuffix(registry, p[1:]) {
				return true
			}
		case strings.HasSuffix(p, "*"):
			if strings.HasPrefix(registry, p[:len(p)-1]) {
				return true
			}
		case p == registry:
			return true
		}
	}
	return false
}

// mountFrom returns the from= image of a bind or cache mount.
func mountFrom(spec string) (string, bool) {
	typ, from := "bind", ""
	for _, field := range strings.Split(spec, ",") {
		k, v, _ := strings.Cut(field, "=")
		switch strings.ToLower(strings.TrimSpace(k)) {
		case "type":
			typ = strings.ToLower(v)
		case "from":
			from = v
		}
	}
	return from, from != "" && (typ == "bind" || typ == "cache")
}
