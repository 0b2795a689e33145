package source

import (
	"context"
	"fmt"
	"io"

	cerrdefs "github.com/containerd/errdefs"
	"github.com/moby/moby/client"
	ocispec "github.com/opencontainers/image-spec/specs-go/v1"

	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/strata-dev/strata/internal/dockerhost"
)

// DockerClient is the part of the Docker Engine API strata uses.
type DockerClient interface {
	ImageInspect(ctx context.Context, image string, _ ...client.ImageInspectOption) (client.ImageInspectResult, error)
	ImageSave(ctx context.Context, images []string, _ ...client.ImageSaveOption) (client.ImageSaveResult, error)
}

// dockerClient connects to the Engine the docker CLI would use: DOCKER_HOST,
// else the endpoint of DOCKER_CONTEXT or of the config's currentContext
// (the same resolution as the Docker build back end), else the default
// socket; podman answers on its Docker-compatible socket too.
func dockerClient(o *Options) (DockerClient, error) {
	if o.Docker != nil {
		return o.Docker, nil
	}
	var opts []client.Opt // the client negotiates the API version by default (dockerd 20.10 speaks 1.41)
	// No environment: no context either.
	if o.Getenv != nil {
		h, err := dockerhost.Resolve(o.Getenv)
		if err != nil {
			return nil, fmt.Errorf("docker client: %w", err)
		}
		if h != "" {
			opts = append(opts, client.WithHost(h))
		}
	}
	c, err := client.New(opts...)
	if err != nil {
		return nil, fmt.Errorf("docker client: %w", err)
	}
	return c, nil
}

// openDaemon streams `docker save` of one image through the archive
// reader: one pass, no temporary file, layers read as they arrive.
func openDaemon(ctx context.Context, ref string, platform *v1.Platform, o *Options, img *Image) error {
	c, err := dockerClient(o)
	if err != nil {
		return err
	}
	ins, err := c.ImageInspect(ctx, ref)
	if err != nil {
		if cerrdefs.IsNotFound(err) {
			return fmt.Errorf("%s: %w in the Docker daemon", ref, ErrNotFound)
		}
		return fmt.Errorf("docker daemon: %w", err)
	}
	var saveOpts []client.ImageSaveOption
	if platform != nil {
		saveOpts = append(saveOpts, client.ImageSaveWithPlatforms(ocispec.Platform{
			OS: platform.OS, Architecture: platform.Architecture, Variant: platform.Variant}))
	}
	rc, err := c.ImageSave(ctx, []string{ref}, saveOpts...)
	if err != nil {
		return fmt.Errorf("docker save %s: %w", ref, err)
	}
	defer rc.Close()
	if err := readStreamedArchive(rc, "", o, img); err != nil {
		return fmt.Errorf("docker save %s: %w", ref, err)
	}
	// Drain so that the daemon sees a clean end of the stream.
	_, _ = io.Copy(io.Discard, rc)
	img.Name = ref
	if img.Digest == "" && ins.ID != "" {
		img.Digest = ins.ID
	}
	img.ResolveBase = func(ctx context.Context, baseName, _ string) ([]string, error) {
		if baseName == "" {
			return nil, fmt.Errorf("no base name")
		}
		b, err := c.ImageInspect(ctx, baseName)
		if err != nil {
			return nil, err
		}
		return b.RootFS.Layers, nil
	}
	return nil
}
