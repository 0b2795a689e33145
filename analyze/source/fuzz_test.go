package source

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/strata-dev/strata/analyze/layer"
	"github.com/strata-dev/strata/internal/tools/testimg"
)

type F = testimg.File

func seedArchives(f *testing.F) [][]byte {
	img := testimg.Image(true,
		testimg.Step{CreatedBy: "RUN a", Layer: testimg.Tar(F{Name: "a", Body: "hello"}, F{Name: ".wh.b"})},
		testimg.Step{CreatedBy: "CMD x"},
		testimg.Step{CreatedBy: "RUN b", Layer: testimg.Tar(F{Name: "d/", Type: '5'}, F{Name: "d/.wh..wh..opq"})})
	dir := f.TempDir()
	legacy := testimg.WriteDockerArchive(f, filepath.Join(dir, "legacy.tar"), map[string]v1Image{"x/y:1": img})
	layoutDir := testimg.WriteLayout(f, filepath.Join(dir, "layout"), img, "v1")
	oci := testimg.TarDir(f, layoutDir, filepath.Join(dir, "oci.tar"), nil)
	var out [][]byte
	for _, p := range []string{legacy, oci} {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		out = append(out, b)
	}
	return out
}

// FuzzArchive feeds arbitrary bytes to the image-archive reader (outer
// tar index, manifest.json and index.json parsing, image selection) and
// reads every layer it finds: no panic, bounded work.
func FuzzArchive(f *testing.F) {
	for _, s := range seedArchives(f) {
		f.Add(s)
	}
	f.Add([]byte{})
	f.Add(testimg.Tar(F{Name: "manifest.json", Body: `[{"Config":"c.json","Layers":["../../etc/passwd","l.tar","l.tar"]}]`},
		F{Name: "c.json", Body: `{"rootfs":{"type":"layers","diff_ids":["sha256:00"]},"history":[{"empty_layer":true}]}`},
		F{Name: "l.tar", Type: '2', Link: "l.tar"}))
	f.Add(testimg.Tar(F{Name: "oci-layout", Body: `{"imageLayoutVersion":"1.0.0"}`},
		F{Name: "index.json", Body: `{"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.index.v1+json","digest":"sha256:aa","size":2}]}`},
		F{Name: "blobs/sha256/aa", Body: `{"manifests":[]}`}))
	f.Fuzz(func(t *testing.T, data []byte) {
		idx, _, err := indexTar(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			return
		}
		for _, preferOCI := range []bool{false, true} {
			img := &Image{}
			if err := openArchive(idx, "", preferOCI, nil, img); err != nil {
				continue
			}
			for _, l := range img.Layers {
				b, err := l.Open()
				if err != nil {
					continue
				}
				layer.ReadBlob(b, layer.BlobOptions{Options: layer.Options{MaxEntries: 1000}, Digest: l.Digest, DiffID: l.DiffID})
			}
		}
	})
}

func configBlob(t testing.TB, img v1Image) string {
	d, err := img.ConfigName()
	if err != nil {
		t.Fatal(err)
	}
	return "blobs/sha256/" + d.Hex
}

func layerBlobs(t testing.TB, img v1Image) string {
	ls, err := img.Layers()
	if err != nil {
		t.Fatal(err)
	}
	var ps []string
	for _, l := range ls {
		d, err := l.Digest()
		if err != nil {
			t.Fatal(err)
		}
		ps = append(ps, `"blobs/sha256/`+d.Hex+`"`)
	}
	return "[" + strings.Join(ps, ",") + "]"
}
