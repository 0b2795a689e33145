package cli

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/moby/moby/client"
)

// e2eImage is the base image the test environment loads into dockerd.
const e2eImage = "strata-test/busybox:latest"

// TestAnalyzeDockerDaemonE2E runs against a real dockerd, which the test
// setup starts and names in STRATA_DOCKER_HOST (unix:///.../docker.sock);
// without it the test is skipped. The same image read through the Engine
// API and through a `docker save` archive must give the same figures.
func TestAnalyzeDockerDaemonE2E(t *testing.T) {
	host := os.Getenv("STRATA_DOCKER_HOST")
	if host == "" {
		t.Skip("STRATA_DOCKER_HOST is not set: no dockerd to test against")
	}
	env := func(k string) string {
		if k == "DOCKER_HOST" {
			return host
		}
		return ""
	}
	code, out, errOut := runStrata(env, "analyze", "--format", "json", "--entries=false", "docker-daemon:"+e2eImage)
	if code != 0 {
		t.Fatalf("docker-daemon: exit %d: %s", code, errOut)
	}
	fromDaemon := summarize(t, out)

	code, out, errOut = runStrata(env, "analyze", "--format", "json", "--entries=false", e2eImage)
	if code != 0 {
		t.Fatalf("bare name: exit %d: %s", code, errOut)
	}
	if got := summarize(t, out); got != fromDaemon {
		t.Errorf("bare name read differently:\n%s\n%s", got, fromDaemon)
	}

	c, err := client.New(client.WithHost(host))
	if err != nil {
		t.Fatal(err)
	}
	rc, err := c.ImageSave(context.Background(), []string{e2eImage})
	if err != nil {
		t.Fatal(err)
	}
	archive := filepath.Join(t.TempDir(), "save.tar")
	f, err := os.Create(archive)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(f, rc); err != nil {
		t.Fatal(err)
	}
	rc.Close()
	f.Close()
	code, out, errOut = runStrata(env, "analyze", "--format", "json", "--entries=false", "docker-archive:"+archive)
	if code != 0 {
		t.Fatalf("docker-archive: exit %d: %s", code, errOut)
	}
	if got := summarize(t, out); got != fromDaemon {
		t.Errorf("docker save archive read differently:\n%s\n%s", got, fromDaemon)
	}

	code, _, errOut = runStrata(env, "analyze", "docker-daemon:strata-test/no-such-image:latest")
	if code != ExitError {
		t.Errorf("missing image: exit %d (%s), want 2", code, errOut)
	}
}

// summarize keeps what must not depend on the source.
func summarize(t *testing.T, report string) string {
	t.Helper()
	var r struct {
		Summary map[string]any
		Dive    map[string]any
		Layers  []struct {
			DiffID string
			Size   int64
			Files  int
		}
	}
	if err := json.Unmarshal([]byte(report), &r); err != nil {
		t.Fatal(err)
	}
	delete(r.Summary, "blobSize")
	b, _ := json.Marshal(r)
	return string(b)
}

// TestAnalyzeDockerDaemonContextE2E: with no DOCKER_HOST, docker-daemon:
// (with or without --dockerfile) connects to the endpoint of the docker
// CLI's current context, as --build does.
func TestAnalyzeDockerDaemonContextE2E(t *testing.T) {
	host := os.Getenv("STRATA_DOCKER_HOST")
	if host == "" {
		t.Skip("STRATA_DOCKER_HOST is not set: no dockerd to test against")
	}
	cfg := t.TempDir()
	sum := sha256.Sum256([]byte("strata-test"))
	meta := filepath.Join(cfg, "contexts", "meta", hex.EncodeToString(sum[:]))
	if err := os.MkdirAll(meta, 0o755); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(meta, "meta.json"), []byte(`{"Name":"strata-test","Endpoints":{"docker":{"Host":"`+host+`"}}}`), 0o644)
	os.WriteFile(filepath.Join(cfg, "config.json"), []byte(`{"currentContext":"strata-test"}`), 0o644)
	dockerfile := filepath.Join(t.TempDir(), "Dockerfile")
	os.WriteFile(dockerfile, []byte("FROM "+e2eImage+"\n"), 0o644)
	env := func(k string) string {
		if k == "DOCKER_CONFIG" {
			return cfg
		}
		return ""
	}
	for _, args := range [][]string{
		{"analyze", "--format", "json", "--entries=false", "docker-daemon:" + e2eImage},
		{"analyze", "--format", "json", "--entries=false", "--dockerfile", dockerfile, "docker-daemon:" + e2eImage},
	} {
		if code, _, errOut := runStrata(env, args...); code != 0 {
			t.Errorf("%v: exit %d: %s", args, code, errOut)
		}
	}
}
