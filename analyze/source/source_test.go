package source

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"

	"github.com/strata-dev/strata/internal/tools/testimg"
)

type v1Image = v1.Image

func one(body string, arch string) v1.Image {
	img := testimg.Image(true, testimg.Step{CreatedBy: "RUN " + body, Layer: testimg.Tar(F{Name: "f", Body: body})})
	cf, _ := img.ConfigFile()
	cf = cf.DeepCopy()
	cf.Architecture = arch
	img, _ = mutate.ConfigFile(img, cf)
	return img
}

func open(t *testing.T, ref string, o Options) (*Image, error) {
	t.Helper()
	r, err := ParseRef(ref)
	if err != nil {
		return nil, err
	}
	img, err := Open(context.Background(), r, o)
	if err == nil {
		t.Cleanup(func() { img.Close() })
	}
	return img, err
}

func TestParseRef(t *testing.T) {
	exists := func(p string) bool { return p == "/x/a.tar" || p == "/x/dir" }
	for in, want := range map[string]Ref{
		"docker://alpine:3":           {Transport: Registry, Name: "alpine:3"},
		"docker-daemon:app:1":         {Transport: DockerDaemon, Name: "app:1"},
		"docker-archive:/x/a.tar":     {Transport: DockerArchive, Path: "/x/a.tar"},
		"docker-archive:/x/a.tar:a:b": {Transport: DockerArchive, Path: "/x/a.tar", Name: "a:b"},
		"docker-archive:/x/a.tar:@1":  {Transport: DockerArchive, Path: "/x/a.tar", Name: "@1"},
		"oci:/x/dir:latest":           {Transport: OCI, Path: "/x/dir", Name: "latest"},
		"oci-archive:/x/a.tar":        {Transport: OCIArchive, Path: "/x/a.tar"},
		"alpine:3":                    {Transport: auto, Name: "alpine:3"},
		"ghcr.io/org/app@sha256:abcd": {Transport: auto, Name: "ghcr.io/org/app@sha256:abcd"},
	} {
		got, err := parseRef(in, exists)
		if err != nil || got != want {
			t.Errorf("%s: got %+v, %v; want %+v", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "docker://", "oci:", "./missing/dir"} {
		if _, err := parseRef(bad, exists); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
}

func TestArchiveWithSeveralImages(t *testing.T) {
	dir := t.TempDir()
	a := testimg.WriteDockerArchive(t, filepath.Join(dir, "two.tar"), map[string]v1Image{"app:1": one("a", "amd64"), "tool:2": one("b", "amd64")})
	if _, err := open(t, "docker-archive:"+a, Options{}); err == nil || !strings.Contains(err.Error(), "app:1, tool:2") {
		t.Errorf("err = %v, want the list of tags", err)
	}
	img, err := open(t, "docker-archive:"+a+":tool:2", Options{})
	if err != nil || img.Name != "tool:2" {
		t.Fatalf("by tag: %v %v", img, err)
	}
	if img, err := open(t, "docker-archive:"+a+":docker.io/library/app:1", Options{}); err != nil || img.Name != "app:1" {
		t.Errorf("by normalized name: %v", err)
	}
	if _, err := open(t, "docker-archive:"+a+":@1", Options{}); err != nil {
		t.Errorf("by index: %v", err)
	}
}

func TestPlatformFromIndex(t *testing.T) {
	idx := mutate.AppendManifests(empty.Index,
		mutate.IndexAddendum{Add: one("amd", "amd64"), Descriptor: v1.Descriptor{Platform: &v1.Platform{OS: "linux", Architecture: "amd64"}}},
		mutate.IndexAddendum{Add: one("arm", "arm64"), Descriptor: v1.Descriptor{Platform: &v1.Platform{OS: "linux", Architecture: "arm64", Variant: "v8"}}})
	dir := testimg.WriteIndexLayout(t, t.TempDir(), idx)
	img, err := open(t, "oci:"+dir, Options{Platform: "linux/arm64"})
	if err != nil || img.Platform != "linux/arm64/v8" {
		t.Fatalf("arm64: %+v %v", img, err)
	}
	img, err = open(t, "oci:"+dir, Options{})
	if err != nil || !strings.HasPrefix(img.Platform, "linux/") {
		t.Fatalf("host default: %v", err)
	}
	if _, err := open(t, "oci:"+dir, Options{Platform: "linux/s390x"}); err == nil || !strings.Contains(err.Error(), "linux/amd64, linux/arm64/v8") {
		t.Errorf("missing platform: %v", err)
	}
}

func TestMissingBlobAndBrokenManifests(t *testing.T) {
	dir := testimg.WriteLayout(t, t.TempDir(), one("x", "amd64"), "")
	img, err := open(t, "oci:"+dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	p, _ := blobPath(img.Layers[0].Digest)
	testimg.Remove(t, filepath.Join(dir, p))
	if _, err := open(t, "oci:"+dir, Options{}); err == nil || !strings.Contains(err.Error(), "layer 1") {
		t.Errorf("missing blob: err = %v", err)
	}
	bad := testimg.TarDir(t, t.TempDir(), filepath.Join(t.TempDir(), "bad.tar"), map[string][]byte{"manifest.json": []byte(`{"not":"a list"}`)})
	if _, err := open(t, "docker-archive:"+bad, Options{}); err == nil || !strings.Contains(err.Error(), "manifest.json") {
		t.Errorf("bad manifest: err = %v", err)
	}
}

func TestLayoutWithSeveralNamedImages(t *testing.T) {
	dir := t.TempDir()
	testimg.WriteLayout(t, dir, one("a", "amd64"), "app:1")
	testimg.WriteLayout(t, dir, one("b", "amd64"), "tool:2") // appends to the same layout
	if _, err := open(t, "oci:"+dir, Options{}); err == nil || !strings.Contains(err.Error(), "app:1, tool:2") {
		t.Errorf("err = %v, want the list of refs", err)
	}
	img, err := open(t, "oci:"+dir+":tool:2", Options{})
	if err != nil || img.Name != "tool:2" {
		t.Errorf("by ref: %+v %v", img, err)
	}
	if _, err := open(t, "oci:"+dir+":@0", Options{}); err != nil {
		t.Errorf("by index: %v", err)
	}
}
