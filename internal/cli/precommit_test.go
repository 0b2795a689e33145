package cli

import (
	"os"
	"path"
	"path/filepath"
	"regexp"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/strata-dev/strata/lint"
)

type preCommitHook struct {
	ID            string `yaml:"id"`
	Entry         string `yaml:"entry"`
	Language      string `yaml:"language"`
	Files         string `yaml:"files"`
	Exclude       string `yaml:"exclude"`
	RequireSerial *bool  `yaml:"require_serial"`
}

// The hooks' file patterns must pick exactly the files `strata lint DIR`
// would find, so that a hook and a directory run agree. pre-commit matches
// with Python's re.search; these patterns use only syntax that Go's regexp
// reads the same way.
func TestPreCommitHooksMatchDiscovery(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "..", ".pre-commit-hooks.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var hooks []preCommitHook
	if err := yaml.Unmarshal(data, &hooks); err != nil {
		t.Fatal(err)
	}
	ids := map[string]preCommitHook{}
	for _, h := range hooks {
		ids[h.ID] = h
	}
	for id, lang := range map[string]string{"strata-lint": "golang", "strata-lint-system": "system"} {
		h, ok := ids[id]
		if !ok {
			t.Fatalf("no hook %s", id)
		}
		if h.Language != lang || h.Entry != "strata lint" || h.RequireSerial == nil || *h.RequireSerial {
			t.Errorf("%s: language %q entry %q require_serial %v", id, h.Language, h.Entry, h.RequireSerial)
		}
	}
	paths := []string{
		"Dockerfile", "dockerfile", "DOCKERFILE", "Containerfile", "containerfile",
		"svc/Dockerfile", "a/b/Dockerfile.dev", "Dockerfile.prod", "prod.Dockerfile", "web/api.containerfile",
		"Containerfile.arm64", "x.DockerFile", "Dockerfile.dockerignore", "svc/Containerfile.containerignore",
		".dockerignore", "Dockerfiles/README.md", "Dockerfile/x", "docs/dockerfile.md.txt", "mydockerfile",
		"Dockerfile-dev", "notes/Dockerfile_template", "Dockerfilex", "x.dockerfile.bak", "dockerfile.d/conf",
	}
	for _, h := range hooks {
		files, exclude := regexp.MustCompile(h.Files), regexp.MustCompile(h.Exclude)
		for _, p := range paths {
			got := files.MatchString(p) && !exclude.MatchString(p)
			want := lint.IsDockerfileName(path.Base(p))
			if got != want {
				t.Errorf("%s: %q matched=%v, strata lint DIR would find it: %v", h.ID, p, got, want)
			}
		}
	}
}
