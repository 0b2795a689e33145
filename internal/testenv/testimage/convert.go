package testimage

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/google/go-containerregistry/pkg/v1/match"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

// RefNameAnnotation is the OCI annotation that names an image in a layout's
// index.json. We store the full reference ("strata-test/busybox:latest"),
// which the OCI grammar for this annotation allows.
const RefNameAnnotation = "org.opencontainers.image.ref.name"

// ToOCI returns img with OCI media types and every layer gzip-compressed at
// gzipLevel (compress/gzip levels), as a registry or BuildKit would store it.
// Layer contents, diff IDs, config and history are unchanged; only the
// compressed blobs and the manifest differ.
func ToOCI(img v1.Image, gzipLevel int) (v1.Image, error) {
	cfg, err := img.ConfigFile()
	if err != nil {
		return nil, fmt.Errorf("reading config: %w", err)
	}
	layers, err := img.Layers()
	if err != nil {
		return nil, fmt.Errorf("reading layers: %w", err)
	}
	out := mutate.MediaType(empty.Image, types.OCIManifestSchema1)
	out = mutate.ConfigMediaType(out, types.OCIConfigJSON)
	for i, l := range layers {
		recompressed, err := tarball.LayerFromOpener(l.Uncompressed,
			tarball.WithMediaType(types.OCILayer),
			tarball.WithCompressionLevel(gzipLevel),
			tarball.WithCompressedCaching)
		if err != nil {
			return nil, fmt.Errorf("recompressing layer %d: %w", i, err)
		}
		if out, err = mutate.AppendLayers(out, recompressed); err != nil {
			return nil, fmt.Errorf("appending layer %d: %w", i, err)
		}
	}
	// Restoring the original config brings back its history and empty-layer
	// entries; its diff IDs are those of the same uncompressed layers.
	return mutate.ConfigFile(out, cfg)
}

// WriteLayout adds img to the OCI image layout at dir under ref (creating
// the layout if needed), replacing any image already stored under ref, and
// returns the manifest digest, which BuildKit needs to name it
// (`oci-layout://STORE@DIGEST`).
func WriteLayout(dir string, img v1.Image, ref string) (v1.Hash, error) {
	p, err := layout.FromPath(dir)
	if err != nil {
		if p, err = layout.Write(dir, empty.Index); err != nil {
			return v1.Hash{}, fmt.Errorf("creating OCI layout %s: %w", dir, err)
		}
	}
	annotations := map[string]string{RefNameAnnotation: ref}
	if err := p.ReplaceImage(img, match.Annotation(RefNameAnnotation, ref), layout.WithAnnotations(annotations)); err != nil {
		return v1.Hash{}, fmt.Errorf("writing %s to OCI layout %s: %w", ref, dir, err)
	}
	return img.Digest()
}

// WriteDockerArchive writes img as a `docker load` archive tagged ref.
func WriteDockerArchive(path string, img v1.Image, ref string) error {
	tag, err := name.NewTag(ref)
	if err != nil {
		return fmt.Errorf("parsing %q: %w", ref, err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	if err := tarball.WriteToFile(path, tag, img); err != nil {
		return fmt.Errorf("writing docker archive %s: %w", path, err)
	}
	return nil
}

// FromDockerArchive opens the image tagged ref (or the only image, when ref
// is empty) in a `docker save` archive.
func FromDockerArchive(path, ref string) (v1.Image, error) {
	var tag *name.Tag
	if ref != "" {
		t, err := name.NewTag(ref)
		if err != nil {
			return nil, fmt.Errorf("parsing %q: %w", ref, err)
		}
		tag = &t
	}
	img, err := tarball.ImageFromPath(path, tag)
	if err != nil {
		return nil, fmt.Errorf("opening docker archive %s: %w", path, err)
	}
	return img, nil
}
