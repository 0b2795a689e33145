package source

import (
	"bytes"
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

const (
	annotationRefName       = "org.opencontainers.image.ref.name"
	annotationContainerName = "io.containerd.image.name"
	maxIndexDepth           = 4
)

// openLayout reads the image selected by ref from an OCI layout held in s.
func openLayout(s store, ref string, platform *v1.Platform, img *Image) error {
	raw, err := readJSON(s, "index.json")
	if err != nil {
		return err
	}
	idx, err := v1.ParseIndexManifest(bytes.NewReader(raw))
	if err != nil {
		return fmt.Errorf("index.json: %w", err)
	}
	desc, err := selectFromIndex(idx.Manifests, ref, platform)
	if err != nil {
		return err
	}
	if n, ok := desc.Annotations[annotationRefName]; ok && ref != "" {
		img.Name = n
	}
	return openManifest(s, desc, platform, img, 0)
}

// selectFromIndex picks the top-level entry named by ref ("" for the only
// one, "@N" by position, else a ref.name or containerd image name).
func selectFromIndex(ds []v1.Descriptor, ref string, platform *v1.Platform) (v1.Descriptor, error) {
	if len(ds) == 0 {
		return v1.Descriptor{}, fmt.Errorf("index.json lists no image")
	}
	if strings.HasPrefix(ref, "@") {
		n, err := strconv.Atoi(ref[1:])
		if err != nil || n < 0 || n >= len(ds) {
			return v1.Descriptor{}, fmt.Errorf("no image %s: the index has %d", ref, len(ds))
		}
		return ds[n], nil
	}
	if ref != "" {
		for _, d := range ds {
			if d.Annotations[annotationRefName] == ref || sameName(d.Annotations[annotationContainerName], ref) {
				return d, nil
			}
		}
		return v1.Descriptor{}, fmt.Errorf("no image %q in the layout (it has %s)", ref, listRefs(ds))
	}
	if len(ds) == 1 {
		return ds[0], nil
	}
	// Several entries without names are the platforms of one image.
	named := false
	for _, d := range ds {
		if d.Annotations[annotationRefName] != "" || d.Annotations[annotationContainerName] != "" {
			named = true
		}
	}
	if !named {
		return choosePlatform(ds, platform)
	}
	return v1.Descriptor{}, fmt.Errorf("the layout holds %d images (%s): choose one with :REF", len(ds), listRefs(ds))
}

func listRefs(ds []v1.Descriptor) string {
	var names []string
	for i, d := range ds {
		n := d.Annotations[annotationRefName]
		if n == "" {
			n = d.Annotations[annotationContainerName]
		}
		if n == "" {
			n = "@" + strconv.Itoa(i)
		}
		names = append(names, n)
	}
	sort.Strings(names)
	return strings.Join(names, ", ")
}

// sameName compares image names the way Docker does ("busybox" is
// "docker.io/library/busybox:latest").
func sameName(a, b string) bool {
	if a == "" || b == "" {
		return false
	}
	if a == b {
		return true
	}
	ra, err1 := name.ParseReference(a)
	rb, err2 := name.ParseReference(b)
	return err1 == nil && err2 == nil && ra.Name() == rb.Name()
}

// openManifest follows desc (an index or an image manifest) down to an
// image and fills img from it.
func openManifest(s store, desc v1.Descriptor, platform *v1.Platform, img *Image, depth int) error {
	p, err := blobPath(desc.Digest.String())
	if err != nil {
		return err
	}
	raw, err := readJSON(s, p)
	if err != nil {
		return err
	}
	if desc.MediaType.IsIndex() || (desc.MediaType == "" && isIndexJSON(raw)) {
		if depth >= maxIndexDepth {
			return fmt.Errorf("indexes nested too deep")
		}
		idx, err := v1.ParseIndexManifest(bytes.NewReader(raw))
		if err != nil {
			return fmt.Errorf("index %s: %w", desc.Digest, err)
		}
		child, err := choosePlatform(idx.Manifests, platform)
		if err != nil {
			return err
		}
		return openManifest(s, child, platform, img, depth+1)
	}
	m, err := v1.ParseManifest(bytes.NewReader(raw))
	if err != nil {
		return fmt.Errorf("manifest %s: %w", desc.Digest, err)
	}
	img.Digest = desc.Digest.String()
	img.MediaType = string(m.MediaType)
	if img.MediaType == "" {
		img.MediaType = string(desc.MediaType)
	}
	img.Annotations = m.Annotations
	if desc.Platform != nil {
		img.Platform = platformString(desc.Platform)
	}
	cp, err := blobPath(m.Config.Digest.String())
	if err != nil {
		return err
	}
	craw, err := readJSON(s, cp)
	if err != nil {
		return fmt.Errorf("config: %w", err)
	}
	cfg, err := v1.ParseConfigFile(bytes.NewReader(craw))
	if err != nil {
		return fmt.Errorf("config %s: %w", m.Config.Digest, err)
	}
	img.Config = cfg
	if img.Platform == "" {
		img.Platform = configPlatform(cfg)
	}
	diffIDs := cfg.RootFS.DiffIDs
	if len(diffIDs) != len(m.Layers) {
		img.Warnings = append(img.Warnings, fmt.Sprintf("the config lists %d diff IDs for %d layers", len(diffIDs), len(m.Layers)))
	}
	for i, ld := range m.Layers {
		bp, err := blobPath(ld.Digest.String())
		if err != nil {
			return fmt.Errorf("layer %d: %w", i+1, err)
		}
		l := Layer{Digest: ld.Digest.String(), MediaType: string(ld.MediaType), Size: ld.Size}
		if i < len(diffIDs) {
			l.DiffID = diffIDs[i].String()
		}
		if err := attachBlob(s, bp, &l); err != nil {
			return fmt.Errorf("layer %d: %w", i+1, err)
		}
		img.Layers = append(img.Layers, l)
	}
	return nil
}

func isIndexJSON(raw []byte) bool {
	var probe struct {
		MediaType types.MediaType `json:"mediaType"`
		Manifests []any           `json:"manifests"`
	}
	return jsonUnmarshal(raw, &probe) == nil && (probe.MediaType.IsIndex() || probe.Manifests != nil)
}

func configPlatform(cfg *v1.ConfigFile) string {
	if cfg == nil || cfg.OS == "" {
		return ""
	}
	return platformString(&v1.Platform{OS: cfg.OS, Architecture: cfg.Architecture, Variant: cfg.Variant})
}

// layoutBaseResolver finds a base image by manifest digest in the same
// store (generators and `docker buildx --output type=oci` may keep it).
func layoutBaseResolver(s store, platform *v1.Platform) func(context.Context, string, string) ([]string, error) {
	return func(_ context.Context, _ string, digest string) ([]string, error) {
		h, err := v1.NewHash(digest)
		if err != nil {
			return nil, err
		}
		if p, _ := blobPath(digest); !s.has(p) {
			return nil, fmt.Errorf("base %s: %w", digest, ErrNotFound)
		}
		var base Image
		if err := openManifest(s, v1.Descriptor{Digest: h}, platform, &base, 0); err != nil {
			return nil, err
		}
		return diffIDStrings(base.Config), nil
	}
}

func diffIDStrings(cfg *v1.ConfigFile) []string {
	if cfg == nil {
		return nil
	}
	out := make([]string, len(cfg.RootFS.DiffIDs))
	for i, d := range cfg.RootFS.DiffIDs {
		out[i] = d.String()
	}
	return out
}
