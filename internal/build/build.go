// Package build builds a Dockerfile with BuildKit or the Docker Engine and
// opens the result for the analyzer: BuildKit's OCI tarball is streamed
// straight into the archive reader (no image store, no copy on disk), and
// Docker's image is read back from the daemon.
//
// It prints nothing but the build's own progress, on the writer it is
// given, and never exits; the CLI (strata analyze --build, strata tui
// --build) calls Run.
package build

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/sirupsen/logrus"

	"github.com/strata-dev/strata/analyze/source"
)

// Options describe one build.
type Options struct {
	// Context is the build context directory ("." when empty).
	Context string
	// Dockerfile is the Dockerfile's path; empty means Context/Dockerfile.
	Dockerfile string
	Target     string
	// BuildArgs are KEY=VALUE pairs (a bare KEY takes the value from the
	// environment, as docker build does).
	BuildArgs []string
	// Platform is os/arch[/variant] to build for ("" for the builder's).
	Platform string
	// Secrets are BuildKit secrets, as docker buildx takes them:
	// id=ID[,src=PATH] or id=ID,env=VAR (BuildKit only).
	Secrets []string
	// BuildContexts are BuildKit named contexts NAME=VALUE, VALUE being
	// docker-image://REF, oci-layout://DIR[:TAG|@DIGEST] or a directory
	// (BuildKit only). They replace images named in FROM and COPY --from.
	BuildContexts []string
	// BuiltinFrontend makes BuildKit ignore a "# syntax=" line and build
	// with the daemon's own dockerfile frontend (offline builds: the
	// frontend image named by the line is not pulled).
	BuiltinFrontend bool
	// Builder picks the back end: "" (BuildKit when BUILDKIT_HOST is set,
	// else Docker), "docker", "docker:HOST", "buildkit://ADDR" (ADDR being
	// unix://, tcp:// or docker-container:// ...), or a BuildKit address.
	Builder string
	// Progress receives the build's progress; ProgressMode is auto, plain,
	// tty or quiet.
	Progress     io.Writer
	ProgressMode string
	// Getenv reads BUILDKIT_HOST, DOCKER_HOST, DOCKER_CONTEXT and
	// DOCKER_CONFIG; nil means the process environment.
	Getenv func(string) string
	// Source configures how the built image is read (layer options,
	// stream progress).
	Source source.Options
}

// Result is a built image, open for the analyzer.
type Result struct {
	// Image is the built image; the caller closes it.
	Image *source.Image
	// Builder is "buildkit" or "docker", Address the daemon's.
	Builder, Address string
	// Ref names the image: the Docker image ID, or BuildKit's manifest
	// digest.
	Ref string
	// Dockerfile is the Dockerfile's path as used.
	Dockerfile string
	// Duration is the build's wall time, up to the image being readable
	// (for BuildKit this includes streaming it through the reader).
	Duration time.Duration
}

// Error is a failed build: the builder's error and, when known, the
// instruction that failed.
type Error struct {
	Err error
	// File and Line locate the failing instruction (Line 0: unknown).
	File string
	Line int
	// Text is the failing instruction as the builder printed it.
	Text string
	// Snippet shows the Dockerfile lines around it, when the builder gave
	// them (BuildKit).
	Snippet string
}

func (e *Error) Error() string {
	msg := strings.TrimSpace(e.Err.Error())
	switch {
	case e.Line > 0 && e.Text != "":
		return fmt.Sprintf("build failed at %s:%d (%s): %s", e.File, e.Line, e.Text, msg)
	case e.Line > 0:
		return fmt.Sprintf("build failed at %s:%d: %s", e.File, e.Line, msg)
	}
	return "build failed: " + msg
}

func (e *Error) Unwrap() error { return e.Err }

// Backend names a chosen builder.
type Backend struct {
	Kind    string // "buildkit" or "docker"
	Address string // "" for Docker's default resolution
}

// ChooseBackend resolves Options.Builder and the environment.
func ChooseBackend(builder string, getenv func(string) string) (Backend, error) {
	b := strings.TrimSpace(builder)
	switch {
	case b == "" || b == "auto":
		if h := getenv("BUILDKIT_HOST"); h != "" {
			return Backend{Kind: "buildkit", Address: h}, nil
		}
		return Backend{Kind: "docker"}, nil
	case b == "docker":
		return Backend{Kind: "docker"}, nil
	case strings.HasPrefix(b, "docker:") && !strings.HasPrefix(b, "docker-"):
		return Backend{Kind: "docker", Address: strings.TrimPrefix(b, "docker:")}, nil
	case b == "buildkit":
		if h := getenv("BUILDKIT_HOST"); h != "" {
			return Backend{Kind: "buildkit", Address: h}, nil
		}
		return Backend{}, errors.New("--builder buildkit needs BUILDKIT_HOST, or give the address: buildkit://unix:///run/buildkit/buildkitd.sock")
	case strings.HasPrefix(b, "buildkit://"):
		addr := strings.TrimPrefix(b, "buildkit://")
		if strings.HasPrefix(addr, "/") {
			addr = "unix://" + addr
		}
		if !strings.Contains(addr, "://") {
			addr = "tcp://" + addr
		}
		return Backend{Kind: "buildkit", Address: addr}, nil
	}
	for _, scheme := range []string{"unix://", "tcp://", "docker-container://", "podman-container://", "nerdctl-container://", "kube-pod://", "ssh://"} {
		if strings.HasPrefix(b, scheme) {
			return Backend{Kind: "buildkit", Address: b}, nil
		}
	}
	return Backend{}, fmt.Errorf("unknown --builder %q: want docker, docker:HOST, buildkit://ADDR or a BuildKit address (unix://, tcp://, docker-container://NAME)", builder)
}

// Run builds and opens the image.
func Run(ctx context.Context, o Options) (*Result, error) {
	if o.Getenv == nil {
		o.Getenv = os.Getenv
	}
	if o.Progress == nil {
		o.Progress = io.Discard
	}
	if o.Context == "" {
		o.Context = "."
	}
	st, err := os.Stat(o.Context)
	if err != nil {
		return nil, fmt.Errorf("build context: %w", err)
	}
	if !st.IsDir() {
		return nil, fmt.Errorf("build context %s is not a directory", o.Context)
	}
	if o.Dockerfile == "" {
		o.Dockerfile = filepath.Join(o.Context, "Dockerfile")
	}
	if _, err := os.Stat(o.Dockerfile); err != nil {
		return nil, fmt.Errorf("dockerfile: %w", err)
	}
	be, err := ChooseBackend(o.Builder, o.Getenv)
	if err != nil {
		return nil, err
	}
	// containerd's content store (--build-context oci-layout://) logs
	// warnings such as "failed check for fsverity support" through
	// logrus; they would interleave with the build's progress.
	logrus.SetLevel(logrus.ErrorLevel)
	start := time.Now()
	var res *Result
	if be.Kind == "buildkit" {
		res, err = runBuildKit(ctx, be.Address, o)
	} else {
		res, err = runDocker(ctx, be.Address, o)
	}
	if err != nil {
		return nil, err
	}
	res.Builder, res.Dockerfile = be.Kind, o.Dockerfile
	if res.Address == "" {
		res.Address = be.Address
	}
	if res.Duration == 0 {
		res.Duration = time.Since(start)
	}
	return res, nil
}

// buildArgs resolves KEY=VALUE pairs; a bare KEY reads the environment
// and is dropped when unset, as docker build does.
func buildArgs(args []string, getenv func(string) string) (map[string]string, error) {
	out := map[string]string{}
	for _, a := range args {
		k, v, ok := strings.Cut(a, "=")
		if strings.TrimSpace(k) == "" {
			return nil, fmt.Errorf("invalid --build-arg %q: want KEY=VALUE", a)
		}
		if !ok {
			if v = getenv(k); v == "" {
				continue
			}
		}
		out[k] = v
	}
	return out, nil
}
