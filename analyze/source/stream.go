package source

import (
	"archive/tar"
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"

	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/strata-dev/strata/analyze/layer"
)

// maxStreamJSON bounds the small files kept while streaming an archive.
const maxStreamJSON = 64 << 20

// memStore holds the small files of a streamed archive; layer blobs were
// read on the way and are looked up in results.
type memStore struct {
	files   map[string][]byte
	links   map[string]string
	results map[string]*layer.BlobResult
	errs    map[string]error
}

func (m *memStore) resolve(name string) string {
	name = archiveName(name)
	for hops := 0; hops < 8; hops++ {
		t, ok := m.links[name]
		if !ok {
			break
		}
		name = t
	}
	return name
}

func (m *memStore) open(name string) (*layer.Section, error) {
	b, ok := m.files[m.resolve(name)]
	if !ok {
		return nil, fmt.Errorf("%s: %w in the archive", name, ErrNotFound)
	}
	return layer.NewSection(bytes.NewReader(b), 0, int64(len(b))), nil
}

func (m *memStore) has(name string) bool {
	n := m.resolve(name)
	_, f := m.files[n]
	_, r := m.results[n]
	_, e := m.errs[n]
	return f || r || e
}

// readStreamedArchive reads an image archive that arrives as a stream
// (docker save output, standard input) in one pass: small JSON files are
// kept, every layer blob is read as it passes, and the manifest decides
// at the end which of them make the image.
func readStreamedArchive(r io.Reader, ref string, o *Options, img *Image) error {
	return readStream(r, ref, false, nil, o, img)
}

// readStream is readStreamedArchive choosing like openArchive: the OCI
// index first when preferOCI, the platform's image of an index.
func readStream(r io.Reader, ref string, preferOCI bool, platform *v1.Platform, o *Options, img *Image) error {
	m := &memStore{files: map[string][]byte{}, links: map[string]string{},
		results: map[string]*layer.BlobResult{}, errs: map[string]error{}}
	cr := &progressReader{r: r, fn: o.StreamProgress}
	tr := tar.NewReader(cr)
	kept := 0
	for n := 0; ; n++ {
		hdr, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil && !errors.Is(err, tar.ErrInsecurePath) {
			return fmt.Errorf("reading archive: %w", err)
		}
		if n >= maxArchiveEntries {
			return fmt.Errorf("reading archive: more than %d entries: not an image archive", maxArchiveEntries)
		}
		name := archiveName(hdr.Name)
		switch hdr.Typeflag {
		case tar.TypeSymlink:
			t := hdr.Linkname
			if !strings.HasPrefix(t, "/") {
				t = path.Join(path.Dir(name), t)
			}
			m.links[name] = archiveName(t)
			continue
		case tar.TypeLink:
			m.links[name] = archiveName(hdr.Linkname)
			continue
		case tar.TypeReg, tar.TypeRegA: //nolint:staticcheck // old archives still use the NUL type flag
		default:
			continue
		}
		br := bufio.NewReaderSize(tr, 64<<10)
		head, _ := br.Peek(512)
		if looksLikeJSON(head) && hdr.Size <= maxJSON {
			if kept+int(hdr.Size) > maxStreamJSON {
				return fmt.Errorf("reading archive: too much metadata")
			}
			b, err := io.ReadAll(br)
			if err != nil {
				return fmt.Errorf("reading %s: %w", name, err)
			}
			kept += len(b)
			m.files[name] = b
			continue
		}
		if !looksLikeLayer(head) {
			continue // VERSION files, the oci-layout marker, ...
		}
		bo := o.Layer
		bo.Digest = digestFromPath(name)
		bo.Progress = nil
		res, err := layer.ReadBlob(layer.Blob{R: br, Size: hdr.Size}, bo)
		if err != nil {
			m.errs[name] = err
		} else {
			m.results[name] = res
		}
	}
	return finishStreamed(m, ref, preferOCI, platform, img)
}

// finishStreamed selects the image from the kept manifests and attaches
// the layers that were read on the way.
func finishStreamed(m *memStore, ref string, preferOCI bool, platform *v1.Platform, img *Image) error {
	if err := openArchive(m, ref, preferOCI, platform, img); err != nil {
		return err
	}
	img.ResolveBase = nil
	return nil
}

func looksLikeJSON(head []byte) bool {
	t := bytes.TrimLeft(head, " \t\r\n\xef\xbb\xbf")
	return len(t) > 0 && (t[0] == '{' || t[0] == '[')
}

func looksLikeLayer(head []byte) bool {
	if layer.Sniff(head) != layer.Uncompressed {
		return true
	}
	if len(head) < 512 {
		return len(head) == 0 // an empty layer
	}
	return bytes.Equal(head[257:262], []byte("ustar")) || allZero(head)
}

func allZero(b []byte) bool {
	for _, c := range b {
		if c != 0 {
			return false
		}
	}
	return true
}

type progressReader struct {
	r    io.Reader
	n    int64
	next int64
	fn   func(int64)
}

func (p *progressReader) Read(b []byte) (int, error) {
	n, err := p.r.Read(b)
	p.n += int64(n)
	if p.fn != nil && p.n >= p.next {
		p.fn(p.n)
		p.next = p.n + 8<<20
	}
	return n, err
}
