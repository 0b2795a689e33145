package analyze

import (
	"encoding/json"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/strata-dev/strata/internal/tools/testimg"
)

func swapSteps() []testimg.Step {
	return []testimg.Step{
		{CreatedBy: "RUN step", Layer: testimg.Tar(F{Name: "etc/", Type: '5'}, F{Name: "etc/a", Body: body(100)}, F{Name: "etc/b", Body: body(50)},
			F{Name: "var/lib/apt/lists/x_Packages", Body: body(300)}, F{Name: "bin/", Type: '5'}, F{Name: "bin/t", Body: body(64)},
			F{Name: "bin/h", Type: '1', Link: "bin/t"})},
		{CreatedBy: "RUN step", Layer: testimg.Tar(F{Name: "etc/a", Body: body(100), Mode: 0o600}, F{Name: "etc/.wh.b"}, F{Name: "bin/", Type: '5'},
			F{Name: "bin/.wh..wh..opq"}, F{Name: "bin/n", Body: "new"})},
	}
}

func swapImage(compress bool) *testimgImage {
	return &testimgImage{testimg.Image(compress, swapSteps()...)}
}

// summary is what must not depend on the source.
func summary(r *Result) string {
	type lay struct {
		Size                   int64
		Files                  int
		Added, Modified, Attrs Count
		Same, Deleted          Count
		Wasted                 int64
		DiffID                 string
	}
	var ls []lay
	for _, l := range r.Layers {
		ls = append(ls, lay{l.Size, l.Files, l.Added, l.Modified, l.Attrs, l.Same, l.Deleted, l.Wasted, l.DiffID})
	}
	f := r.Figures
	f.BlobSize = 0
	b, _ := json.Marshal(map[string]any{"layers": ls, "figures": f, "dive": r.Dive, "final": final(r, len(r.Layers)-1),
		"view0": final(r, 0), "waste": len(r.Waste), "findings": len(r.Findings)})
	return string(b)
}

func TestSameImageThroughEverySource(t *testing.T) {
	img := swapImage(false).Image
	dir := t.TempDir()
	layout := testimg.WriteLayout(t, filepath.Join(dir, "layout"), img, "v1")
	legacy := testimg.WriteDockerArchive(t, filepath.Join(dir, "legacy.tar"), map[string]v1Image{"example.com/app:v1": img})
	ociArchive := testimg.TarDir(t, layout, filepath.Join(dir, "oci.tar"), nil)
	manifest := []byte(`[{"Config":"` + configPath(t, img) + `","RepoTags":["example.com/app:v1"],"Layers":` + layerPaths(t, img) + `}]`)
	ociInTar := testimg.TarDir(t, layout, filepath.Join(dir, "docker25.tar"), map[string][]byte{"manifest.json": manifest})
	gz := testimg.WriteLayout(t, filepath.Join(dir, "gz"), swapImage(true).Image, "")
	zst := testimg.WriteLayout(t, filepath.Join(dir, "zst"), testimg.ZstdImage(swapSteps()...), "")
	reg := testimg.Registry(t, swapImage(true).Image, "app:v1")

	want := summary(analyzeRef(t, "oci:"+layout+":v1", Options{}))
	for _, ref := range []string{
		"docker-archive:" + legacy, "docker-archive:" + legacy + ":example.com/app:v1", legacy,
		"oci-archive:" + ociArchive, "oci-archive:" + ociArchive + ":v1",
		"docker-archive:" + ociInTar + ":example.com/app:v1",
		"oci:" + gz, gz, "docker://" + reg, "oci:" + zst,
	} {
		got := summary(analyzeRef(t, ref, Options{}))
		if ref != "oci:"+gz && ref != gz && !strings.HasPrefix(ref, "docker://") {
			if got != want {
				t.Errorf("%s:\n got %s\nwant %s", ref, got, want)
			}
			continue
		}
		// gzip layers: same trees and figures, other diff IDs? No: diff IDs
		// are of the uncompressed tar, so everything must match.
		if got != want {
			t.Errorf("%s (gzip):\n got %s\nwant %s", ref, got, want)
		}
	}
	if c := analyzeRef(t, "oci:"+zst, Options{}).Layers[0].Compression; c != "zstd" {
		t.Errorf("zstd layout read as %q", c)
	}
	// Verify mode reads everything and must agree too.
	if got := summary(analyzeRef(t, "docker-archive:"+legacy, Options{Verify: true})); got != want {
		t.Errorf("--verify:\n got %s\nwant %s", got, want)
	}
}

func TestRegistryPlatformFromIndex(t *testing.T) {
	r := analyzeRef(t, "docker://"+testimg.Registry(t, swapImage(true).Image, "app:v1"), Options{})
	if !reflect.DeepEqual(r.Image.Platform, "linux/amd64") {
		t.Errorf("platform = %q", r.Image.Platform)
	}
}
