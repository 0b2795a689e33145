package layer

import (
	"path"
	"strings"
)

const (
	whiteoutPrefix = ".wh."
	whiteoutMeta   = ".wh..wh."
	opaqueMarker   = ".wh..wh..opq"
)

// nameProblem explains why a tar name was rewritten or rejected.
type nameProblem int

const (
	nameOK nameProblem = iota
	nameAbsolute
	nameEscapes
)

// cleanName turns a tar entry name into a clean relative path. The root
// itself ("./", "/") gives "". Names that climb out of the root are
// rejected; absolute names are made relative, as container runtimes do.
func cleanName(name string) (string, nameProblem) {
	problem := nameOK
	if strings.HasPrefix(name, "/") {
		problem = nameAbsolute
		name = strings.TrimLeft(name, "/")
	}
	if name == "" {
		return "", problem
	}
	c := path.Clean(name)
	if c == "." {
		return "", problem
	}
	if c == ".." || strings.HasPrefix(c, "../") {
		return "", nameEscapes
	}
	return c, problem
}

// escapesRoot reports whether a relative symlink target, resolved from the
// directory holding the link, climbs above the root. Runtimes clamp such
// links at the root, but they are worth a warning.
func escapesRoot(linkPath, target string) bool {
	if target == "" || strings.HasPrefix(target, "/") {
		return false
	}
	depth := strings.Count(linkPath, "/") // directories above the link
	for _, part := range strings.Split(target, "/") {
		switch part {
		case "", ".":
		case "..":
			depth--
			if depth < 0 {
				return true
			}
		default:
			depth++
		}
	}
	return false
}

// splitWhiteout classifies a cleaned path by its base name.
func splitWhiteout(p string) (target string, t Type, meta bool) {
	dir, base := path.Split(p)
	if strings.Contains(dir, whiteoutMeta) && strings.Contains("/"+dir, "/"+whiteoutMeta) {
		return "", 0, true // inside an AUFS bookkeeping directory
	}
	switch {
	case base == opaqueMarker:
		return strings.TrimSuffix(dir, "/"), Opaque, false
	case strings.HasPrefix(base, whiteoutMeta):
		// Other .wh..wh. names are AUFS bookkeeping (.wh..wh.plnk...).
		return "", 0, true
	case strings.HasPrefix(base, whiteoutPrefix) && len(base) > len(whiteoutPrefix):
		return dir + base[len(whiteoutPrefix):], Whiteout, false
	}
	return p, File, false
}
