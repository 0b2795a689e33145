// Package testimg builds small images in memory for tests: hand-made tar
// layers (whiteouts, opaque directories, hardlinks, PAX names) assembled
// with go-containerregistry, and written to every kind of source.
package testimg

import (
	"archive/tar"
	"bytes"
	"io"
	"time"

	"github.com/google/go-containerregistry/pkg/compression"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

// Epoch is the fixed time of every generated entry, so bytes are stable.
var Epoch = time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)

// File is one tar entry. Type defaults to a regular file; Body is its
// content (Size overrides the header size for hostile tests).
type File struct {
	Name     string
	Type     byte
	Body     string
	Mode     int64
	UID, GID int
	Link     string
	PAX      bool // force a PAX header
}

// Tar makes an uncompressed layer tar.
func Tar(files ...File) []byte {
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, f := range files {
		h := &tar.Header{Name: f.Name, Typeflag: f.Type, Mode: f.Mode, Uid: f.UID, Gid: f.GID,
			Linkname: f.Link, ModTime: Epoch, Format: tar.FormatGNU}
		if h.Typeflag == 0 {
			h.Typeflag = tar.TypeReg
		}
		if h.Mode == 0 {
			h.Mode = 0o644
			if h.Typeflag == tar.TypeDir {
				h.Mode = 0o755
			}
		}
		if h.Typeflag == tar.TypeReg {
			h.Size = int64(len(f.Body))
		}
		if f.PAX {
			h.Format = tar.FormatPAX
			h.PAXRecords = map[string]string{"comment": "strata"}
		}
		if err := tw.WriteHeader(h); err != nil {
			panic(err)
		}
		if h.Typeflag == tar.TypeReg {
			if _, err := io.WriteString(tw, f.Body); err != nil {
				panic(err) // writes to an in-memory buffer
			}
		}
	}
	tw.Close()
	return buf.Bytes()
}

// Layer wraps tar bytes as a gzip layer (compress=true) or an
// uncompressed one.
func Layer(tarBytes []byte, compress bool) v1.Layer {
	opener := func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(tarBytes)), nil }
	var opts []tarball.LayerOption
	if !compress {
		opts = append(opts, tarball.WithMediaType(types.DockerUncompressedLayer))
		l, err := tarball.LayerFromOpener(opener, append(opts, tarball.WithCompressedCaching)...)
		if err != nil {
			panic(err)
		}
		return uncompressed{l}
	}
	l, err := tarball.LayerFromOpener(opener, tarball.WithCompressedCaching)
	if err != nil {
		panic(err)
	}
	return l
}

// uncompressed serves the tar as the blob itself.
type uncompressed struct{ v1.Layer }

func (u uncompressed) Digest() (v1.Hash, error)            { return u.DiffID() }
func (u uncompressed) Compressed() (io.ReadCloser, error)  { return u.Uncompressed() }
func (u uncompressed) MediaType() (types.MediaType, error) { return types.OCIUncompressedLayer, nil }
func (u uncompressed) Size() (int64, error) {
	rc, err := u.Uncompressed()
	if err != nil {
		return 0, err
	}
	defer rc.Close()
	return io.Copy(io.Discard, rc)
}

// Step is one history entry; a nil Layer makes an empty-layer entry.
type Step struct {
	CreatedBy string
	Layer     []byte
}

// ZstdImage is Image with zstd-compressed layers.
func ZstdImage(steps ...Step) v1.Image {
	return image(func(b []byte) v1.Layer { return zstdLayer(b) }, steps)
}

func zstdLayer(tarBytes []byte) v1.Layer {
	opener := func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(tarBytes)), nil }
	l, err := tarball.LayerFromOpener(opener, tarball.WithCompression(compression.ZStd), tarball.WithCompressedCaching)
	if err != nil {
		panic(err)
	}
	return l
}

// Image stacks the steps' layers on an empty OCI image.
func Image(compress bool, steps ...Step) v1.Image {
	return image(func(b []byte) v1.Layer { return Layer(b, compress) }, steps)
}

func image(mk func([]byte) v1.Layer, steps []Step) v1.Image {
	img := mutate.MediaType(empty.Image, types.OCIManifestSchema1)
	img = mutate.ConfigMediaType(img, types.OCIConfigJSON)
	for _, s := range steps {
		add := mutate.Addendum{History: v1.History{CreatedBy: s.CreatedBy, Created: v1.Time{Time: Epoch}}}
		if s.Layer == nil {
			add.History.EmptyLayer = true
			var err error
			cf, _ := img.ConfigFile()
			cf = cf.DeepCopy()
			cf.History = append(cf.History, add.History)
			img, err = mutate.ConfigFile(img, cf)
			if err != nil {
				panic(err)
			}
			continue
		}
		add.Layer = mk(s.Layer)
		add.MediaType = mustMediaType(add.Layer)
		var err error
		img, err = mutate.Append(img, add)
		if err != nil {
			panic(err)
		}
	}
	cf, _ := img.ConfigFile()
	cf = cf.DeepCopy()
	cf.OS, cf.Architecture, cf.Created = "linux", "amd64", v1.Time{Time: Epoch}
	img, err := mutate.ConfigFile(img, cf)
	if err != nil {
		panic(err)
	}
	return img
}

func mustMediaType(l v1.Layer) types.MediaType {
	mt, err := l.MediaType()
	if err != nil {
		panic(err)
	}
	if mt == types.DockerLayer {
		return types.OCILayer
	}
	return mt
}
