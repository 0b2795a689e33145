package build

import (
	"archive/tar"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/moby/patternmatcher"
	"github.com/moby/patternmatcher/ignorefile"
)

// readDockerignore reads DOCKERFILE.dockerignore beside the Dockerfile,
// else .dockerignore at the context's root, as the docker CLI does.
func readDockerignore(dir, dockerfile string) ([]string, error) {
	for _, p := range []string{dockerfile + ".dockerignore", filepath.Join(dir, ".dockerignore")} {
		f, err := os.Open(p)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, err
		}
		defer f.Close()
		pats, err := ignorefile.ReadAll(f)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", p, err)
		}
		return pats, nil
	}
	return nil, nil
}

// writeContext writes the context's files that the patterns keep (the
// Dockerfile and .dockerignore always, as docker build sends them), and
// the Dockerfile under name when it lives outside (extra).
func writeContext(w io.Writer, dir, name, extra string, excludes []string) error {
	pm, err := patternmatcher.New(excludes)
	if err != nil {
		return fmt.Errorf(".dockerignore: %w", err)
	}
	tw := tar.NewWriter(w)
	err = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil || rel == "." {
			return err
		}
		rel = filepath.ToSlash(rel)
		if rel != name && rel != ".dockerignore" && len(excludes) > 0 {
			skip, err := pm.MatchesOrParentMatches(rel)
			if err != nil {
				return err
			}
			if skip {
				if d.IsDir() && !pm.Exclusions() {
					return filepath.SkipDir
				}
				return nil
			}
		}
		return addFile(tw, p, rel)
	})
	if err == nil && extra != "" {
		err = addFile(tw, extra, name)
	}
	if err != nil {
		return fmt.Errorf("archiving the build context: %w", err)
	}
	return tw.Close()
}

func addFile(tw *tar.Writer, p, name string) error {
	fi, err := os.Lstat(p)
	if err != nil {
		return err
	}
	link := ""
	if fi.Mode()&fs.ModeSymlink != 0 {
		if link, err = os.Readlink(p); err != nil {
			return err
		}
	}
	h, err := tar.FileInfoHeader(fi, link)
	if err != nil {
		return err
	}
	h.Name = name
	if fi.IsDir() {
		h.Name += "/"
	}
	h.Uname, h.Gname = "", ""
	if err := tw.WriteHeader(h); err != nil {
		return err
	}
	if !fi.Mode().IsRegular() {
		return nil
	}
	f, err := os.Open(p)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = io.Copy(tw, f)
	return err
}
