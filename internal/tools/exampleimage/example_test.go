package exampleimage

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

// TestShippedExampleIsReproducible regenerates the example image and
// compares it byte for byte with testdata/images/example.
func TestShippedExampleIsReproducible(t *testing.T) {
	shipped := filepath.Join("..", "..", "..", "testdata", "images", "example")
	dir := filepath.Join(t.TempDir(), "example")
	if err := Write(dir); err != nil {
		t.Fatal(err)
	}
	files := func(root string) map[string][]byte {
		out := map[string][]byte{}
		err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			rel, _ := filepath.Rel(root, p)
			b, err := os.ReadFile(p)
			out[filepath.ToSlash(rel)] = b
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	got, want := files(dir), files(shipped)
	for name, b := range want {
		if !bytes.Equal(got[name], b) {
			t.Errorf("%s differs: run go run ./cmd/gen-example-image", name)
		}
	}
	for name := range got {
		if _, ok := want[name]; !ok {
			t.Errorf("%s is generated but not shipped: run go run ./cmd/gen-example-image", name)
		}
	}
	var total int
	for _, b := range want {
		total += len(b)
	}
	if total > 400_000 {
		t.Errorf("the example image is %d bytes: keep it to a few hundred KB", total)
	}
}
