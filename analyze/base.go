package analyze

import (
	"context"
	"regexp"

	"github.com/strata-dev/strata/analyze/source"
)

// Annotations that name an image's base (OCI image spec).
const (
	AnnotationBaseDigest = "org.opencontainers.image.base.digest"
	AnnotationBaseName   = "org.opencontainers.image.base.name"
)

// BaseImage is what --base resolved to.
type BaseImage struct {
	Name    string
	DiffIDs []string
	// Source is how it was found: "flag" (the default, --base) or
	// "dockerfile" (the FROM of a build or of --dockerfile).
	Source string
}

// detectBase decides how many leading layers belong to the base image:
// --base, then the base annotations (resolved where the image came from),
// then the history boundary, and dive's "layer 0 only" as a last resort.
func detectBase(ctx context.Context, img *source.Image, flag *BaseImage, hist []History, warn func(string, ...any)) BaseInfo {
	ids := make([]string, len(img.Layers))
	for i, l := range img.Layers {
		ids[i] = l.DiffID
	}
	if flag != nil {
		n := commonPrefix(ids, flag.DiffIDs)
		if n < len(flag.DiffIDs) {
			warn("--base %s: only %d of its %d layers start this image", flag.Name, n, len(flag.DiffIDs))
		}
		return BaseInfo{Layers: n, Source: firstNonEmpty(flag.Source, "flag"), Image: flag.Name}
	}
	digest, name := img.Annotations[AnnotationBaseDigest], img.Annotations[AnnotationBaseName]
	if (digest != "" || name != "") && img.ResolveBase != nil {
		base, err := img.ResolveBase(ctx, name, digest)
		if err == nil && len(base) > 0 {
			n := commonPrefix(ids, base)
			if n == len(base) {
				return BaseInfo{Layers: n, Source: "annotation", Image: firstNonEmpty(name, digest)}
			}
			warn("base annotation %s does not match the image's first layers", firstNonEmpty(name, digest))
		} else if err != nil {
			warn("base annotation %s: %v", firstNonEmpty(name, digest), err)
		}
	}
	if n, ok := historyBoundary(hist); ok && n < len(img.Layers) {
		return BaseInfo{Layers: n, Source: "history"}
	}
	if len(img.Layers) == 0 {
		return BaseInfo{Source: "first-layer"}
	}
	return BaseInfo{Layers: 1, Source: "first-layer"}
}

func commonPrefix(a, b []string) int {
	n := 0
	for n < len(a) && n < len(b) && a[n] != "" && a[n] == b[n] {
		n++
	}
	return n
}

func firstNonEmpty(s ...string) string {
	for _, x := range s {
		if x != "" {
			return x
		}
	}
	return ""
}

// finalInstruction matches the history of CMD and ENTRYPOINT, which a
// Dockerfile's last stage sets at its end: classic builder
// ("/bin/sh -c #(nop)  CMD [...]") and BuildKit ("CMD [...]") forms.
var finalInstruction = regexp.MustCompile(`^(/bin/sh -c #\(nop\)\s+)?(CMD|ENTRYPOINT)\b`)

// historyBoundary finds the last CMD/ENTRYPOINT history entry that a
// layer-making entry follows: what comes before it was a finished image
// that another build started FROM.
func historyBoundary(hist []History) (int, bool) {
	layers, boundary, found := 0, 0, false
	pendingFinal := false
	for _, h := range hist {
		if !h.EmptyLayer {
			if pendingFinal {
				boundary, found = layers, true
				pendingFinal = false
			}
			layers++
			continue
		}
		if finalInstruction.MatchString(h.CreatedBy) {
			pendingFinal = true
		}
	}
	return boundary, found && boundary > 0
}

// mapHistory pairs history entries with layers, skipping empty-layer
// entries, the way the Docker and OCI specs define it.
func mapHistory(img *source.Image, layers []Layer, warn func(string, ...any)) []History {
	var out []History
	L := 0
	for _, h := range img.Config.History {
		e := History{Created: h.Created.Time, CreatedBy: h.CreatedBy, Comment: h.Comment, EmptyLayer: h.EmptyLayer, Layer: -1}
		if !h.EmptyLayer {
			if L < len(layers) {
				e.Layer = L
			}
			L++
		}
		out = append(out, e)
	}
	if len(img.Config.History) > 0 && L != len(layers) {
		warn("the history describes %d layers, the image has %d", L, len(layers))
	}
	for i := range out {
		if out[i].Layer >= 0 {
			layers[out[i].Layer].History = &out[i]
		}
	}
	return out
}
