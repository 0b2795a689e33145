package testimage_test

import (
	"archive/tar"
	"compress/gzip"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/google/go-containerregistry/pkg/v1/random"
	"github.com/google/go-containerregistry/pkg/v1/types"
	"github.com/strata-dev/strata/internal/testenv/testimage"
)

func TestBusybox(t *testing.T) {
	if _, err := os.Stat(testimage.DebianBusyboxPath); err != nil {
		t.Skipf("no static busybox at %s (apt-get install busybox-static)", testimage.DebianBusyboxPath)
	}
	img, err := testimage.Busybox(testimage.DebianBusyboxPath)
	if err != nil {
		t.Fatal(err)
	}
	again, err := testimage.Busybox(testimage.DebianBusyboxPath)
	if err != nil {
		t.Fatal(err)
	}
	digest, _ := img.Digest()
	if d, _ := again.Digest(); d != digest {
		t.Errorf("busybox image is not reproducible: %s then %s", digest, d)
	}
	if mt, _ := img.MediaType(); mt != types.OCIManifestSchema1 {
		t.Errorf("manifest media type = %s, want OCI", mt)
	}
	cfg, err := img.ConfigFile()
	if err != nil {
		t.Fatal(err)
	}
	if cfg.OS != "linux" || len(cfg.History) != 1 || len(cfg.RootFS.DiffIDs) != 1 {
		t.Errorf("config: os %q, %d history entries, %d diff IDs; want linux, 1, 1", cfg.OS, len(cfg.History), len(cfg.RootFS.DiffIDs))
	}

	entries := layerEntries(t, img)
	bin, err := os.Stat(testimage.DebianBusyboxPath)
	if err != nil {
		t.Fatal(err)
	}
	if h := entries["bin/busybox"]; h == nil || h.Size != bin.Size() || h.Mode != 0o755 {
		t.Errorf("bin/busybox entry = %+v, want a 0755 file of %d bytes", h, bin.Size())
	}
	for _, applet := range []string{"bin/sh", "bin/ls", "bin/chmod"} {
		if h := entries[applet]; h == nil || h.Typeflag != tar.TypeSymlink || h.Linkname != "/bin/busybox" {
			t.Errorf("%s entry = %+v, want a symlink to /bin/busybox", applet, h)
		}
	}
	if h := entries["tmp/"]; h == nil || h.Mode != 0o1777 {
		t.Errorf("tmp/ entry = %+v, want a 1777 directory", h)
	}
}

func TestBusyboxRefusesDynamicBinary(t *testing.T) {
	const dynamic = "/bin/ls" // any dynamically linked program
	if _, err := os.Stat(dynamic); err != nil {
		t.Skip(err)
	}
	_, err := testimage.Busybox(dynamic)
	if err == nil || !strings.Contains(err.Error(), "busybox-static") {
		t.Fatalf("Busybox(%s) error = %v, want one that names busybox-static", dynamic, err)
	}
}

func TestRootFS(t *testing.T) {
	rootfs := filepath.Join(t.TempDir(), "rootfs.tar")
	f, err := os.Create(rootfs)
	if err != nil {
		t.Fatal(err)
	}
	tw := tar.NewWriter(f)
	body := "PRETTY_NAME=\"test\"\n"
	_ = tw.WriteHeader(&tar.Header{Typeflag: tar.TypeDir, Name: "./etc/", Mode: 0o755})
	_ = tw.WriteHeader(&tar.Header{Typeflag: tar.TypeReg, Name: "./etc/os-release", Mode: 0o644, Size: int64(len(body))})
	_, _ = tw.Write([]byte(body))
	if err := errors.Join(tw.Close(), f.Close()); err != nil {
		t.Fatal(err)
	}

	img, err := testimage.RootFS(rootfs, "debootstrap test")
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := img.ConfigFile()
	if err != nil {
		t.Fatal(err)
	}
	if got := cfg.History[0].CreatedBy; got != "debootstrap test" {
		t.Errorf("history created_by = %q", got)
	}
	if h := layerEntries(t, img)["./etc/os-release"]; h == nil || h.Size != int64(len(body)) {
		t.Errorf("./etc/os-release entry = %+v", h)
	}
}

// TestDockerArchiveToOCILayout is the path the perf fixture takes: a
// `docker save` archive converted to an OCI layout with gzip layers.
func TestDockerArchiveToOCILayout(t *testing.T) {
	src, err := random.Image(1024, 3)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	archive := filepath.Join(dir, "image.tar")
	const ref = "strata-test/random:v1"
	if err := testimage.WriteDockerArchive(archive, src, ref); err != nil {
		t.Fatal(err)
	}
	loaded, err := testimage.FromDockerArchive(archive, ref)
	if err != nil {
		t.Fatal(err)
	}
	oci, err := testimage.ToOCI(loaded, gzip.DefaultCompression)
	if err != nil {
		t.Fatal(err)
	}
	layoutDir := filepath.Join(dir, "oci")
	for range 2 { // writing twice replaces, it does not add a second entry
		if _, err := testimage.WriteLayout(layoutDir, oci, ref); err != nil {
			t.Fatal(err)
		}
	}

	index, err := layout.ImageIndexFromPath(layoutDir)
	if err != nil {
		t.Fatal(err)
	}
	manifest, err := index.IndexManifest()
	if err != nil {
		t.Fatal(err)
	}
	if len(manifest.Manifests) != 1 || manifest.Manifests[0].Annotations[testimage.RefNameAnnotation] != ref {
		t.Fatalf("index.json manifests = %+v, want one named %s", manifest.Manifests, ref)
	}
	got, err := index.Image(manifest.Manifests[0].Digest)
	if err != nil {
		t.Fatal(err)
	}
	wantCfg, _ := src.ConfigFile()
	gotCfg, _ := got.ConfigFile()
	if len(gotCfg.RootFS.DiffIDs) != 3 {
		t.Fatalf("%d layers, want 3", len(gotCfg.RootFS.DiffIDs))
	}
	for i, d := range wantCfg.RootFS.DiffIDs {
		if gotCfg.RootFS.DiffIDs[i] != d {
			t.Errorf("layer %d diff ID = %s, want %s", i, gotCfg.RootFS.DiffIDs[i], d)
		}
	}
	layers, _ := got.Layers()
	for i, l := range layers {
		if mt, _ := l.MediaType(); mt != types.OCILayer {
			t.Errorf("layer %d media type = %s, want %s", i, mt, types.OCILayer)
		}
	}
}

// layerEntries reads the tar headers of the first layer of img by name.
func layerEntries(t *testing.T, img v1.Image) map[string]*tar.Header {
	t.Helper()
	layers, err := img.Layers()
	if err != nil {
		t.Fatal(err)
	}
	rc, err := layers[0].Uncompressed()
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	entries := map[string]*tar.Header{}
	tr := tar.NewReader(rc)
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return entries
		}
		if err != nil {
			t.Fatal(err)
		}
		entries[h.Name] = h
	}
}
