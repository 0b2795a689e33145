package testenv

import (
	"archive/tar"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
)

// DockerClient speaks just enough of the Docker Engine API for test setup:
// loading base images, building, inspecting and removing images. It talks
// plain HTTP over the daemon's socket so that tests need no Docker SDK.
type DockerClient struct {
	http *http.Client
}

// NewDockerClient returns a client for the daemon at host (unix:// or tcp://).
func NewDockerClient(host string) (*DockerClient, error) {
	network, address, err := SplitAddr(host)
	if err != nil {
		return nil, err
	}
	transport := &http.Transport{
		DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
			return (&net.Dialer{}).DialContext(ctx, network, address)
		},
	}
	return &DockerClient{http: &http.Client{Transport: transport}}, nil
}

// DockerWithBusybox returns a client for the test Docker Engine into which
// the in-memory busybox image (see Busybox) has been loaded as
// strata-test/busybox:latest. It skips like Docker.
func DockerWithBusybox(t testing.TB) *DockerClient {
	t.Helper()
	c, err := NewDockerClient(Docker(t))
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Load(t.Context(), Busybox(t), "strata-test/busybox:latest"); err != nil {
		t.Fatal(err)
	}
	return c
}

// Load loads img into the daemon tagged ref, as `docker load` does.
func (c *DockerClient) Load(ctx context.Context, img v1.Image, ref string) error {
	tag, err := name.NewTag(ref)
	if err != nil {
		return fmt.Errorf("parsing %q: %w", ref, err)
	}
	pr, pw := io.Pipe()
	go func() { pw.CloseWithError(tarball.Write(tag, img, pw)) }()
	defer pr.Close()
	_, err = c.stream(ctx, http.MethodPost, "/images/load?quiet=1", "application/x-tar", pr)
	if err != nil {
		return fmt.Errorf("loading %s: %w", ref, err)
	}
	return nil
}

// BuildResult is what a classic (non-BuildKit) Docker build reports.
type BuildResult struct {
	ImageID string // sha256:...
	Output  string // the build's step-by-step output
}

// Build builds the context directory contextDir, whose Dockerfile is at its
// root, with the daemon's classic builder, and tags the result tag.
func (c *DockerClient) Build(ctx context.Context, contextDir, tag string) (BuildResult, error) {
	var body bytes.Buffer
	tw := tar.NewWriter(&body)
	if err := tw.AddFS(os.DirFS(contextDir)); err != nil {
		return BuildResult{}, fmt.Errorf("archiving build context %s: %w", contextDir, err)
	}
	if err := tw.Close(); err != nil {
		return BuildResult{}, err
	}
	query := url.Values{"t": {tag}, "rm": {"1"}, "forcerm": {"1"}}
	messages, err := c.stream(ctx, http.MethodPost, "/build?"+query.Encode(), "application/x-tar", &body)
	var res BuildResult
	var out strings.Builder
	for _, m := range messages {
		out.WriteString(m.Stream)
		if m.Aux.ID != "" {
			res.ImageID = m.Aux.ID
		}
	}
	res.Output = out.String()
	if err != nil {
		return res, fmt.Errorf("building %s: %w\n%s", tag, err, res.Output)
	}
	return res, nil
}

// ImageInspect is the part of GET /images/{name}/json that tests look at.
type ImageInspect struct {
	ID     string `json:"Id"`
	Size   int64  `json:"Size"`
	RootFS struct {
		Layers []string `json:"Layers"`
	} `json:"RootFS"`
}

// Inspect returns the daemon's description of the image ref.
func (c *DockerClient) Inspect(ctx context.Context, ref string) (ImageInspect, error) {
	var info ImageInspect
	resp, err := c.do(ctx, http.MethodGet, "/images/"+ref+"/json", "", nil)
	if err != nil {
		return info, fmt.Errorf("inspecting %s: %w", ref, err)
	}
	defer resp.Body.Close()
	if err := json.NewDecoder(resp.Body).Decode(&info); err != nil {
		return info, fmt.Errorf("inspecting %s: %w", ref, err)
	}
	return info, nil
}

// Remove deletes the image ref and its untagged parents.
func (c *DockerClient) Remove(ctx context.Context, ref string) error {
	resp, err := c.do(ctx, http.MethodDelete, "/images/"+ref+"?force=1", "", nil)
	if err != nil {
		return fmt.Errorf("removing %s: %w", ref, err)
	}
	return resp.Body.Close()
}

// message is one line of the JSON stream that load and build answer with.
type message struct {
	Stream      string `json:"stream"`
	Error       string `json:"error"`
	ErrorDetail struct {
		Message string `json:"message"`
	} `json:"errorDetail"`
	Aux struct {
		ID string `json:"ID"`
	} `json:"aux"`
}

// stream sends a request whose answer is a JSON message stream and returns
// the messages; an error message in the stream is returned as an error.
func (c *DockerClient) stream(ctx context.Context, method, path, contentType string, body io.Reader) ([]message, error) {
	resp, err := c.do(ctx, method, path, contentType, body)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var messages []message
	dec := json.NewDecoder(resp.Body)
	for {
		var m message
		if err := dec.Decode(&m); errors.Is(err, io.EOF) {
			return messages, nil
		} else if err != nil {
			return messages, fmt.Errorf("reading answer: %w", err)
		}
		messages = append(messages, m)
		if m.Error != "" {
			return messages, errors.New(m.Error)
		}
	}
}

func (c *DockerClient) do(ctx context.Context, method, path, contentType string, body io.Reader) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, method, "http://docker"+path, body)
	if err != nil {
		return nil, err
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode >= 300 {
		defer resp.Body.Close()
		msg, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
		return nil, fmt.Errorf("%s %s: %s: %s", method, path, resp.Status, bytes.TrimSpace(msg))
	}
	return resp, nil
}
