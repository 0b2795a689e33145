package testenv

import (
	"fmt"
	"strings"
	"testing"

	"github.com/containerd/containerd/v2/core/content"
	"github.com/containerd/containerd/v2/plugins/content/local"
	"github.com/distribution/reference"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/strata-dev/strata/internal/testenv/testimage"
)

// ociStoreID names, in a BuildKit session, the OCI layout that holds the
// base images.
const ociStoreID = "strata-test"

// BuildKitBaseImages is what a BuildKit solve needs to resolve FROM lines
// naming local base images instead of pulling them: BuildKit cannot reach
// Docker Hub here and has no image store of its own to load into.
//
// The images are written to one OCI layout, lent to the daemon through the
// session (SolveOpt.OCIStores), and each FROM name is mapped to it by a
// dockerfile frontend named context: context:NAME=oci-layout://STORE@DIGEST.
type BuildKitBaseImages struct {
	// FrontendAttrs go into client.SolveOpt.FrontendAttrs.
	FrontendAttrs map[string]string
	// OCIStores go into client.SolveOpt.OCIStores.
	OCIStores map[string]content.Store
	// Layout is the OCI layout directory, for buildctl's
	// --oci-layout strata-test=DIR.
	Layout string
}

// BuildKitBase writes images (by the reference used in FROM lines) to an
// OCI layout in a temporary directory and returns the solve options that
// make BuildKit's dockerfile frontend use them.
func BuildKitBase(t testing.TB, images map[string]v1.Image) BuildKitBaseImages {
	t.Helper()
	dir := t.TempDir()
	base := BuildKitBaseImages{FrontendAttrs: map[string]string{}, Layout: dir}
	for ref, img := range images {
		digest, err := testimage.WriteLayout(dir, img, ref)
		if err != nil {
			t.Fatal(err)
		}
		key, err := NamedContextKey(ref)
		if err != nil {
			t.Fatal(err)
		}
		base.FrontendAttrs[key] = "oci-layout://" + ociStoreID + "@" + digest.String()
	}
	store, err := local.NewStore(dir)
	if err != nil {
		t.Fatal(err)
	}
	base.OCIStores = map[string]content.Store{ociStoreID: store}
	return base
}

// NamedContextKey returns the frontend attribute that overrides the image
// ref in FROM lines. The dockerfile frontend looks contexts up by the
// familiar name without a ":latest" tag, so FROM strata-test/busybox:latest
// is matched by "context:strata-test/busybox", not by
// "context:strata-test/busybox:latest".
func NamedContextKey(ref string) (string, error) {
	named, err := reference.ParseNormalizedNamed(ref)
	if err != nil {
		return "", fmt.Errorf("parsing %q: %w", ref, err)
	}
	return "context:" + strings.TrimSuffix(reference.FamiliarString(named), ":latest"), nil
}
