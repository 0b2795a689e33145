package source

import (
	"fmt"
	"runtime"
	"sort"
	"strings"

	v1 "github.com/google/go-containerregistry/pkg/v1"
)

// hostPlatform is what an empty --platform means.
func hostPlatform() *v1.Platform {
	return &v1.Platform{OS: "linux", Architecture: runtime.GOARCH}
}

func parsePlatform(s string) (*v1.Platform, error) {
	if s == "" {
		return nil, nil
	}
	p, err := v1.ParsePlatform(s)
	if err != nil || p.OS == "" || p.Architecture == "" {
		return nil, fmt.Errorf("invalid --platform %q: want os/arch[/variant]", s)
	}
	return p, nil
}

func platformString(p *v1.Platform) string {
	if p == nil {
		return ""
	}
	s := p.OS + "/" + p.Architecture
	if p.Variant != "" {
		s += "/" + p.Variant
	}
	return s
}

// isAttestation tells BuildKit's attestation manifests (SBOM, provenance)
// apart from images.
func isAttestation(d v1.Descriptor) bool {
	if d.Annotations["vnd.docker.reference.type"] == "attestation-manifest" {
		return true
	}
	return d.Platform != nil && d.Platform.OS == "unknown" && d.Platform.Architecture == "unknown"
}

// choosePlatform picks one image manifest from an index's entries. With no
// platform asked for, a lone image is taken whatever its platform, else the
// host's platform.
func choosePlatform(ds []v1.Descriptor, want *v1.Platform) (v1.Descriptor, error) {
	var images []v1.Descriptor
	for _, d := range ds {
		if !isAttestation(d) {
			images = append(images, d)
		}
	}
	if len(images) == 0 {
		return v1.Descriptor{}, fmt.Errorf("the index lists no image")
	}
	if want == nil && len(images) == 1 {
		return images[0], nil
	}
	asked := want
	if asked == nil {
		asked = hostPlatform()
	}
	for _, d := range images {
		if d.Platform != nil && d.Platform.Satisfies(*asked) {
			return d, nil
		}
	}
	var have []string
	for _, d := range images {
		have = append(have, platformString(d.Platform))
	}
	sort.Strings(have)
	return v1.Descriptor{}, fmt.Errorf("no image for platform %s (the index has %s); choose one with --platform",
		platformString(asked), strings.Join(have, ", "))
}
