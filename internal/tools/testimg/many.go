package testimg

import (
	"archive/tar"
	"fmt"
	"io"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
)

// manyFiles streams a tar of n small files spread over directories of
// 1000, named from start.
func manyFiles(start, n int) tarball.Opener {
	return func() (io.ReadCloser, error) {
		pr, pw := io.Pipe()
		go func() {
			tw := tar.NewWriter(pw)
			body := []byte("0123456789abcdef")
			write := func() error {
				for i := start; i < start+n; i++ {
					if i%1000 == 0 || i == start {
						if err := tw.WriteHeader(&tar.Header{Name: fmt.Sprintf("data/d%04d/", i/1000), Typeflag: tar.TypeDir, Mode: 0o755, ModTime: Epoch}); err != nil {
							return err
						}
					}
					size := 1 + i%len(body)
					if err := tw.WriteHeader(&tar.Header{Name: fmt.Sprintf("data/d%04d/file-%07d.txt", i/1000, i), Typeflag: tar.TypeReg, Mode: 0o644, Size: int64(size), ModTime: Epoch}); err != nil {
						return err
					}
					if _, err := tw.Write(body[:size]); err != nil {
						return err
					}
				}
				return tw.Close()
			}
			pw.CloseWithError(write())
		}()
		return pr, nil
	}
}

// WriteManyFiles writes an OCI layout (gzip layers) holding n files in
// layers of per files each, plus a last layer deleting one directory and
// re-adding a file: the scale test of the analyzer.
func WriteManyFiles(dir string, n, per int) error {
	img := empty.Image
	for start := 0; start < n; start += per {
		l, err := tarball.LayerFromOpener(manyFiles(start, min(per, n-start)))
		if err != nil {
			return err
		}
		if img, err = mutate.Append(img, mutate.Addendum{Layer: l, History: v1.History{CreatedBy: fmt.Sprintf("COPY files %d", start)}}); err != nil {
			return err
		}
	}
	last := Tar(File{Name: "data/.wh.d0000"}, File{Name: "data/d0001/file-0001000.txt", Body: "changed"})
	l := Layer(last, true)
	img, err := mutate.Append(img, mutate.Addendum{Layer: l, History: v1.History{CreatedBy: "RUN cleanup"}})
	if err != nil {
		return err
	}
	p, err := layout.Write(dir, empty.Index)
	if err != nil {
		return err
	}
	return p.AppendImage(img)
}
