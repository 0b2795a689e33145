// Package source opens container images from every place strata reads
// them: Docker archives (legacy and OCI-in-tar), OCI layouts and their
// archives, registries and the Docker Engine. It hands the analyzer the
// manifest, the config and a way to read each layer blob; it never writes
// layer contents anywhere.
package source

import (
	"context"
	"errors"
	"io"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/strata-dev/strata/analyze/layer"
)

// Image is an opened image.
type Image struct {
	// Source is the reference as given; Transport the one used to read it.
	Source    string
	Transport string
	// Name is the tag or reference name the image was selected by, if any.
	Name string
	// Digest is the manifest digest, when the source has a manifest.
	Digest      string
	MediaType   string
	Platform    string
	Annotations map[string]string
	Config      *v1.ConfigFile
	Layers      []Layer
	Warnings    []string
	// ResolveBase returns the diff IDs of the image with the given manifest
	// digest (and name, when known), looked up where this image came from.
	// It is nil when the source cannot look images up.
	ResolveBase func(ctx context.Context, name, digest string) ([]string, error)

	closers []io.Closer
}

// Layer is one layer as the manifest describes it.
type Layer struct {
	Digest    string // blob digest, "" when the source has none
	DiffID    string // digest of the uncompressed tar, from the config
	MediaType string
	// Size is the blob's size as stored (compressed when compressed), or -1.
	Size int64
	// Open returns the blob. It is nil for streamed sources, whose layers
	// were read while the image was opened (Preread).
	Open    func() (layer.Blob, error)
	Preread *layer.BlobResult
}

// Close releases files held open by the image.
func (img *Image) Close() error {
	var errs []error
	for _, c := range img.closers {
		errs = append(errs, c.Close())
	}
	img.closers = nil
	return errors.Join(errs...)
}

// Options configure Open.
type Options struct {
	// Platform selects an image from a multi-platform index
	// ("linux/arm64/v8"); empty means the host's.
	Platform string
	// Getenv reads DOCKER_HOST, DOCKER_CONTEXT, DOCKER_CONFIG and HOME (the
	// docker context); nil means no environment.
	Getenv func(string) string
	// Layer options apply to streamed sources, which read their layers
	// while the image is opened.
	Layer layer.BlobOptions
	// StreamProgress reports progress of streamed sources (bytes so far).
	StreamProgress func(n int64)
	// Remote options are added to registry requests (tests use them to
	// inject transports).
	Remote []remote.Option
	// Docker overrides the Docker Engine client (tests).
	Docker DockerClient
	// Stdin is read for docker-archive:- (a docker save piped in).
	Stdin io.Reader
}

// ErrNotFound is wrapped by errors for images that do not exist.
var ErrNotFound = errors.New("not found")
