package build

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/containerd/containerd/v2/core/content"
	"github.com/containerd/containerd/v2/plugins/content/local"
	"github.com/moby/buildkit/client"
	_ "github.com/moby/buildkit/client/connhelper/dockercontainer" // docker-container:// addresses
	"github.com/moby/buildkit/session"
	"github.com/moby/buildkit/session/secrets/secretsprovider"
	"github.com/moby/buildkit/solver/errdefs"
	"github.com/moby/buildkit/util/progress/progressui"
	"github.com/tonistiigi/fsutil"

	"github.com/strata-dev/strata/analyze/source"
)

// runBuildKit solves the Dockerfile with BuildKit's dockerfile frontend
// and reads the OCI tarball the exporter streams through the session.
func runBuildKit(ctx context.Context, addr string, o Options) (*Result, error) {
	c, err := client.New(ctx, addr)
	if err != nil {
		return nil, fmt.Errorf("buildkit %s: %w", addr, err)
	}
	defer c.Close()

	opt, err := solveOpt(o)
	if err != nil {
		return nil, err
	}

	pr, pw := io.Pipe()
	type opened struct {
		img *source.Image
		err error
	}
	read := make(chan opened, 1)
	go func() {
		img, err := source.OpenStream(pr, "buildkit:"+o.Dockerfile, o.Source)
		// Unblock the exporter if the reader stopped early; drain the rest
		// (padding after the archive's end) otherwise.
		if err != nil {
			pr.CloseWithError(err)
		} else {
			_, _ = io.Copy(io.Discard, pr)
		}
		read <- opened{img, err}
	}()
	opt.Exports = []client.ExportEntry{{
		Type:   client.ExporterOCI,
		Attrs:  map[string]string{"name": "strata-build"},
		Output: func(map[string]string) (io.WriteCloser, error) { return pw, nil },
	}}

	mode := progressui.DisplayMode(o.ProgressMode)
	if mode == "" {
		mode = progressui.AutoMode
	}
	display, err := progressui.NewDisplay(o.Progress, mode)
	if err != nil {
		display, _ = progressui.NewDisplay(o.Progress, progressui.PlainMode)
	}
	status := make(chan *client.SolveStatus)
	shown := make(chan struct{})
	go func() {
		defer close(shown)
		_, _ = display.UpdateFrom(context.WithoutCancel(ctx), status)
	}()

	start := time.Now()
	resp, err := c.Solve(ctx, nil, opt, status)
	<-shown
	if err != nil {
		pw.CloseWithError(err)
		if r := <-read; r.img != nil {
			r.img.Close()
		}
		return nil, buildKitError(err, o.Dockerfile)
	}
	pw.Close()
	r := <-read
	if r.err != nil {
		return nil, fmt.Errorf("reading the image BuildKit exported: %w", r.err)
	}
	res := &Result{Image: r.img, Address: addr, Duration: time.Since(start)}
	if resp != nil {
		res.Ref = resp.ExporterResponse["containerimage.digest"]
	}
	return res, nil
}

// solveOpt translates the options into the dockerfile frontend's
// attributes and the session's local directories, stores and secrets.
func solveOpt(o Options) (client.SolveOpt, error) {
	opt := client.SolveOpt{
		Frontend:      "dockerfile.v0",
		FrontendAttrs: map[string]string{"filename": filepath.Base(o.Dockerfile)},
		LocalMounts:   map[string]fsutil.FS{},
		OCIStores:     map[string]content.Store{},
	}
	ctxFS, err := fsutil.NewFS(o.Context)
	if err != nil {
		return opt, fmt.Errorf("build context: %w", err)
	}
	dfFS, err := fsutil.NewFS(filepath.Dir(o.Dockerfile))
	if err != nil {
		return opt, fmt.Errorf("dockerfile: %w", err)
	}
	opt.LocalMounts["context"], opt.LocalMounts["dockerfile"] = ctxFS, dfFS
	if o.Target != "" {
		opt.FrontendAttrs["target"] = o.Target
	}
	if o.BuiltinFrontend {
		// The dockerfile frontend forwards to the # syntax= image unless
		// "cmdline" is set, which is how a forwarded frontend is called.
		opt.FrontendAttrs["cmdline"] = "strata"
	}
	if o.Platform != "" {
		opt.FrontendAttrs["platform"] = o.Platform
	}
	args, err := buildArgs(o.BuildArgs, o.Getenv)
	if err != nil {
		return opt, err
	}
	for k, v := range args {
		opt.FrontendAttrs["build-arg:"+k] = v
	}
	for i, bc := range o.BuildContexts {
		if err := namedContext(&opt, i, bc); err != nil {
			return opt, err
		}
	}
	if len(o.Secrets) > 0 {
		att, err := secretsAttachable(o.Secrets)
		if err != nil {
			return opt, err
		}
		opt.Session = append(opt.Session, att)
	}
	return opt, nil
}

// namedContext adds one --build-context NAME=VALUE.
func namedContext(opt *client.SolveOpt, i int, spec string) error {
	name, value, ok := strings.Cut(spec, "=")
	if !ok || name == "" || value == "" {
		return fmt.Errorf("invalid --build-context %q: want NAME=VALUE", spec)
	}
	key := "context:" + strings.TrimSuffix(name, ":latest")
	switch {
	case strings.HasPrefix(value, "docker-image://"), strings.HasPrefix(value, "https://"), strings.HasPrefix(value, "git@"), strings.HasPrefix(value, "target:"):
		opt.FrontendAttrs[key] = value
	case strings.HasPrefix(value, "oci-layout://"):
		dir, ref := splitLayoutRef(strings.TrimPrefix(value, "oci-layout://"))
		digest, err := layoutDigest(dir, ref)
		if err != nil {
			return fmt.Errorf("--build-context %s: %w", name, err)
		}
		store, err := local.NewStore(dir)
		if err != nil {
			return fmt.Errorf("--build-context %s: %w", name, err)
		}
		id := fmt.Sprintf("strata-ctx-%d", i)
		opt.OCIStores[id] = store
		opt.FrontendAttrs[key] = "oci-layout://" + id + "@" + digest
	default:
		fs, err := fsutil.NewFS(value)
		if err != nil {
			return fmt.Errorf("--build-context %s: %w", name, err)
		}
		id := fmt.Sprintf("strata-ctx-%d", i)
		opt.LocalMounts[id] = fs
		opt.FrontendAttrs[key] = "local:" + id
	}
	return nil
}

// splitLayoutRef splits DIR[:TAG|@DIGEST]; the tag may itself hold colons
// (a full reference as the ref.name annotation), so DIR is the shortest
// prefix that is an OCI layout.
func splitLayoutRef(s string) (dir, ref string) {
	if i := strings.LastIndex(s, "@"); i > 0 {
		return s[:i], s[i:]
	}
	for i := 0; i < len(s); i++ {
		if s[i] != ':' {
			continue
		}
		if _, err := os.Stat(filepath.Join(s[:i], "index.json")); err == nil {
			return s[:i], s[i+1:]
		}
	}
	return s, ""
}

// layoutDigest finds the manifest digest of ref in the layout's index:
// "@sha256:..." as is, a tag by its ref.name annotation, or the only image.
func layoutDigest(dir, ref string) (string, error) {
	if strings.HasPrefix(ref, "@") {
		return ref[1:], nil
	}
	raw, err := os.ReadFile(filepath.Join(dir, "index.json"))
	if err != nil {
		return "", err
	}
	var idx struct {
		Manifests []struct {
			Digest      string            `json:"digest"`
			Annotations map[string]string `json:"annotations"`
		} `json:"manifests"`
	}
	if err := json.Unmarshal(raw, &idx); err != nil {
		return "", fmt.Errorf("%s/index.json: %w", dir, err)
	}
	var names []string
	for _, m := range idx.Manifests {
		n := m.Annotations["org.opencontainers.image.ref.name"]
		if ref == "" && len(idx.Manifests) == 1 || ref != "" && (n == ref || strings.HasSuffix(n, ":"+ref)) {
			return m.Digest, nil
		}
		names = append(names, n)
	}
	return "", fmt.Errorf("no image %q in the layout %s (it has %s)", ref, dir, strings.Join(names, ", "))
}

// secretsAttachable reads id=ID[,src=PATH|,env=VAR][,type=file|env].
func secretsAttachable(specs []string) (session.Attachable, error) {
	var srcs []secretsprovider.Source
	for _, spec := range specs {
		var s secretsprovider.Source
		typ := ""
		for _, field := range strings.Split(spec, ",") {
			k, v, _ := strings.Cut(strings.TrimSpace(field), "=")
			switch strings.ToLower(k) {
			case "id":
				s.ID = v
			case "src", "source":
				s.FilePath = v
			case "env":
				s.Env = v
			case "type":
				typ = v
			default:
				return nil, fmt.Errorf("invalid --secret %q: unknown key %q (want id, src, env, type)", spec, k)
			}
		}
		if s.ID == "" {
			return nil, fmt.Errorf("invalid --secret %q: id is required", spec)
		}
		if s.FilePath == "" && s.Env == "" {
			if typ == "env" {
				s.Env = s.ID
			} else {
				s.Env = s.ID // buildx reads the variable, then a file, named by the ID
				if _, err := os.Stat(s.ID); err == nil {
					s.Env, s.FilePath = "", s.ID
				}
			}
		}
		srcs = append(srcs, s)
	}
	store, err := secretsprovider.NewStore(srcs)
	if err != nil {
		return nil, fmt.Errorf("--secret: %w", err)
	}
	return secretsprovider.NewSecretProvider(store), nil
}

// buildKitError keeps BuildKit's message and adds the failing instruction
// from the error's source map.
func buildKitError(err error, dockerfile string) error {
	be := &Error{Err: errors.New(cleanGRPC(err))}
	for _, src := range errdefs.Sources(err) {
		if src.Info == nil || len(src.Ranges) == 0 {
			continue
		}
		be.File = src.Info.Filename
		if be.File == "" || be.File == filepath.Base(dockerfile) || be.File == "Dockerfile" {
			be.File = dockerfile
		}
		be.Line = int(src.Ranges[0].Start.Line)
		var snip bytes.Buffer
		if src.Print(&snip) == nil {
			be.Snippet = snip.String()
		}
		lines := strings.Split(string(src.Info.Data), "\n")
		if be.Line >= 1 && be.Line <= len(lines) {
			be.Text = strings.TrimSpace(lines[be.Line-1])
		}
		break
	}
	return be
}

// cleanGRPC drops the gRPC status prefix from BuildKit's errors.
func cleanGRPC(err error) string {
	msg := err.Error()
	for _, p := range []string{"rpc error: code = Unknown desc = ", "rpc error: code = Canceled desc = "} {
		msg = strings.ReplaceAll(msg, p, "")
	}
	return msg
}
