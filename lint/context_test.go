package lint

import (
	"os"
	"path/filepath"
	"testing"
)

func writeFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, body := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestIgnoreFor(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		".dockerignore":                 "# comment\n/node_modules\n*.env\n",
		"build/Dockerfile":              "FROM scratch\n",
		"build/Dockerfile.dockerignore": "secrets/\n",
		"Dockerfile":                    "FROM scratch\n",
	})
	c, err := NewBuildContext(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		dockerfile, path string
		want             bool
	}{
		{filepath.Join(dir, "Dockerfile"), "node_modules/x/index.js", true}, // a parent directory is excluded
		{filepath.Join(dir, "Dockerfile"), "app.env", true},
		{filepath.Join(dir, "Dockerfile"), "src/main.go", false},
		{"-", "app.env", true},
		{filepath.Join(dir, "build/Dockerfile"), "secrets/key", true}, // <Dockerfile>.dockerignore wins
		{filepath.Join(dir, "build/Dockerfile"), "app.env", false},
	} {
		ig, err := c.IgnoreFor(tc.dockerfile)
		if err != nil || ig == nil {
			t.Fatalf("IgnoreFor(%s) = %v, %v", tc.dockerfile, ig, err)
		}
		if got, _ := ig.Excludes(tc.path); got != tc.want {
			t.Errorf("%s: Excludes(%s) = %v, want %v", ig.File, tc.path, got, tc.want)
		}
	}
}

func TestBuildContextErrors(t *testing.T) {
	if _, err := NewBuildContext(filepath.Join(t.TempDir(), "missing")); err == nil {
		t.Error("a missing directory is accepted")
	}
	dir := writeFiles(t, map[string]string{".dockerignore": "[\n"})
	if _, err := NewBuildContext(dir); err == nil {
		t.Error("an invalid pattern is accepted")
	}
	empty := writeFiles(t, map[string]string{"Dockerfile": "FROM scratch\n"})
	c, err := NewBuildContext(empty)
	if err != nil {
		t.Fatal(err)
	}
	if ig, err := c.IgnoreFor(filepath.Join(empty, "Dockerfile")); ig != nil || err != nil {
		t.Errorf("no ignore file: got %v, %v", ig, err)
	}
}
