package source

import (
	"fmt"
	"io"
)

// OpenStream reads an image archive arriving on r in one pass: a docker
// save stream (legacy or OCI-in-tar) or a tar of an OCI layout, as
// BuildKit's oci and docker exporters stream it. Layers are read as they
// pass; nothing is written to disk. source names the image in the report.
func OpenStream(r io.Reader, source string, o Options) (*Image, error) {
	img := &Image{Source: source, Transport: OCIArchive}
	if err := readStreamedArchive(r, "", &o, img); err != nil {
		img.Close()
		return nil, err
	}
	if img.Config == nil {
		img.Close()
		return nil, fmt.Errorf("%s: the image has no config", source)
	}
	return img, nil
}
