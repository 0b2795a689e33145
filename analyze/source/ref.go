package source

import (
	"fmt"
	"os"
	"strings"
)

// Transports, spelled as skopeo spells them.
const (
	DockerDaemon  = "docker-daemon"
	DockerArchive = "docker-archive"
	OCI           = "oci"
	OCIArchive    = "oci-archive"
	Registry      = "docker"
	auto          = "auto" // a bare name: the daemon, then a registry
)

// Ref is a parsed image reference.
type Ref struct {
	Transport string
	// Path is the file or directory for archive and layout transports.
	Path string
	// Name is the image name (daemon, registry), or the tag or "@N" index
	// selecting one image inside an archive or layout.
	Name string
}

func (r Ref) String() string {
	switch r.Transport {
	case Registry:
		return "docker://" + r.Name
	case auto:
		return r.Name
	case DockerDaemon:
		return DockerDaemon + ":" + r.Name
	}
	if r.Name != "" {
		return r.Transport + ":" + r.Path + ":" + r.Name
	}
	return r.Transport + ":" + r.Path
}

// ParseRef parses SOURCE as the analyze command takes it.
func ParseRef(s string) (Ref, error) {
	return parseRef(s, func(p string) bool { _, err := os.Stat(p); return err == nil })
}

func parseRef(s string, exists func(string) bool) (Ref, error) {
	if s == "" {
		return Ref{}, fmt.Errorf("empty image reference")
	}
	if rest, ok := strings.CutPrefix(s, "docker://"); ok {
		if rest == "" {
			return Ref{}, fmt.Errorf("docker:// needs an image name")
		}
		return Ref{Transport: Registry, Name: rest}, nil
	}
	for _, t := range []string{DockerDaemon, DockerArchive, OCIArchive, OCI} {
		rest, ok := strings.CutPrefix(s, t+":")
		if !ok {
			continue
		}
		if rest == "" {
			return Ref{}, fmt.Errorf("%s: needs a %s", t, map[bool]string{true: "name", false: "path"}[t == DockerDaemon])
		}
		if t == DockerDaemon {
			return Ref{Transport: t, Name: rest}, nil
		}
		if t == DockerArchive && (rest == "-" || strings.HasPrefix(rest, "-:")) {
			return Ref{Transport: t, Path: "-", Name: strings.TrimPrefix(strings.TrimPrefix(rest, "-"), ":")}, nil
		}
		p, name := splitPathRef(rest, exists)
		return Ref{Transport: t, Path: p, Name: name}, nil
	}
	if exists(s) {
		return Ref{Transport: detectPath(s), Path: s}, nil
	}
	if p, name := splitPathRef(s, exists); name != "" && exists(p) {
		return Ref{Transport: detectPath(p), Path: p, Name: name}, nil
	}
	if strings.ContainsAny(s, "/.") && (strings.HasPrefix(s, ".") || strings.HasPrefix(s, "/")) {
		return Ref{}, fmt.Errorf("%s: no such file or directory", s)
	}
	return Ref{Transport: auto, Name: s}, nil
}

// splitPathRef splits "PATH[:REF]" at the first colon whose left side
// exists, so that paths may contain colons when they exist as a whole.
func splitPathRef(s string, exists func(string) bool) (string, string) {
	if exists(s) {
		return s, ""
	}
	for i := 0; i < len(s); i++ {
		if s[i] == ':' && exists(s[:i]) {
			return s[:i], s[i+1:]
		}
	}
	return s, ""
}

// detectPath tells a layout directory from an archive file.
func detectPath(p string) string {
	if fi, err := os.Stat(p); err == nil && fi.IsDir() {
		return OCI
	}
	return DockerArchive // reads OCI archives too
}
