package cli

import (
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"strings"
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

// action.yml: every input, step and output it refers to exists, and lint
// runs with the formats the action promises.
func TestGitHubActionIsConsistent(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "..", "action.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var action struct {
		Inputs  map[string]struct{ Description, Default string }
		Outputs map[string]struct{ Value string }
		Runs    struct {
			Using string
			Steps []struct {
				ID, Uses, Run string
			}
		}
	}
	if err := yaml.Unmarshal(data, &action); err != nil {
		t.Fatal(err)
	}
	if action.Runs.Using != "composite" {
		t.Errorf("runs.using %q, want composite", action.Runs.Using)
	}
	for _, want := range []string{"paths", "config", "failure-threshold", "format", "analyze"} {
		if _, ok := action.Inputs[want]; !ok {
			t.Errorf("no input %q", want)
		}
	}
	for name, in := range action.Inputs {
		if in.Description == "" {
			t.Errorf("input %q has no description", name)
		}
	}
	ids := map[string]bool{}
	uses := map[string]bool{}
	for _, s := range action.Runs.Steps {
		ids[s.ID] = true
		if s.Uses != "" {
			uses[strings.SplitN(s.Uses, "@", 2)[0]] = true
		}
	}
	if !uses["github/codeql-action/upload-sarif"] {
		t.Error("no upload-sarif step")
	}
	for _, m := range regexp.MustCompile(`inputs\.([a-z-]+)`).FindAllStringSubmatch(string(data), -1) {
		if _, ok := action.Inputs[m[1]]; !ok {
			t.Errorf("refers to unknown input %q", m[1])
		}
	}
	for _, m := range regexp.MustCompile(`steps\.([a-z-]+)\.outputs`).FindAllStringSubmatch(string(data), -1) {
		if !ids[m[1]] {
			t.Errorf("refers to unknown step %q", m[1])
		}
	}
	for _, f := range []string{"--format github", "--format sarif --output", "strata analyze \"$STRATA_IMAGE\" --ci"} {
		if !strings.Contains(string(data), f) {
			t.Errorf("action.yml does not run %q", f)
		}
	}
}

// The GitLab job writes the reports it declares as artifacts.
func TestGitLabJobWritesItsReports(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "..", "ci", "gitlab", "strata.gitlab-ci.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var ci map[string]struct {
		Script    []string
		Artifacts struct {
			Reports map[string]string
		}
	}
	if err := yaml.Unmarshal(data, &ci); err != nil {
		t.Fatal(err)
	}
	job, ok := ci["strata-lint"]
	if !ok {
		t.Fatal("no strata-lint job")
	}
	script := strings.Join(job.Script, "\n")
	for kind, format := range map[string]string{"codequality": "gitlab", "junit": "junit"} {
		file := job.Artifacts.Reports[kind]
		if file == "" || !strings.Contains(script, "--format "+format+" --output "+file) {
			t.Errorf("%s report %q is not written by --format %s in:\n%s", kind, file, format, script)
		}
	}
}

// strata's own Dockerfile is clean under every default rule (ShellCheck's
// too when it is installed).
func TestOwnDockerfileIsClean(t *testing.T) {
	dockerfile := filepath.Join("..", "..", "Dockerfile")
	if _, err := os.Stat(filepath.Join("..", "..", ".dockerignore")); err != nil {
		t.Errorf("no .dockerignore beside the Dockerfile: %v", err)
	}
	code, out, errOut := runForTest(t, "lint", dockerfile)
	if code != ExitOK || out != "" {
		t.Errorf("strata lint Dockerfile: exit %d\n%s%s", code, out, errOut)
	}
	// Off-by-default and preview rules have nothing to say either, except
	// ST3001 (digest pinning): the base images' digests cannot be looked up
	// from this offline machine, so they are pinned by tag for now.
	code, out, errOut = runForTest(t, "lint", "--preview", "--ignore", "ST3001", "--severity-override", "DL3057=info", dockerfile)
	if code != ExitOK || out != "" {
		t.Errorf("strata lint --preview Dockerfile: exit %d\n%s%s", code, out, errOut)
	}
}

// The action's lint and analyze scripts pass multi-line args and paths
// inputs through word by word, and cope with empty ones: run them with
// bash against a stand-in strata that prints its arguments.
func TestGitHubActionScriptsPassArgs(t *testing.T) {
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("no bash")
	}
	data, err := os.ReadFile(filepath.Join("..", "..", "action.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var action struct {
		Runs struct{ Steps []struct{ ID, Run string } }
	}
	if err := yaml.Unmarshal(data, &action); err != nil {
		t.Fatal(err)
	}
	scripts := map[string]string{}
	for _, s := range action.Runs.Steps {
		scripts[s.ID] = s.Run
	}
	dir := t.TempDir()
	fake := "#!/bin/sh\nfor a in \"$@\"; do echo \"[$a]\"; done\n"
	if err := os.WriteFile(filepath.Join(dir, "strata"), []byte(fake), 0o755); err != nil {
		t.Fatal(err)
	}
	run := func(step string, env ...string) string {
		t.Helper()
		if scripts[step] == "" {
			t.Fatalf("no step %q", step)
		}
		cmd := exec.Command(bash, "-e", "-c", scripts[step])
		cmd.Dir = dir
		cmd.Env = append([]string{"PATH=" + dir + string(os.PathListSeparator) + os.Getenv("PATH"),
			"GITHUB_OUTPUT=" + filepath.Join(dir, "out"), "GITHUB_WORKSPACE=" + dir}, env...)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("%s: %v\n%s", step, err, out)
		}
		return string(out)
	}
	lintEnv := []string{"STRATA_FORMAT=text", "STRATA_ANNOTATIONS=false", "STRATA_SARIF=false",
		"STRATA_CONFIG=", "STRATA_THRESHOLD=", "STRATA_SARIF_FILE="}
	got := run("lint", append(lintEnv, "STRATA_ARGS=--ignore ST3005\n--select DL3007\n", "STRATA_PATHS=a b\nc")...)
	want := "[lint]\n[--format]\n[text]\n[--ignore]\n[ST3005]\n[--select]\n[DL3007]\n[--]\n[a]\n[b]\n[c]\n"
	if got != want {
		t.Errorf("lint with multi-line inputs ran\n%s\nwant\n%s", got, want)
	}
	if got := run("lint", append(lintEnv, "STRATA_ARGS=", "STRATA_PATHS=")...); got != "[lint]\n[--format]\n[text]\n[--]\n" {
		t.Errorf("lint with empty inputs ran\n%s", got)
	}
	got = run("analyze", "STRATA_IMAGE=oci:img", "STRATA_ANALYZE_ARGS=--max-size 1GB\n--top 5")
	if got != "[analyze]\n[oci:img]\n[--ci]\n[--max-size]\n[1GB]\n[--top]\n[5]\n" {
		t.Errorf("analyze ran\n%s", got)
	}
	if got := run("analyze", "STRATA_IMAGE=oci:img", "STRATA_ANALYZE_ARGS="); got != "[analyze]\n[oci:img]\n[--ci]\n" {
		t.Errorf("analyze with no args ran\n%s", got)
	}
}
