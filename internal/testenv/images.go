package testenv

import (
	"os"
	"testing"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/strata-dev/strata/internal/testenv/testimage"
)

// Busybox returns the strata-test/busybox:latest image made in memory from
// Debian's static busybox (package busybox-static, /bin/busybox). It skips
// the test when that binary is missing.
func Busybox(t testing.TB) v1.Image {
	t.Helper()
	if _, err := os.Stat(testimage.DebianBusyboxPath); err != nil {
		missing(t, "no static busybox at %s: apt-get install busybox-static", testimage.DebianBusyboxPath)
	}
	img, err := testimage.Busybox(testimage.DebianBusyboxPath)
	if err != nil {
		t.Fatal(err)
	}
	return img
}

// BaseImages returns the base images that daemons.sh made and loaded into
// the test daemons, by reference (strata-test/busybox:latest, and
// strata-test/debian:bookworm when it was asked for), read from the OCI
// layout named by STRATA_TEST_OCI_LAYOUT. It skips the test when the
// variable is unset.
func BaseImages(t testing.TB) map[string]v1.Image {
	t.Helper()
	dir := os.Getenv(OCILayoutEnv)
	if dir == "" {
		missing(t, "no base images for tests: %s is unset (start the daemons with .ci/lib/daemons.sh)", OCILayoutEnv)
	}
	index, err := layout.ImageIndexFromPath(dir)
	if err != nil {
		t.Fatalf("%s=%s: %v", OCILayoutEnv, dir, err)
	}
	manifest, err := index.IndexManifest()
	if err != nil {
		t.Fatalf("%s=%s: %v", OCILayoutEnv, dir, err)
	}
	images := make(map[string]v1.Image)
	for _, desc := range manifest.Manifests {
		ref := desc.Annotations[testimage.RefNameAnnotation]
		if ref == "" {
			continue
		}
		img, err := index.Image(desc.Digest)
		if err != nil {
			t.Fatalf("%s=%s: %s: %v", OCILayoutEnv, dir, ref, err)
		}
		images[ref] = img
	}
	return images
}
