package cli

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
)

// writeExampleArchive turns the shipped example layout into a legacy
// docker save archive.
func writeExampleArchive(t *testing.T, file string) {
	t.Helper()
	p, err := layout.FromPath(filepath.Join("..", "..", "testdata", "images", "example"))
	if err != nil {
		t.Fatal(err)
	}
	idx, err := p.ImageIndex()
	if err != nil {
		t.Fatal(err)
	}
	m, err := idx.IndexManifest()
	if err != nil {
		t.Fatal(err)
	}
	img, err := idx.Image(m.Manifests[0].Digest)
	if err != nil {
		t.Fatal(err)
	}
	tag, _ := name.NewTag("strata.example/app:1")
	f, err := os.Create(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := tarball.Write(tag, img, f); err != nil {
		t.Fatal(err)
	}
}

func copyDir(t *testing.T, src string) string {
	t.Helper()
	dst := filepath.Join(t.TempDir(), "img")
	err := filepath.Walk(src, func(p string, fi os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		if fi.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}

// truncateBiggestBlob cuts the largest blob (a layer) in half, or removes it.
func truncateBiggestBlob(t *testing.T, dir string, truncate bool) {
	t.Helper()
	blobs := filepath.Join(dir, "blobs", "sha256")
	entries, err := os.ReadDir(blobs)
	if err != nil {
		t.Fatal(err)
	}
	var big string
	var size int64
	for _, e := range entries {
		if fi, _ := e.Info(); fi.Size() > size {
			big, size = e.Name(), fi.Size()
		}
	}
	p := filepath.Join(blobs, big)
	if !truncate {
		os.Remove(p)
		return
	}
	if err := os.Truncate(p, size/2); err != nil {
		t.Fatal(err)
	}
}
