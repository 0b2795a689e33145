package source

import (
	"context"
	"fmt"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/strata-dev/strata/analyze/layer"
)

// openRegistry reads manifest and config from a registry; layer blobs are
// streamed when the analyzer reads them, never stored.
func openRegistry(ctx context.Context, ref string, platform *v1.Platform, o *Options, img *Image) error {
	r, err := name.ParseReference(ref)
	if err != nil {
		return fmt.Errorf("invalid image name %q: %w", ref, err)
	}
	opts := registryOptions(ctx, platform, o)
	ri, err := remote.Image(r, opts...)
	if err != nil {
		return fmt.Errorf("%s: %w", ref, err)
	}
	img.Name = r.String()
	d, err := ri.Digest()
	if err != nil {
		return err
	}
	m, err := ri.Manifest()
	if err != nil {
		return err
	}
	cfg, err := ri.ConfigFile()
	if err != nil {
		return fmt.Errorf("config: %w", err)
	}
	img.Digest, img.MediaType, img.Annotations, img.Config = d.String(), string(m.MediaType), m.Annotations, cfg
	img.Platform = configPlatform(cfg)
	layers, err := ri.Layers()
	if err != nil {
		return err
	}
	for i, rl := range layers {
		l := Layer{Size: -1}
		if i < len(m.Layers) {
			l.Digest, l.MediaType, l.Size = m.Layers[i].Digest.String(), string(m.Layers[i].MediaType), m.Layers[i].Size
		}
		if i < len(cfg.RootFS.DiffIDs) {
			l.DiffID = cfg.RootFS.DiffIDs[i].String()
		}
		l.Open = func() (layer.Blob, error) {
			rc, err := rl.Compressed() // checks the digest as it streams
			if err != nil {
				return layer.Blob{}, err
			}
			return layer.Blob{R: rc, Size: -1, SourceVerified: true}, nil
		}
		img.Layers = append(img.Layers, l)
	}
	img.ResolveBase = func(ctx context.Context, baseName, digest string) ([]string, error) {
		return registryDiffIDs(ctx, baseName, digest, platform, o)
	}
	return nil
}

func registryOptions(ctx context.Context, platform *v1.Platform, o *Options) []remote.Option {
	p := platform
	if p == nil {
		p = hostPlatform()
	}
	opts := []remote.Option{remote.WithContext(ctx), remote.WithAuthFromKeychain(authn.DefaultKeychain), remote.WithPlatform(*p)}
	return append(opts, o.Remote...)
}

// registryDiffIDs fetches only the manifest and config of a base image.
func registryDiffIDs(ctx context.Context, baseName, digest string, platform *v1.Platform, o *Options) ([]string, error) {
	ref := baseName
	if digest != "" {
		repo, err := name.ParseReference(baseName)
		if err != nil {
			return nil, err
		}
		ref = repo.Context().Name() + "@" + digest
	}
	r, err := name.ParseReference(ref)
	if err != nil {
		return nil, err
	}
	ri, err := remote.Image(r, registryOptions(ctx, platform, o)...)
	if err != nil {
		return nil, err
	}
	cfg, err := ri.ConfigFile()
	if err != nil {
		return nil, err
	}
	return diffIDStrings(cfg), nil
}
