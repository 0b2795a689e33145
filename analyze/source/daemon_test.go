package source

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/moby/moby/api/types/image"
	"github.com/moby/moby/client"

	"github.com/strata-dev/strata/analyze/layer"
	"github.com/strata-dev/strata/internal/tools/testimg"
)

// fakeDocker answers like the Engine with a prepared `docker save` file.
type fakeDocker struct {
	archive string
	saved   int
}

func (f *fakeDocker) ImageInspect(_ context.Context, ref string, _ ...client.ImageInspectOption) (client.ImageInspectResult, error) {
	if ref == "missing:1" {
		return client.ImageInspectResult{}, notFound{}
	}
	return client.ImageInspectResult{InspectResponse: image.InspectResponse{ID: "sha256:fake"}}, nil
}

func (f *fakeDocker) ImageSave(context.Context, []string, ...client.ImageSaveOption) (client.ImageSaveResult, error) {
	f.saved++
	return os.Open(f.archive)
}

type notFound struct{}

func (notFound) Error() string { return "No such image" }
func (notFound) NotFound()     {}

func TestDaemonStreamsTheSaveOutput(t *testing.T) {
	mk := func(compress bool) v1Image {
		return testimg.Image(compress,
			testimg.Step{CreatedBy: "RUN a", Layer: testimg.Tar(F{Name: "a", Body: "hello"})},
			testimg.Step{CreatedBy: "RUN b", Layer: testimg.Tar(F{Name: ".wh.a"}, F{Name: "b", Body: "bye"})})
	}
	img := mk(true)
	dir := t.TempDir()
	// docker save writes uncompressed layer tars (legacy) or the stored
	// blobs (OCI-in-tar).
	legacy := testimg.WriteDockerArchive(t, filepath.Join(dir, "save.tar"), map[string]v1Image{"app:1": mk(false)})
	layout := testimg.WriteLayout(t, filepath.Join(dir, "layout"), img, "")
	ociInTar := testimg.TarDir(t, layout, filepath.Join(dir, "oci.tar"), map[string][]byte{
		"manifest.json": []byte(`[{"Config":"` + configBlob(t, img) + `","RepoTags":["app:1"],"Layers":` + layerBlobs(t, img) + `}]`)})
	for _, archive := range []string{legacy, ociInTar} {
		fake := &fakeDocker{archive: archive}
		o := Options{Docker: fake, Layer: layer.BlobOptions{Options: layer.Options{MaxEntries: 100}}}
		got, err := open(t, "docker-daemon:app:1", o)
		if err != nil {
			t.Fatalf("%s: %v", archive, err)
		}
		if fake.saved != 1 || len(got.Layers) != 2 || got.Layers[0].Preread == nil || got.Layers[1].Preread == nil {
			t.Fatalf("%s: saved %d times, layers %+v", archive, fake.saved, got.Layers)
		}
		if !got.Layers[0].Preread.Verified {
			t.Errorf("%s: streamed layer digest not checked", archive)
		}
		if n := len(got.Layers[1].Preread.Entries); n != 2 {
			t.Errorf("%s: layer 2 has %d entries", archive, n)
		}
	}
	_, err := open(t, "docker-daemon:missing:1", Options{Docker: &fakeDocker{}})
	if err == nil || !strings.Contains(err.Error(), "not found in the Docker daemon") {
		t.Errorf("missing image: %v", err)
	}
}

func TestStreamedArchiveDigestMismatch(t *testing.T) {
	img := testimg.Image(false, testimg.Step{CreatedBy: "RUN a", Layer: testimg.Tar(F{Name: "a", Body: "hello"})})
	legacy := testimg.WriteDockerArchive(t, filepath.Join(t.TempDir(), "save.tar"), map[string]v1Image{"app:1": img})
	b, _ := os.ReadFile(legacy)
	i := strings.Index(string(b), "hello")
	b[i] = 'j' // same size, other content: only the diff ID can tell
	bad := filepath.Join(t.TempDir(), "bad.tar")
	os.WriteFile(bad, b, 0o644)
	_, err := open(t, "docker-daemon:app:1", Options{Docker: &fakeDocker{archive: bad}})
	if err == nil || !strings.Contains(err.Error(), "digest mismatch") {
		t.Errorf("err = %v, want a digest mismatch", err)
	}
}

var _ = io.EOF

// TestDockerClientHonoursTheContext: without DOCKER_HOST, the daemon
// source connects to the endpoint of the docker CLI's current context,
// as the Docker build back end does.
func TestDockerClientHonoursTheContext(t *testing.T) {
	cfg := t.TempDir()
	sum := sha256.Sum256([]byte("test"))
	meta := filepath.Join(cfg, "contexts", "meta", hex.EncodeToString(sum[:]))
	if err := os.MkdirAll(meta, 0o755); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(meta, "meta.json"), []byte(`{"Name":"test","Endpoints":{"docker":{"Host":"tcp://engine.invalid:2375"}}}`), 0o644)
	os.WriteFile(filepath.Join(cfg, "config.json"), []byte(`{"currentContext":"test"}`), 0o644)
	for _, tc := range []struct {
		env  map[string]string
		want string
	}{
		{map[string]string{"DOCKER_CONFIG": cfg}, "tcp://engine.invalid:2375"},
		{map[string]string{"DOCKER_CONFIG": cfg, "DOCKER_HOST": "tcp://other.invalid:2375"}, "tcp://other.invalid:2375"},
		{map[string]string{"DOCKER_CONFIG": cfg, "DOCKER_CONTEXT": "default"}, client.DefaultDockerHost},
	} {
		c, err := dockerClient(&Options{Getenv: func(k string) string { return tc.env[k] }})
		if err != nil {
			t.Fatalf("%v: %v", tc.env, err)
		}
		if got := c.(*client.Client).DaemonHost(); got != tc.want {
			t.Errorf("%v: host %q, want %q", tc.env, got, tc.want)
		}
	}
	if _, err := dockerClient(&Options{Getenv: func(k string) string {
		return map[string]string{"DOCKER_CONFIG": cfg, "DOCKER_CONTEXT": "missing"}[k]
	}}); err == nil || !strings.Contains(err.Error(), `docker context "missing"`) {
		t.Errorf("a missing context: %v", err)
	}
}
