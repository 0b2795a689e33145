package analyze

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/strata-dev/strata/analyze/source"
	"github.com/strata-dev/strata/internal/tools/testimg"
)

func analyzeErr(t *testing.T, ref string, o Options) error {
	t.Helper()
	r, err := source.ParseRef(ref)
	if err != nil {
		return err
	}
	img, err := source.Open(context.Background(), r, source.Options{Layer: LayerOptions(o)})
	if err != nil {
		return err
	}
	defer img.Close()
	_, err = Analyze(context.Background(), img, o)
	return err
}

// flipBlob corrupts the layer blob of a layout in place (same size).
func flipBlob(t *testing.T, dir string, layerIndex int, at func(n int) int) {
	t.Helper()
	r := analyzeRef(t, "oci:"+dir, Options{})
	alg, hex, _ := strings.Cut(r.Layers[layerIndex].Digest, ":")
	p := filepath.Join(dir, "blobs", alg, hex)
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	b[at(len(b))] ^= 0xff
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestDigestMismatchNamesTheLayer(t *testing.T) {
	img := layers(true, testimg.Tar(F{Name: "a", Body: body(5000)}), testimg.Tar(F{Name: "b", Body: body(7000)}))
	dir := testimg.WriteLayout(t, t.TempDir(), img, "")
	// Flip a byte of the gzip trailer's size field: the data still
	// decompresses to a valid tar, only the digest and trailer catch it.
	flipBlob(t, dir, 1, func(n int) int { return n - 1 })
	err := analyzeErr(t, "oci:"+dir, Options{})
	if err == nil || !strings.Contains(err.Error(), "layer 2 (sha256:") {
		t.Errorf("err = %v, want an error naming layer 2", err)
	}
}

func TestUncompressedMismatchNeedsVerify(t *testing.T) {
	img := layers(false, testimg.Tar(F{Name: "a", Body: body(5000)}))
	dir := testimg.WriteLayout(t, t.TempDir(), img, "")
	flipBlob(t, dir, 0, func(n int) int { return 600 }) // inside a's content
	if err := analyzeErr(t, "oci:"+dir, Options{}); err != nil {
		t.Errorf("skimming reads no content, so it cannot see the change: %v", err)
	}
	err := analyzeErr(t, "oci:"+dir, Options{Verify: true})
	if err == nil || !strings.Contains(err.Error(), "digest mismatch") {
		t.Errorf("--verify: err = %v, want a digest mismatch", err)
	}
}

func TestImageEntryBound(t *testing.T) {
	var files []F
	for i := 0; i < 30; i++ {
		files = append(files, F{Name: "f" + strings.Repeat("x", i), Body: "1"})
	}
	img := layers(false, testimg.Tar(files...), testimg.Tar(files...))
	dir := testimg.WriteLayout(t, t.TempDir(), img, "")
	err := analyzeErr(t, "oci:"+dir, Options{MaxEntries: 40})
	if err == nil || !strings.Contains(err.Error(), "more than 40 entries") {
		t.Errorf("err = %v", err)
	}
}
