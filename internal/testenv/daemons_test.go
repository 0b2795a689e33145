package testenv_test

import (
	"archive/tar"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/moby/buildkit/client"
	"github.com/strata-dev/strata/internal/testenv"
	"github.com/strata-dev/strata/internal/testenv/testimage"
	"github.com/tonistiigi/fsutil"
)

// threeSteps writes a build context whose Dockerfile makes three layers on
// top of base: a RUN, a COPY and a RUN that changes the copied file.
func threeSteps(t *testing.T, base string) string {
	t.Helper()
	dir := t.TempDir()
	dockerfile := "FROM " + base + "\n" +
		"RUN echo hello > /hello.txt\n" +
		"COPY data.txt /data/data.txt\n" +
		"RUN chmod 600 /data/data.txt && cat /hello.txt /data/data.txt\n"
	for name, body := range map[string]string{"Dockerfile": dockerfile, "data.txt": "some data\n"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestDockerBuildFromBusybox(t *testing.T) {
	docker := testenv.DockerWithBusybox(t)
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()

	tag := "strata-test/" + testenv.ShortName(t) + ":latest"
	t.Cleanup(func() { _ = docker.Remove(context.Background(), tag) })
	res, err := docker.Build(ctx, threeSteps(t, testimage.BusyboxRef), tag)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(res.Output, "hello") {
		t.Errorf("build output lacks the RUN's output:\n%s", res.Output)
	}
	info, err := docker.Inspect(ctx, tag)
	if err != nil {
		t.Fatal(err)
	}
	if len(info.RootFS.Layers) != 4 {
		t.Errorf("built image has %d layers, want 1 base + 3", len(info.RootFS.Layers))
	}
	base, _ := testenv.Busybox(t).ConfigFile()
	if info.RootFS.Layers[0] != base.RootFS.DiffIDs[0].String() {
		t.Errorf("layer 0 = %s, want busybox's %s", info.RootFS.Layers[0], base.RootFS.DiffIDs[0])
	}
}

// TestDockerHasScriptBaseImages checks that daemons.sh loaded the very
// images of its OCI layout into dockerd.
func TestDockerHasScriptBaseImages(t *testing.T) {
	host := testenv.Docker(t)
	docker, err := testenv.NewDockerClient(host)
	if err != nil {
		t.Fatal(err)
	}
	for ref, img := range testenv.BaseImages(t) {
		info, err := docker.Inspect(t.Context(), ref)
		if err != nil {
			t.Fatal(err)
		}
		if cfg, _ := img.ConfigName(); info.ID != cfg.String() {
			t.Errorf("%s: dockerd has %s, the OCI layout %s", ref, info.ID, cfg)
		}
	}
}

func TestBuildKitBuildFromBusybox(t *testing.T) {
	addr := testenv.BuildKit(t)
	busybox := testenv.Busybox(t)
	out := buildkitBuild(t, addr, threeSteps(t, testimage.BusyboxRef), map[string]v1.Image{testimage.BusyboxRef: busybox})

	cfg, err := out.ConfigFile()
	if err != nil {
		t.Fatal(err)
	}
	if len(cfg.RootFS.DiffIDs) != 4 {
		t.Fatalf("built image has %d layers, want 1 base + 3", len(cfg.RootFS.DiffIDs))
	}
	base, _ := busybox.ConfigFile()
	if cfg.RootFS.DiffIDs[0] != base.RootFS.DiffIDs[0] {
		t.Errorf("layer 0 = %s, want busybox's %s", cfg.RootFS.DiffIDs[0], base.RootFS.DiffIDs[0])
	}
	var createdBy []string
	for _, h := range cfg.History {
		createdBy = append(createdBy, h.CreatedBy)
	}
	if !slices.ContainsFunc(createdBy, func(s string) bool { return strings.Contains(s, "chmod 600 /data/data.txt") }) {
		t.Errorf("history lacks the last RUN: %q", createdBy)
	}
}

// TestDebianAptInstall builds on the debootstrap'd Debian image, when
// daemons.sh made one (daemons.sh start --debian), with apt-get install
// from Debian's packages, on both daemons.
func TestDebianAptInstall(t *testing.T) {
	if testing.Short() {
		t.Skip("downloads Debian packages")
	}
	debian, ok := testenv.BaseImages(t)[testimage.DebianRef]
	if !ok {
		t.Skipf("no %s: start the daemons with `daemons.sh start --debian`", testimage.DebianRef)
	}
	dir := t.TempDir()
	dockerfile := "FROM " + testimage.DebianRef + "\n" +
		"RUN apt-get update && apt-get install -y --no-install-recommends hello && rm -rf /var/lib/apt/lists/*\n" +
		"RUN hello\n"
	if err := os.WriteFile(filepath.Join(dir, "Dockerfile"), []byte(dockerfile), 0o644); err != nil {
		t.Fatal(err)
	}

	t.Run("docker", func(t *testing.T) {
		docker, err := testenv.NewDockerClient(testenv.Docker(t))
		if err != nil {
			t.Fatal(err)
		}
		tag := "strata-test/" + testenv.ShortName(t) + ":latest"
		t.Cleanup(func() { _ = docker.Remove(context.Background(), tag) })
		res, err := docker.Build(t.Context(), dir, tag)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(res.Output, "Hello, world!") {
			t.Errorf("build output lacks hello's greeting:\n%s", res.Output)
		}
	})
	t.Run("buildkit", func(t *testing.T) {
		out := buildkitBuild(t, testenv.BuildKit(t), dir, map[string]v1.Image{testimage.DebianRef: debian})
		if layers, _ := out.Layers(); len(layers) != 3 {
			t.Errorf("built image has %d layers, want 3", len(layers))
		}
	})
}

// buildkitBuild builds contextDir with BuildKit's dockerfile frontend, the
// base images given as local OCI layouts, and returns the result exported
// as an OCI layout.
func buildkitBuild(t *testing.T, addr, contextDir string, bases map[string]v1.Image) v1.Image {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Minute)
	defer cancel()
	c, err := client.New(ctx, addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()

	base := testenv.BuildKitBase(t, bases)
	contextFS, err := fsutil.NewFS(contextDir)
	if err != nil {
		t.Fatal(err)
	}
	outDir := t.TempDir()
	status := make(chan *client.SolveStatus)
	var logs strings.Builder
	go func() {
		for s := range status {
			for _, l := range s.Logs {
				logs.Write(l.Data)
			}
		}
	}()
	_, err = c.Solve(ctx, nil, client.SolveOpt{
		Frontend:      "dockerfile.v0",
		FrontendAttrs: base.FrontendAttrs,
		OCIStores:     base.OCIStores,
		LocalMounts:   map[string]fsutil.FS{"context": contextFS, "dockerfile": contextFS},
		Exports: []client.ExportEntry{{
			Type:      client.ExporterOCI,
			Attrs:     map[string]string{"name": "strata-test/" + testenv.ShortName(t) + ":latest", "tar": "false"},
			OutputDir: outDir,
		}},
	}, status)
	if err != nil {
		t.Fatalf("buildkit build: %v\n%s", err, logs.String())
	}

	index, err := layout.ImageIndexFromPath(outDir)
	if err != nil {
		t.Fatal(err)
	}
	manifest, err := index.IndexManifest()
	if err != nil {
		t.Fatal(err)
	}
	if len(manifest.Manifests) == 0 {
		t.Fatal("buildkit exported an empty OCI layout")
	}
	img, err := index.Image(manifest.Manifests[len(manifest.Manifests)-1].Digest)
	if err != nil {
		t.Fatal(err)
	}
	return img
}

// TestBuildKitStreamsOCITarball exports the build as an OCI archive streamed
// through the session (ExportEntry.Output), the way `strata analyze --build`
// reads it without a copy on disk.
func TestBuildKitStreamsOCITarball(t *testing.T) {
	addr := testenv.BuildKit(t)
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Minute)
	defer cancel()
	c, err := client.New(ctx, addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	base := testenv.BuildKitBase(t, map[string]v1.Image{testimage.BusyboxRef: testenv.Busybox(t)})
	contextFS, err := fsutil.NewFS(threeSteps(t, testimage.BusyboxRef))
	if err != nil {
		t.Fatal(err)
	}

	pr, pw := io.Pipe()
	entries := make(chan map[string][]byte, 1)
	go func() {
		files := map[string][]byte{}
		tr := tar.NewReader(pr)
		for {
			h, err := tr.Next()
			if err != nil {
				pr.CloseWithError(err) // unblocks the exporter on a bad stream
				entries <- files
				return
			}
			if h.Name == "index.json" || strings.HasPrefix(h.Name, "blobs/") && h.Size < 1<<20 {
				files[h.Name], _ = io.ReadAll(tr)
			}
		}
	}()
	_, err = c.Solve(ctx, nil, client.SolveOpt{
		Frontend:      "dockerfile.v0",
		FrontendAttrs: base.FrontendAttrs,
		OCIStores:     base.OCIStores,
		LocalMounts:   map[string]fsutil.FS{"context": contextFS, "dockerfile": contextFS},
		Exports: []client.ExportEntry{{
			Type:   client.ExporterOCI,
			Attrs:  map[string]string{"name": "strata-test/streamed:latest"},
			Output: func(map[string]string) (io.WriteCloser, error) { return pw, nil },
		}},
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	files := <-entries

	var index, manifest struct {
		Manifests []v1.Descriptor `json:"manifests"`
		Layers    []v1.Descriptor `json:"layers"`
	}
	if err := json.Unmarshal(files["index.json"], &index); err != nil || len(index.Manifests) != 1 {
		t.Fatalf("index.json = %s (%v), want one manifest", files["index.json"], err)
	}
	blob := "blobs/sha256/" + index.Manifests[0].Digest.Hex
	if err := json.Unmarshal(files[blob], &manifest); err != nil {
		t.Fatalf("manifest %s: %v", blob, err)
	}
	if len(manifest.Layers) != 4 {
		t.Errorf("streamed image has %d layers, want 4", len(manifest.Layers))
	}
}
