// Package testimage makes the small base images that strata's tests and CI
// load into real daemons, in memory with go-containerregistry, so that no
// registry is needed: a static busybox image and a Debian root file system
// image, plus the conversions to an OCI layout and a `docker load` archive.
//
// Everything here is deterministic: the same inputs give the same digests,
// which lets tests and scripts compare images made in different places.
package testimage

import (
	"archive/tar"
	"bytes"
	"debug/elf"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path"
	"runtime"
	"slices"
	"strings"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

// DebianBusyboxPath is where Debian's busybox-static package installs the
// binary.
const DebianBusyboxPath = "/bin/busybox"

// BusyboxRef is the name the test images are loaded under in every daemon.
const BusyboxRef = "strata-test/busybox:latest"

// epoch is the modification and creation time of everything we make, so
// that digests do not depend on when an image was made.
var epoch = time.Unix(0, 0).UTC()

// Busybox returns a one-layer image holding the static busybox binary at
// busyboxPath as /bin/busybox, a symbolic link for each of its applets at
// the place busybox itself lists (`busybox --list-full`), and a minimal
// /etc, so that `RUN` instructions work with /bin/sh.
func Busybox(busyboxPath string) (v1.Image, error) {
	binary, err := os.ReadFile(busyboxPath)
	if err != nil {
		return nil, fmt.Errorf("reading busybox: %w", err)
	}
	if err := checkStatic(busyboxPath); err != nil {
		return nil, err
	}
	applets, err := listApplets(busyboxPath)
	if err != nil {
		return nil, err
	}
	layerTar, err := busyboxTar(binary, applets)
	if err != nil {
		return nil, err
	}
	layer, err := tarball.LayerFromOpener(func() (io.ReadCloser, error) {
		return io.NopCloser(bytes.NewReader(layerTar)), nil
	}, tarball.WithMediaType(types.OCILayer))
	if err != nil {
		return nil, fmt.Errorf("making busybox layer: %w", err)
	}
	return newImage(layer, "static busybox from "+busyboxPath, []string{"sh"})
}

// checkStatic refuses a dynamically linked busybox (Debian's plain "busybox"
// package): it would not run in a FROM scratch image.
func checkStatic(binaryPath string) error {
	f, err := elf.Open(binaryPath)
	if err != nil {
		return fmt.Errorf("reading busybox %s: %w", binaryPath, err)
	}
	defer f.Close()
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP {
			return fmt.Errorf("busybox %s is dynamically linked: install Debian's busybox-static", binaryPath)
		}
	}
	return nil
}

func listApplets(busyboxPath string) ([]string, error) {
	out, err := exec.Command(busyboxPath, "--list-full").Output()
	if err != nil {
		return nil, fmt.Errorf("listing busybox applets: %w", err)
	}
	var applets []string
	for line := range strings.Lines(string(out)) {
		if p := path.Clean("/" + strings.TrimSpace(line)); p != "/" && p != "/bin/busybox" {
			applets = append(applets, p)
		}
	}
	slices.Sort(applets)
	return slices.Compact(applets), nil
}

func busyboxTar(binary []byte, applets []string) ([]byte, error) {
	dirs := map[string]int64{
		"bin": 0o755, "sbin": 0o755, "usr": 0o755, "usr/bin": 0o755, "usr/sbin": 0o755,
		"etc": 0o755, "root": 0o700, "tmp": 0o1777, "var": 0o755, "var/tmp": 0o1777,
	}
	for _, a := range applets {
		dirs[strings.TrimPrefix(path.Dir(a), "/")] = 0o755
	}
	files := map[string]string{
		"etc/passwd":   "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n",
		"etc/group":    "root:x:0:\nnogroup:x:65534:\n",
		"etc/hostname": "strata-test\n",
	}

	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, d := range sortedKeys(dirs) {
		if err := tw.WriteHeader(&tar.Header{Typeflag: tar.TypeDir, Name: d + "/", Mode: dirs[d], ModTime: epoch}); err != nil {
			return nil, err
		}
	}
	if err := writeFile(tw, "bin/busybox", 0o755, binary); err != nil {
		return nil, err
	}
	for _, name := range sortedKeys(files) {
		if err := writeFile(tw, name, 0o644, []byte(files[name])); err != nil {
			return nil, err
		}
	}
	for _, a := range applets {
		hdr := &tar.Header{Typeflag: tar.TypeSymlink, Name: strings.TrimPrefix(a, "/"), Linkname: "/bin/busybox", Mode: 0o777, ModTime: epoch}
		if err := tw.WriteHeader(hdr); err != nil {
			return nil, err
		}
	}
	if err := tw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func writeFile(tw *tar.Writer, name string, mode int64, data []byte) error {
	hdr := &tar.Header{Typeflag: tar.TypeReg, Name: name, Mode: mode, Size: int64(len(data)), ModTime: epoch}
	if err := tw.WriteHeader(hdr); err != nil {
		return err
	}
	_, err := tw.Write(data)
	return err
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// newImage makes a one-layer OCI image for this machine's platform.
func newImage(layer v1.Layer, createdBy string, cmd []string) (v1.Image, error) {
	img := mutate.MediaType(empty.Image, types.OCIManifestSchema1)
	img = mutate.ConfigMediaType(img, types.OCIConfigJSON)
	img, err := mutate.Append(img, mutate.Addendum{
		Layer:   layer,
		History: v1.History{Created: v1.Time{Time: epoch}, CreatedBy: createdBy, Comment: "made by strata's testimage"},
	})
	if err != nil {
		return nil, fmt.Errorf("appending layer: %w", err)
	}
	cfg, err := img.ConfigFile()
	if err != nil {
		return nil, fmt.Errorf("reading config: %w", err)
	}
	cfg = cfg.DeepCopy()
	cfg.Created = v1.Time{Time: epoch}
	cfg.OS = "linux"
	cfg.Architecture = runtime.GOARCH
	cfg.Config.Env = []string{"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"}
	cfg.Config.Cmd = cmd
	return mutate.ConfigFile(img, cfg)
}
