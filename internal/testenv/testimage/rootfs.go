package testimage

import (
	"fmt"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

// DebianRef is the name of the debootstrap'd Debian image in every daemon.
const DebianRef = "strata-test/debian:bookworm"

// RootFS returns a one-layer image whose file system is the tar archive at
// tarPath (for example `tar -C DIR -c .` of a debootstrap'd Debian), the
// same thing `docker import` makes but identical wherever it is made.
// createdBy is recorded in the image history.
func RootFS(tarPath, createdBy string) (v1.Image, error) {
	layer, err := tarball.LayerFromFile(tarPath, tarball.WithMediaType(types.OCILayer), tarball.WithCompressedCaching)
	if err != nil {
		return nil, fmt.Errorf("reading root file system %s: %w", tarPath, err)
	}
	return newImage(layer, createdBy, []string{"bash"})
}
