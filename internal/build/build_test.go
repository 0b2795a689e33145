package build

import (
	"archive/tar"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestChooseBackend(t *testing.T) {
	for _, tc := range []struct {
		builder string
		env     map[string]string
		want    string
	}{
		{"", nil, "docker "},
		{"", map[string]string{"BUILDKIT_HOST": "tcp://bk:1234"}, "buildkit tcp://bk:1234"},
		{"docker", map[string]string{"BUILDKIT_HOST": "tcp://bk:1234"}, "docker "},
		{"docker:unix:///run/d.sock", nil, "docker unix:///run/d.sock"},
		{"buildkit://unix:///run/buildkit/buildkitd.sock", nil, "buildkit unix:///run/buildkit/buildkitd.sock"},
		{"buildkit:///run/buildkit/buildkitd.sock", nil, "buildkit unix:///run/buildkit/buildkitd.sock"},
		{"buildkit://docker-container://buildx_buildkit_default", nil, "buildkit docker-container://buildx_buildkit_default"},
		{"buildkit://10.0.0.1:1234", nil, "buildkit tcp://10.0.0.1:1234"},
		{"docker-container://bk", nil, "buildkit docker-container://bk"},
		{"tcp://10.0.0.1:1234", nil, "buildkit tcp://10.0.0.1:1234"},
	} {
		b, err := ChooseBackend(tc.builder, env(tc.env))
		if got := b.Kind + " " + b.Address; err != nil || got != tc.want {
			t.Errorf("ChooseBackend(%q) = %q, %v; want %q", tc.builder, got, err, tc.want)
		}
	}
	for _, bad := range []string{"ftp://x", "buildkit", "podman"} {
		if _, err := ChooseBackend(bad, env(nil)); err == nil {
			t.Errorf("ChooseBackend(%q) accepted", bad)
		}
	}
}

func TestBuildArgs(t *testing.T) {
	got, err := buildArgs([]string{"A=1", "B=", "HOME", "UNSET", "C=x=y"}, env(map[string]string{"HOME": "/root"}))
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(got) != "map[A:1 B: C:x=y HOME:/root]" {
		t.Errorf("buildArgs = %v", got)
	}
	if _, err := buildArgs([]string{"=1"}, env(nil)); err == nil {
		t.Error("an empty key was accepted")
	}
}

// TestContextTar: .dockerignore applies (negations included), the
// Dockerfile and .dockerignore always go, and a Dockerfile outside the
// context is added under a private name.
func TestContextTar(t *testing.T) {
	dir := t.TempDir()
	for name, body := range map[string]string{
		"Dockerfile": "FROM x\n", ".dockerignore": "*.log\nnode_modules\nsecret*\n!secret.pub\nDockerfile\n",
		"app.go": "package main", "debug.log": "x", "node_modules/a/b.js": "x", "secret.key": "k", "secret.pub": "p", "sub/keep.txt": "k",
	} {
		p := filepath.Join(dir, name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	names := func(r io.Reader) string {
		var out []string
		tr := tar.NewReader(r)
		for {
			h, err := tr.Next()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, h.Name)
		}
		sort.Strings(out)
		return strings.Join(out, " ")
	}
	rc, name, err := contextTar(dir, filepath.Join(dir, "Dockerfile"))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := names(rc), ".dockerignore Dockerfile app.go secret.pub sub/ sub/keep.txt"; got != want || name != "Dockerfile" {
		t.Errorf("context %q (dockerfile %q), want %q", got, name, want)
	}
	outside := filepath.Join(t.TempDir(), "build.Dockerfile")
	os.WriteFile(outside, []byte("FROM y\n"), 0o644)
	rc, name, err = contextTar(dir, outside)
	if err != nil {
		t.Fatal(err)
	}
	if got := names(rc); name != ".strata-dockerfile" || !strings.Contains(got, ".strata-dockerfile") {
		t.Errorf("outside Dockerfile: name %q, context %q", name, got)
	}
}

func TestInstructionLines(t *testing.T) {
	df := "# syntax\nFROM a\n\nRUN a \\\n  b\n# comment\nCOPY <<EOF /x\nhello\nEOF\nCMD x\n"
	if got := fmt.Sprint(instructionLines([]byte(df))); got != "[2 4 7 10]" {
		t.Errorf("instructionLines = %s", got)
	}
}

func TestFollowBuildFailure(t *testing.T) {
	dir := t.TempDir()
	df := filepath.Join(dir, "Dockerfile")
	os.WriteFile(df, []byte("FROM a\nRUN ok\n\nRUN false\n"), 0o644)
	stream := `{"stream":"Step 1/3 : FROM a\n"}
{"stream":" ---\u003e 1234\n"}
{"stream":"Step 3/3 : RUN false\n"}
{"errorDetail":{"message":"The command '/bin/sh -c false' returned a non-zero code: 1"},"error":"The command '/bin/sh -c false' returned a non-zero code: 1"}
`
	var progress strings.Builder
	_, err := followBuild(strings.NewReader(stream), &progress, df)
	var be *Error
	if !errors.As(err, &be) || be.Line != 4 || be.Text != "RUN false" {
		t.Fatalf("err = %#v", err)
	}
	if want := "build failed at " + df + ":4 (RUN false): The command '/bin/sh -c false' returned a non-zero code: 1"; err.Error() != want {
		t.Errorf("message %q, want %q", err.Error(), want)
	}
	if !strings.Contains(progress.String(), "Step 3/3") {
		t.Errorf("progress lacks the steps: %q", progress.String())
	}
	id, err := followBuild(strings.NewReader(`{"aux":{"ID":"sha256:abc"}}`+"\n"), io.Discard, df)
	if err != nil || id != "sha256:abc" {
		t.Errorf("followBuild = %q, %v", id, err)
	}
}

func TestLayoutRefs(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "index.json"), []byte(`{"manifests":[
		{"digest":"sha256:aaa","annotations":{"org.opencontainers.image.ref.name":"strata-test/debian:bookworm"}},
		{"digest":"sha256:bbb","annotations":{"org.opencontainers.image.ref.name":"busybox"}}]}`), 0o644)
	for spec, want := range map[string]string{
		dir + ":strata-test/debian:bookworm": "sha256:aaa",
		dir + ":bookworm":                    "sha256:aaa",
		dir + ":busybox":                     "sha256:bbb",
		dir + "@sha256:ccc":                  "sha256:ccc",
	} {
		d, ref := splitLayoutRef(spec)
		got, err := layoutDigest(d, ref)
		if err != nil || got != want || d != dir {
			t.Errorf("%s: dir %q, digest %q, %v; want %q", spec, d, got, err, want)
		}
	}
	if _, err := layoutDigest(dir, ""); err == nil {
		t.Error("an ambiguous layout gave a digest")
	}
}

func TestSecrets(t *testing.T) {
	if _, err := secretsAttachable([]string{"id=npm,src=/dev/null", "id=TOKEN,env=TOKEN", "id=x,type=env"}); err != nil {
		t.Error(err)
	}
	for _, bad := range []string{"src=/x", "id=a,bogus=1"} {
		if _, err := secretsAttachable([]string{bad}); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}
