package source

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"

	v1 "github.com/google/go-containerregistry/pkg/v1"
)

func jsonUnmarshal(b []byte, v any) error { return json.Unmarshal(b, v) }

// dockerManifest is one image of a `docker save` manifest.json.
type dockerManifest struct {
	Config   string
	RepoTags []string
	Layers   []string
}

// openArchiveFile opens a Docker or OCI archive from a file. A file that
// is not a regular file (a FIFO, as from process substitution <(...), a
// character device) has no size and cannot seek: it is read in one pass,
// as standard input is.
func openArchiveFile(path, ref string, preferOCI bool, platform *v1.Platform, o *Options, img *Image) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	img.closers = append(img.closers, f)
	fi, err := f.Stat()
	if err != nil {
		return err
	}
	if fi.IsDir() {
		return fmt.Errorf("%s is a directory: use oci:%s", path, path)
	}
	if !fi.Mode().IsRegular() {
		return readStream(f, ref, preferOCI, platform, o, img)
	}
	idx, warnings, err := indexTar(f, fi.Size())
	img.Warnings = append(img.Warnings, warnings...)
	if err != nil {
		return err
	}
	return openArchive(idx, ref, preferOCI, platform, img)
}

// openArchive reads an image from an indexed archive: manifest.json (both
// the legacy format and Docker 25's OCI-in-tar carry one) or index.json.
func openArchive(s store, ref string, preferOCI bool, platform *v1.Platform, img *Image) error {
	hasDocker, hasOCI := s.has("manifest.json"), s.has("index.json")
	switch {
	case hasOCI && (preferOCI || !hasDocker):
		img.ResolveBase = layoutBaseResolver(s, platform)
		return openLayout(s, ref, platform, img)
	case hasDocker:
		if hasOCI {
			img.ResolveBase = layoutBaseResolver(s, platform)
		}
		return openDockerArchive(s, ref, img)
	}
	return fmt.Errorf("not an image archive: no manifest.json or index.json")
}

func parseDockerManifests(raw []byte) ([]dockerManifest, error) {
	var ms []dockerManifest
	if err := json.Unmarshal(raw, &ms); err != nil {
		return nil, fmt.Errorf("manifest.json: %w", err)
	}
	if len(ms) == 0 {
		return nil, fmt.Errorf("manifest.json lists no image")
	}
	return ms, nil
}

// selectDocker picks an image of a docker save archive by tag or @N.
func selectDocker(ms []dockerManifest, ref string) (dockerManifest, string, error) {
	if strings.HasPrefix(ref, "@") {
		n, err := strconv.Atoi(ref[1:])
		if err != nil || n < 0 || n >= len(ms) {
			return dockerManifest{}, "", fmt.Errorf("no image %s: the archive has %d", ref, len(ms))
		}
		return ms[n], firstTag(ms[n]), nil
	}
	if ref == "" {
		if len(ms) == 1 {
			return ms[0], firstTag(ms[0]), nil
		}
		return dockerManifest{}, "", fmt.Errorf("the archive holds %d images (%s): choose one with :TAG or @N", len(ms), listTags(ms))
	}
	for _, m := range ms {
		for _, t := range m.RepoTags {
			if sameName(t, ref) {
				return m, t, nil
			}
		}
	}
	return dockerManifest{}, "", fmt.Errorf("no image %q in the archive (it has %s)", ref, listTags(ms))
}

func firstTag(m dockerManifest) string {
	if len(m.RepoTags) > 0 {
		return m.RepoTags[0]
	}
	return ""
}

func listTags(ms []dockerManifest) string {
	var out []string
	for i, m := range ms {
		if len(m.RepoTags) == 0 {
			out = append(out, "@"+strconv.Itoa(i))
		}
		out = append(out, m.RepoTags...)
	}
	sort.Strings(out)
	return strings.Join(out, ", ")
}

func openDockerArchive(s store, ref string, img *Image) error {
	raw, err := readJSON(s, "manifest.json")
	if err != nil {
		return err
	}
	ms, err := parseDockerManifests(raw)
	if err != nil {
		return err
	}
	m, tag, err := selectDocker(ms, ref)
	if err != nil {
		return err
	}
	img.Name = tag
	craw, err := readJSON(s, m.Config)
	if err != nil {
		return fmt.Errorf("config: %w", err)
	}
	cfg, err := v1.ParseConfigFile(bytes.NewReader(craw))
	if err != nil {
		return fmt.Errorf("config %s: %w", m.Config, err)
	}
	img.Config = cfg
	img.Platform = configPlatform(cfg)
	img.MediaType = "application/vnd.docker.distribution.manifest.v2+json"
	if len(cfg.RootFS.DiffIDs) != len(m.Layers) {
		img.Warnings = append(img.Warnings, fmt.Sprintf("the config lists %d diff IDs for %d layers", len(cfg.RootFS.DiffIDs), len(m.Layers)))
	}
	for i, lp := range m.Layers {
		l := Layer{Digest: digestFromPath(lp), Size: -1}
		if i < len(cfg.RootFS.DiffIDs) {
			l.DiffID = cfg.RootFS.DiffIDs[i].String()
		}
		if err := attachBlob(s, lp, &l); err != nil {
			return fmt.Errorf("layer %d: %w", i+1, err)
		}
		img.Layers = append(img.Layers, l)
	}
	return nil
}

// digestFromPath recovers the digest of OCI-in-tar blob paths
// ("blobs/sha256/HEX"); legacy "ID/layer.tar" paths have none.
func digestFromPath(p string) string {
	p = archiveName(p)
	rest, ok := strings.CutPrefix(p, "blobs/")
	if !ok {
		return ""
	}
	alg, hex, ok := strings.Cut(rest, "/")
	if !ok || strings.Contains(hex, "/") {
		return ""
	}
	return alg + ":" + hex
}
