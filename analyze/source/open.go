package source

import (
	"context"
	"fmt"
	"os"
	"strings"

	v1 "github.com/google/go-containerregistry/pkg/v1"
)

// Open opens the image ref points at. The caller closes it.
func Open(ctx context.Context, ref Ref, o Options) (*Image, error) {
	platform, err := parsePlatform(o.Platform)
	if err != nil {
		return nil, err
	}
	img := &Image{Source: ref.String(), Transport: ref.Transport}
	switch ref.Transport {
	case OCI:
		err = openLayoutDir(ref.Path, ref.Name, platform, img)
	case OCIArchive:
		err = openArchiveFile(ref.Path, ref.Name, true, platform, &o, img)
	case DockerArchive:
		if ref.Path == "-" {
			in := o.Stdin
			if in == nil {
				in = os.Stdin
			}
			err = readStreamedArchive(in, ref.Name, &o, img)
		} else {
			err = openArchiveFile(ref.Path, ref.Name, false, platform, &o, img)
		}
	case Registry:
		err = openRegistry(ctx, ref.Name, platform, &o, img)
	case DockerDaemon:
		err = openDaemon(ctx, ref.Name, platform, &o, img)
	case auto:
		err = openAuto(ctx, ref.Name, platform, &o, img)
	default:
		err = fmt.Errorf("unknown transport %q", ref.Transport)
	}
	if err != nil {
		img.Close()
		return nil, err
	}
	if img.Config == nil {
		img.Close()
		return nil, fmt.Errorf("%s: the image has no config", ref)
	}
	return img, nil
}

func openLayoutDir(dir, ref string, platform *v1.Platform, img *Image) error {
	if _, err := os.Stat(dir); err != nil {
		return err
	}
	s := &dirStore{root: dir}
	img.closers = append(img.closers, s)
	if !s.has("index.json") {
		return fmt.Errorf("%s: not an OCI layout (no index.json)", dir)
	}
	img.ResolveBase = layoutBaseResolver(s, platform)
	return openLayout(s, ref, platform, img)
}

// openAuto tries the Docker daemon, then a registry.
func openAuto(ctx context.Context, name string, platform *v1.Platform, o *Options, img *Image) error {
	derr := openDaemon(ctx, name, platform, o, img)
	if derr == nil {
		img.Transport = DockerDaemon
		return nil
	}
	*img = Image{Source: img.Source}
	rerr := openRegistry(ctx, name, platform, o, img)
	if rerr == nil {
		img.Transport = Registry
		img.Warnings = append(img.Warnings, fmt.Sprintf("not in the Docker daemon (%v): read from the registry", derr))
		return nil
	}
	return fmt.Errorf("%s: not read from the Docker daemon (%s) nor from a registry (%w)", name, oneLine(derr), rerr)
}

func oneLine(err error) string { return strings.Join(strings.Fields(err.Error()), " ") }

// DiffIDs returns an image's layer diff IDs reading as little as possible:
// the daemon's image inspect, or the manifest and config of the others.
func DiffIDs(ctx context.Context, ref Ref, o Options) ([]string, error) {
	if ref.Transport == DockerDaemon {
		c, err := dockerClient(&o)
		if err != nil {
			return nil, err
		}
		ins, err := c.ImageInspect(ctx, ref.Name)
		if err != nil {
			return nil, fmt.Errorf("docker daemon: %w", err)
		}
		return ins.RootFS.Layers, nil
	}
	img, err := Open(ctx, ref, o)
	if err != nil {
		return nil, err
	}
	defer img.Close()
	return diffIDStrings(img.Config), nil
}
