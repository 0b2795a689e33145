package lint

import (
	"io/fs"
	"path/filepath"
	"strings"
)

// skippedDirs are never searched for Dockerfiles.
var skippedDirs = map[string]bool{".git": true, "node_modules": true, "vendor": true}

// IsDockerfileName reports whether a file name looks like a Dockerfile:
// Dockerfile, Containerfile, *.Dockerfile, *.Containerfile, Dockerfile.*
// and Containerfile.* (case-insensitive), but not *.dockerignore.
func IsDockerfileName(name string) bool {
	n := strings.ToLower(name)
	if strings.HasSuffix(n, ".dockerignore") || strings.HasSuffix(n, ".containerignore") {
		return false
	}
	for _, base := range []string{"dockerfile", "containerfile"} {
		if n == base || strings.HasSuffix(n, "."+base) || strings.HasPrefix(n, base+".") {
			return true
		}
	}
	return false
}

// FindDockerfiles walks root and returns the Dockerfiles under it in
// lexical order, skipping .git, node_modules and vendor.
func FindDockerfiles(root string) ([]string, error) {
	var out []string
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			if path == root {
				return err
			}
			return nil // unreadable subdirectory: skip it
		}
		if d.IsDir() {
			if path != root && skippedDirs[d.Name()] {
				return filepath.SkipDir
			}
			return nil
		}
		if d.Type().IsRegular() && IsDockerfileName(d.Name()) {
			out = append(out, path)
		}
		return nil
	})
	return out, err
}
