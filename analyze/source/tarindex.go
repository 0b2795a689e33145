package source

import (
	"archive/tar"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"

	"github.com/strata-dev/strata/analyze/layer"
)

// maxArchiveEntries bounds the outer tar of an image archive, which holds
// a handful of files per layer, never millions.
const maxArchiveEntries = 100_000

// tarIndex maps the names in an image archive to their content, found by
// reading the headers only.
type tarIndex struct {
	ra    io.ReaderAt
	files map[string]tarFile
}

type tarFile struct {
	off, size int64
	link      string // symlink target, resolved against the entry's dir
}

// indexTar reads the outer tar's headers, seeking over the contents.
func indexTar(ra io.ReaderAt, size int64) (*tarIndex, []string, error) {
	sec := layer.NewSection(ra, 0, size)
	pos := &offsetReader{s: sec}
	tr := tar.NewReader(pos)
	idx := &tarIndex{ra: ra, files: map[string]tarFile{}}
	var warnings []string
	for n := 0; ; n++ {
		hdr, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil && !errors.Is(err, tar.ErrInsecurePath) {
			return nil, warnings, fmt.Errorf("reading archive: %w", err)
		}
		if n >= maxArchiveEntries {
			return nil, warnings, fmt.Errorf("reading archive: more than %d entries: not an image archive", maxArchiveEntries)
		}
		name := archiveName(hdr.Name)
		if name == "" {
			continue
		}
		f := tarFile{off: pos.offset(), size: hdr.Size}
		switch hdr.Typeflag {
		case tar.TypeReg, tar.TypeRegA: //nolint:staticcheck // old archives still use the NUL type flag
		case tar.TypeSymlink:
			f.size = 0
			f.link = archiveName(path.Join(path.Dir(name), hdr.Linkname))
			if strings.HasPrefix(hdr.Linkname, "/") {
				f.link = archiveName(hdr.Linkname)
			}
		case tar.TypeLink:
			f.size = 0
			f.link = archiveName(hdr.Linkname)
		default:
			continue
		}
		if f.off+f.size > size || f.size < 0 {
			return nil, warnings, fmt.Errorf("reading archive: %s is truncated", name)
		}
		if _, dup := idx.files[name]; dup {
			warnings = append(warnings, fmt.Sprintf("archive holds %s twice: the last one is used", name))
		}
		idx.files[name] = f
	}
	return idx, warnings, nil
}

// archiveName normalizes a name inside an image archive.
func archiveName(n string) string {
	n = path.Clean("/" + n)
	return strings.TrimPrefix(n, "/")
}

// open returns the content of name, following symlinks inside the archive.
func (t *tarIndex) open(name string) (*layer.Section, error) {
	name = archiveName(name)
	for hops := 0; hops < 8; hops++ {
		f, ok := t.files[name]
		if !ok {
			return nil, fmt.Errorf("%s: %w in the archive", name, ErrNotFound)
		}
		if f.link == "" {
			return layer.NewSection(t.ra, f.off, f.size), nil
		}
		name = f.link
	}
	return nil, fmt.Errorf("%s: too many symlinks in the archive", name)
}

func (t *tarIndex) has(name string) bool {
	_, ok := t.files[archiveName(name)]
	return ok
}

// offsetReader exposes the position of a Section to the tar index while
// keeping it seekable (archive/tar seeks over contents it is not asked for).
type offsetReader struct {
	s *layer.Section
}

func (o *offsetReader) Read(p []byte) (int, error) { return o.s.Read(p) }
func (o *offsetReader) Seek(off int64, whence int) (int64, error) {
	return o.s.Seek(off, whence)
}
func (o *offsetReader) offset() int64 {
	n, _ := o.s.Seek(0, io.SeekCurrent)
	return n
}
