package build

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/containerd/platforms"
	"github.com/moby/moby/client"
	ocispec "github.com/opencontainers/image-spec/specs-go/v1"

	"github.com/strata-dev/strata/analyze/source"
	"github.com/strata-dev/strata/internal/dockerhost"
)

// runDocker builds with the Docker Engine's builder (POST /build, the
// classic builder: it needs no session and works with every Engine), then
// streams the image back with docker save through the archive reader.
func runDocker(ctx context.Context, host string, o Options) (*Result, error) {
	if len(o.Secrets) > 0 {
		return nil, errors.New("--secret needs the BuildKit back end (set BUILDKIT_HOST or --builder buildkit://ADDR)")
	}
	if len(o.BuildContexts) > 0 {
		return nil, errors.New("--build-context needs the BuildKit back end (set BUILDKIT_HOST or --builder buildkit://ADDR)")
	}
	if host == "" {
		h, err := dockerhost.Resolve(o.Getenv)
		if err != nil {
			return nil, err
		}
		host = h
	}
	var opts []client.Opt // the client negotiates the API version (Debian's dockerd 20.10 speaks 1.41)
	if host != "" {
		opts = append(opts, client.WithHost(host))
	}
	c, err := client.New(opts...)
	if err != nil {
		return nil, fmt.Errorf("docker client: %w", err)
	}
	defer c.Close()

	args, err := buildArgs(o.BuildArgs, o.Getenv)
	if err != nil {
		return nil, err
	}
	bo := client.ImageBuildOptions{Remove: true, ForceRemove: true, Target: o.Target, BuildArgs: map[string]*string{}}
	for k, v := range args {
		bo.BuildArgs[k] = &v
	}
	if o.Platform != "" {
		p, err := platforms.Parse(o.Platform)
		if err != nil {
			return nil, fmt.Errorf("--platform: %w", err)
		}
		bo.Platforms = []ocispec.Platform{p}
	}
	tarball, dockerfileName, err := contextTar(o.Context, o.Dockerfile)
	if err != nil {
		return nil, err
	}
	defer tarball.Close()
	bo.Dockerfile = dockerfileName

	start := time.Now()
	resp, err := c.ImageBuild(ctx, tarball, bo)
	if err != nil {
		return nil, &Error{Err: fmt.Errorf("docker build: %w", err)}
	}
	progress := o.Progress
	if o.ProgressMode == "quiet" {
		progress = io.Discard // the step log still names a failing step in the error
	}
	id, err := followBuild(resp.Body, progress, o.Dockerfile)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	built := time.Since(start)

	so := o.Source
	so.Getenv = func(k string) string {
		if k == "DOCKER_HOST" && host != "" {
			return host
		}
		return o.Getenv(k)
	}
	so.Docker = c
	// The image was built for one platform; asking docker save for it
	// needs API 1.48, which Debian's dockerd 20.10 does not speak.
	so.Platform = ""
	img, err := source.Open(ctx, source.Ref{Transport: source.DockerDaemon, Name: id}, so)
	if err != nil {
		return nil, fmt.Errorf("reading the built image %s: %w", id, err)
	}
	return &Result{Image: img, Address: host, Ref: id, Duration: built}, nil
}

// buildMessage is one line of the JSON stream POST /build answers with.
type buildMessage struct {
	Stream      string `json:"stream"`
	Error       string `json:"error"`
	ErrorDetail struct {
		Message string `json:"message"`
	} `json:"errorDetail"`
	Aux json.RawMessage `json:"aux"`
}

var stepLine = regexp.MustCompile(`^Step (\d+)/\d+ : (.*)$`)

// followBuild copies the build's output to progress and returns the image
// ID; a failure names the step that was running.
func followBuild(r io.Reader, progress io.Writer, dockerfile string) (string, error) {
	dec := json.NewDecoder(r)
	var id, step, stepText string
	var tail strings.Builder
	for {
		var m buildMessage
		if err := dec.Decode(&m); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			return "", &Error{Err: fmt.Errorf("reading the build's output: %w", err)}
		}
		if m.Stream != "" {
			fmt.Fprint(progress, m.Stream)
			for _, line := range strings.Split(m.Stream, "\n") {
				if sm := stepLine.FindStringSubmatch(strings.TrimSpace(line)); sm != nil {
					step, stepText = sm[1], sm[2]
					tail.Reset()
				} else if line != "" {
					tail.WriteString(line + "\n")
				}
			}
		}
		if len(m.Aux) > 0 {
			var aux struct{ ID string }
			if json.Unmarshal(m.Aux, &aux) == nil && aux.ID != "" {
				id = aux.ID
			}
		}
		if m.Error != "" {
			be := &Error{Err: errors.New(m.Error), Text: stepText}
			if n, err := strconv.Atoi(step); err == nil {
				be.File, be.Line = dockerfile, stepLineNumber(dockerfile, n, stepText)
			}
			return "", be
		}
	}
	if id == "" {
		return "", &Error{Err: errors.New("the Docker Engine reported no image ID")}
	}
	return id, nil
}

// stepLineNumber finds the line of the classic builder's step n (counted
// over every instruction of the file, FROM included), checking it against
// the step's text; 0 when it cannot tell.
func stepLineNumber(dockerfile string, n int, text string) int {
	data, err := os.ReadFile(dockerfile)
	if err != nil {
		return 0
	}
	starts := instructionLines(data)
	if n >= 1 && n <= len(starts) {
		return starts[n-1]
	}
	kw, _, _ := strings.Cut(text, " ")
	for i, line := range strings.Split(string(data), "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), kw) && strings.Contains(line, strings.TrimSpace(strings.TrimPrefix(text, kw))) {
			return i + 1
		}
	}
	return 0
}

// instructionLines lists the first line of each instruction: lines that
// are neither comments, blank, nor continuations of the previous one.
func instructionLines(data []byte) []int {
	var out []int
	cont := false
	heredoc := ""
	for i, line := range strings.Split(string(data), "\n") {
		t := strings.TrimSpace(strings.TrimSuffix(line, "\r"))
		switch {
		case heredoc != "":
			if t == heredoc {
				heredoc = ""
			}
			continue
		case cont:
			cont = strings.HasSuffix(t, "\\")
			continue
		case t == "" || strings.HasPrefix(t, "#"):
			continue
		}
		out = append(out, i+1)
		cont = strings.HasSuffix(t, "\\")
		if j := strings.Index(t, "<<"); j >= 0 {
			word := strings.TrimLeft(t[j+2:], "-")
			word = strings.Trim(strings.Fields(word + " ")[0], `"'`)
			if word != "" {
				heredoc = word
			}
		}
	}
	return out
}

// contextTar streams the build context as a tar, leaving out what
// .dockerignore excludes, and returns the Dockerfile's name inside it (the
// Dockerfile is added under a private name when it lives outside).
func contextTar(dir, dockerfile string) (io.ReadCloser, string, error) {
	absDir, err := filepath.Abs(dir)
	if err != nil {
		return nil, "", err
	}
	absDF, err := filepath.Abs(dockerfile)
	if err != nil {
		return nil, "", err
	}
	excludes, err := readDockerignore(absDir, absDF)
	if err != nil {
		return nil, "", err
	}
	name, extra := "", ""
	if rel, err := filepath.Rel(absDir, absDF); err == nil && !strings.HasPrefix(rel, "..") {
		name = filepath.ToSlash(rel)
	} else {
		name, extra = ".strata-dockerfile", absDF
	}
	pr, pw := io.Pipe()
	go func() {
		pw.CloseWithError(writeContext(pw, absDir, name, extra, excludes))
	}()
	return pr, name, nil
}
