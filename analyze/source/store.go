package source

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/strata-dev/strata/analyze/layer"
)

// maxJSON bounds manifests, indexes and configs read into memory.
const maxJSON = 16 << 20

// store is where an archive or layout keeps its files.
type store interface {
	// open returns a file's content for random access.
	open(name string) (*layer.Section, error)
	has(name string) bool
}

// readJSON reads a small file (a manifest, index or config) from a store.
func readJSON(s store, name string) ([]byte, error) {
	sec, err := s.open(name)
	if err != nil {
		return nil, err
	}
	if sec.Size() > maxJSON {
		return nil, fmt.Errorf("%s: %d bytes is too big for a manifest or config", name, sec.Size())
	}
	b := make([]byte, sec.Size())
	if _, err := io.ReadFull(sec, b); err != nil {
		return nil, fmt.Errorf("reading %s: %w", name, err)
	}
	return bytes.TrimPrefix(b, []byte("\xef\xbb\xbf")), nil
}

// dirStore is an OCI layout directory. Layers are opened from several
// goroutines at once.
type dirStore struct {
	root  string
	mu    sync.Mutex
	files []*os.File
}

func (d *dirStore) path(name string) (string, error) {
	if strings.Contains(name, "..") {
		return "", fmt.Errorf("%s: invalid name", name)
	}
	return filepath.Join(d.root, filepath.FromSlash(name)), nil
}

func (d *dirStore) open(name string) (*layer.Section, error) {
	p, err := d.path(name)
	if err != nil {
		return nil, err
	}
	f, err := os.Open(p)
	if err != nil {
		if os.IsNotExist(err) {
			return nil, fmt.Errorf("%s: %w in %s", name, ErrNotFound, d.root)
		}
		return nil, err
	}
	fi, err := f.Stat()
	if err != nil || !fi.Mode().IsRegular() {
		f.Close()
		return nil, fmt.Errorf("%s: not a regular file", p)
	}
	d.mu.Lock()
	d.files = append(d.files, f)
	d.mu.Unlock()
	return layer.NewSection(f, 0, fi.Size()), nil
}

func (d *dirStore) has(name string) bool {
	p, err := d.path(name)
	if err != nil {
		return false
	}
	_, err = os.Stat(p)
	return err == nil
}

func (d *dirStore) Close() error {
	d.mu.Lock()
	defer d.mu.Unlock()
	for _, f := range d.files {
		f.Close()
	}
	d.files = nil
	return nil
}

// blobPath is where layouts keep a blob.
func blobPath(digest string) (string, error) {
	alg, hex, ok := strings.Cut(digest, ":")
	if !ok || alg == "" || hex == "" || strings.ContainsAny(digest, "/\\") || strings.Contains(hex, "..") {
		return "", fmt.Errorf("invalid digest %q", digest)
	}
	return "blobs/" + alg + "/" + hex, nil
}

// attachBlob makes l read the blob stored under name: a fresh random-access
// reader per call for files, or the result already read for streams.
func attachBlob(s store, name string, l *Layer) error {
	if ms, ok := s.(*memStore); ok {
		n := ms.resolve(name)
		if err, bad := ms.errs[n]; bad {
			return err
		}
		res, ok := ms.results[n]
		if !ok {
			return fmt.Errorf("%s: %w in the archive", name, ErrNotFound)
		}
		want := l.Digest
		if want == "" && res.Compression == layer.Uncompressed {
			want = l.DiffID
		}
		if err := res.Check(want); err != nil {
			return err
		}
		l.Preread = res
		if l.Size < 0 {
			l.Size = res.BlobBytes
		}
		return nil
	}
	sec, err := s.open(name)
	if err != nil {
		return err
	}
	if l.Size < 0 {
		l.Size = sec.Size()
	}
	l.Open = func() (layer.Blob, error) {
		sec, err := s.open(name) // a fresh reader: layers may be read in parallel
		if err != nil {
			return layer.Blob{}, err
		}
		return layer.Blob{RA: sec, Size: sec.Size()}, nil
	}
	return nil
}
