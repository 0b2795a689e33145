package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/moby/buildkit/client"
	"github.com/tonistiigi/fsutil"

	"github.com/strata-dev/strata/internal/testenv"
	"github.com/strata-dev/strata/internal/testenv/testimage"
)

// corpusCase is one Dockerfile of ../shared/corpus/contexts that can build
// offline, with the local images that stand in for its Docker Hub bases.
type corpusCase struct {
	context, file, target string
	// bases maps FROM names to local images: "busybox", "debian", "node"
	// or "golang" (see localBases).
	bases   map[string]string
	builtin bool
}

var corpusCases = []corpusCase{
	{context: "buildah-dockerignore3", file: "Dockerfile", bases: map[string]string{"busybox": "busybox"}},
	{context: "buildah-dockerignore", file: "Dockerfile.succeed", bases: map[string]string{"alpine": "busybox"}},
	{context: "buildah-copy-globs", file: "Containerfile"},
	{context: "udemy-dockerfile-sample-5", file: "Dockerfile", bases: map[string]string{"alpine": "busybox"}},
	{context: "udemy-dockerfile-sample-5", file: "bad.Dockerfile", bases: map[string]string{"alpine": "busybox"}},
	{context: "voting-app-result", file: "Dockerfile", bases: map[string]string{"node:18-slim": "node"}},
	{context: "docker-and-ci-cd", file: "Dockerfile.dev", bases: map[string]string{"node:alpine": "node"}},
	{context: "docker-and-ci-cd", file: "Dockerfile", bases: map[string]string{"node:alpine": "node", "nginx": "debian"}},
	{context: "kurs-go", file: "Dockerfile", bases: map[string]string{"golang:latest": "golang"}},
	{context: "dyndns-multiplexer", file: "Dockerfile", target: "builder", bases: map[string]string{"golang:1.25.1-alpine": "golang"}},
	{context: "awesome-compose-nginx-golang-backend", file: "Dockerfile", builtin: true, bases: map[string]string{"golang:1.18-alpine": "golang"}},
	// These cannot build here; they are listed so that the log says why.
	{context: "voting-app-vote", file: "Dockerfile", bases: map[string]string{"python:3.11-slim": "debian"}},
	{context: "similar-string", file: "Dockerfile", bases: map[string]string{"python:3.9-slim": "debian"}},
	{context: "api-excercise", //nolint:misspell // the corpus directory's name
		file: "Dockerfile", bases: map[string]string{"python:3.10-alpine": "busybox"}},
	{context: "tor-hidden-service", file: "Dockerfile", bases: map[string]string{"alpine:edge": "busybox"}},
}

// localBaseDockerfiles make the stand-ins for Docker Hub images on the
// local Debian image: Node.js and npm from Debian, Go from this machine's
// own installation. The host's CA bundle goes in too: here the npm
// registry and the Go module proxy answer through a mirror whose
// certificate only the host trusts.
var localBaseDockerfiles = map[string]string{
	"node": "FROM strata-test/debian:bookworm\n" +
		"RUN apt-get update && apt-get install -y --no-install-recommends nodejs npm ca-certificates && rm -rf /var/lib/apt/lists/*\n" +
		"COPY --from=hostcerts ca-certificates.crt /etc/ssl/certs/ca-certificates.crt\n" +
		"ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt\n",
	"golang": "FROM strata-test/debian:bookworm\n" +
		"RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates git && rm -rf /var/lib/apt/lists/*\n" +
		"COPY --from=hostcerts ca-certificates.crt /etc/ssl/certs/ca-certificates.crt\n" +
		"COPY --from=goroot / /usr/local/go\n" +
		"ENV PATH=/usr/local/go/bin:/go/bin:$PATH GOPATH=/go GOTOOLCHAIN=local\n",
}

// TestCorpusAttribution builds the corpus contexts that build offline with
// BuildKit and reports the share of wasted bytes tied to a Dockerfile line
// and to a lint rule. It runs only with STRATA_CORPUS_BUILD=1 (it downloads
// Debian and npm packages and Go modules; allow 10 minutes).
func TestCorpusAttribution(t *testing.T) {
	if os.Getenv("STRATA_CORPUS_BUILD") != "1" {
		t.Skip("set STRATA_CORPUS_BUILD=1 to build the corpus contexts")
	}
	corpus := filepath.Join("..", "..", "..", "shared", "corpus", "contexts")
	if _, err := os.Stat(corpus); err != nil {
		t.Skipf("no corpus: %v", err)
	}
	addr := testenv.BuildKit(t)
	layoutDir := os.Getenv(testenv.OCILayoutEnv)
	debian, ok := testenv.BaseImages(t)[testimage.DebianRef]
	if !ok {
		t.Skip("needs the Debian image (daemons.sh --debian)")
	}
	lent := testenv.BuildKitBase(t, map[string]v1.Image{testimage.DebianRef: debian})
	bases := map[string]string{
		"busybox": "oci-layout://" + layoutDir + ":" + testimage.BusyboxRef,
		"debian":  "oci-layout://" + layoutDir + ":" + testimage.DebianRef,
	}
	for name, df := range localBaseDockerfiles {
		bases[name] = "oci-layout://" + buildLocalBase(t, addr, lent, name, df)
	}

	// The Docker Engine gets the same stand-ins loaded under the FROM names.
	var docker *testenv.DockerClient
	dockerHost := os.Getenv(testenv.DockerHostEnv)
	if dockerHost != "" {
		var err error
		if docker, err = testenv.NewDockerClient(dockerHost); err != nil {
			t.Fatal(err)
		}
		loaded := map[string]bool{}
		for _, c := range corpusCases {
			for from, local := range c.bases {
				if loaded[from] {
					continue
				}
				loaded[from] = true
				if err := docker.Load(t.Context(), layoutImage(t, strings.TrimPrefix(bases[local], "oci-layout://")), dockerRef(from)); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	corpusRun(t, corpus, "buildkit", func(c corpusCase) []string {
		args := []string{"--builder", "buildkit://" + addr}
		if c.builtin {
			args = append(args, "--builtin-frontend")
		}
		for from, local := range c.bases {
			args = append(args, "--build-context", from+"="+bases[local])
		}
		return args
	})
	if docker != nil {
		corpusRun(t, corpus, "docker", func(corpusCase) []string { return []string{"--builder", "docker:" + dockerHost} })
	}
}

// corpusRun builds every case with one back end and logs the shares.
func corpusRun(t *testing.T, corpus, backend string, backendArgs func(corpusCase) []string) {
	var wasted, attributed, ruled, buildSecs, totalSecs float64
	var table strings.Builder
	fmt.Fprintf(&table, "%-40s %-10s %12s %12s %12s %8s %8s\n", "context/file", "result", "wasted", "to a line", "to a rule", "build s", "total s")
	for _, c := range corpusCases {
		dir := filepath.Join(corpus, c.context)
		args := []string{"analyze", "--build", "--format", "json", "--entries=false", "--build-progress", "quiet", "--progress", "never",
			"-f", filepath.Join(dir, c.file)}
		if c.target != "" {
			args = append(args, "--target", c.target)
		}
		args = append(args, backendArgs(c)...)
		start := time.Now()
		code, out, errOut := runStrata(func(string) string { return "" }, append(args, dir)...)
		name := c.context + "/" + c.file
		if code != 0 {
			fmt.Fprintf(&table, "%-40s %-10s %s\n", name, "no build", lastLine(errOut))
			continue
		}
		var r buildReport
		if err := json.Unmarshal([]byte(out), &r); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		a := r.Attribution
		wasted += float64(a.WastedBytes)
		attributed += float64(a.AttributedBytes)
		ruled += float64(a.RuleBytes)
		if a.Build != nil {
			buildSecs += a.Build.BuildSeconds
			totalSecs += a.Build.TotalSeconds
		}
		fmt.Fprintf(&table, "%-40s %-10s %12d %12d %12d %8.2f %8.2f\n", name, "built", a.WastedBytes, a.AttributedBytes, a.RuleBytes,
			a.Build.BuildSeconds, time.Since(start).Seconds())
		for i, sv := range a.Savings {
			if i == 4 {
				break
			}
			fmt.Fprintf(&table, "    %s\n", sv.Message)
		}
		for _, l := range r.Layers {
			if !l.Base && l.Instruction == nil {
				t.Errorf("%s: layer %d has no instruction", name, l.Layer)
			}
		}
	}
	t.Logf("%s\n%s", backend, table.String())
	if wasted > 0 {
		t.Logf("%s: wasted bytes tied to a line: %.1f %%, to a lint rule: %.1f %% (%.0f bytes wasted in all)",
			backend, 100*attributed/wasted, 100*ruled/wasted, wasted)
		if attributed/wasted < 0.95 {
			t.Errorf("%s: only %.1f %% of wasted bytes tied to a line, want at least 95 %%", backend, 100*attributed/wasted)
		}
	}
	t.Logf("%s: build %.1f s, total %.1f s: strata's own %.1f s", backend, buildSecs, totalSecs, totalSecs-buildSecs)
}

// layoutImage reads the only image of an OCI layout, or the one named by
// DIR:REF.
func layoutImage(t *testing.T, spec string) v1.Image {
	t.Helper()
	dir, ref := spec, ""
	if i := strings.Index(spec, ":"); i > 0 {
		dir, ref = spec[:i], spec[i+1:]
	}
	idx, err := layout.ImageIndexFromPath(dir)
	if err != nil {
		t.Fatal(err)
	}
	m, err := idx.IndexManifest()
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range m.Manifests {
		if ref == "" || d.Annotations[testimage.RefNameAnnotation] == ref {
			img, err := idx.Image(d.Digest)
			if err != nil {
				t.Fatal(err)
			}
			return img
		}
	}
	t.Fatalf("no image %q in %s", ref, dir)
	return nil
}

// dockerRef gives a FROM name the tag docker load needs.
func dockerRef(from string) string {
	if strings.Contains(from[strings.LastIndex(from, "/")+1:], ":") {
		return from
	}
	return from + ":latest"
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	l := lines[len(lines)-1]
	if len(l) > 160 {
		l = l[:160] + "…"
	}
	return l
}

// buildLocalBase builds a stand-in base image on the local Debian image
// into an OCI layout of its own and returns the layout's directory.
func buildLocalBase(t *testing.T, addr string, lent testenv.BuildKitBaseImages, name, dockerfile string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Minute)
	defer cancel()
	c, err := client.New(ctx, addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "Dockerfile"), []byte(dockerfile), 0o644); err != nil {
		t.Fatal(err)
	}
	dfFS, err := fsutil.NewFS(dir)
	if err != nil {
		t.Fatal(err)
	}
	gorootDir, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		t.Fatalf("go env GOROOT: %v", err)
	}
	goroot, err := fsutil.NewFS(strings.TrimSpace(string(gorootDir)))
	if err != nil {
		t.Fatal(err)
	}
	certs, err := fsutil.NewFS("/etc/ssl/certs")
	if err != nil {
		t.Fatal(err)
	}
	opt := client.SolveOpt{Frontend: "dockerfile.v0",
		FrontendAttrs: map[string]string{"context:goroot": "local:goroot", "context:hostcerts": "local:hostcerts"},
		OCIStores:     lent.OCIStores,
		LocalMounts:   map[string]fsutil.FS{"context": dfFS, "dockerfile": dfFS, "goroot": goroot, "hostcerts": certs}}
	for k, v := range lent.FrontendAttrs {
		opt.FrontendAttrs[k] = v
	}
	out := t.TempDir()
	opt.Exports = []client.ExportEntry{{Type: client.ExporterOCI, OutputDir: out,
		Attrs: map[string]string{"name": "strata-local/" + name + ":latest", "tar": "false"}}}
	if _, err := c.Solve(ctx, nil, opt, nil); err != nil {
		t.Fatalf("building the local %s image: %v", name, err)
	}
	return out
}
