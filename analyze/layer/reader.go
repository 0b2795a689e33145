package layer

import (
	"archive/tar"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/cespare/xxhash/v2"
)

// DefaultMaxEntries bounds the entries of one layer when Options.MaxEntries
// is zero; an image needs about 300 bytes of memory per entry at peak.
const DefaultMaxEntries = 2_000_000

// maxAccountedSize caps the size one entry may contribute to figures, so
// that sums over millions of entries cannot overflow (gigantic sparse files
// declare sizes up to 2^63).
const maxAccountedSize = 1 << 40

// sniffBytes is how much of a candidate file is read to look for a key.
const sniffBytes = 4096

// Options control what the reader does with file contents.
type Options struct {
	// HashContent hashes the content of every regular file. Use it when the
	// stream is read anyway (compressed layers); seekable layers are hashed
	// later, only where needed.
	HashContent bool
	// MaxEntries fails the read when the layer has more entries.
	MaxEntries int
	// Sniff reports whether the first bytes of a regular file should be
	// checked for a private key (secret detection).
	Sniff func(path string, size int64) bool
}

// Result is one layer read into memory.
type Result struct {
	Entries  []Entry
	Warnings []string
	// TarBytes is how far into the uncompressed stream the reader got.
	TarBytes int64
}

// ErrTooManyEntries is returned when a layer exceeds Options.MaxEntries.
var ErrTooManyEntries = errors.New("too many entries")

// Read reads a whole uncompressed layer tar from r. If r is also an
// io.Seeker, content that is not needed is skipped by seeking.
func Read(r io.Reader, opts Options) (*Result, error) {
	maxEntries := opts.MaxEntries
	if maxEntries <= 0 {
		maxEntries = DefaultMaxEntries
	}
	pos := &position{r: r}
	var rd io.Reader = pos
	if s, ok := r.(io.Seeker); ok {
		rd = &seekingPosition{position: pos, s: s}
	}
	tr := tar.NewReader(rd)
	res := &Result{}
	w := warner{res: res}
	var buf []byte
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil && !errors.Is(err, tar.ErrInsecurePath) {
			res.TarBytes = pos.n
			return res, fmt.Errorf("reading tar entry %d: %w", len(res.Entries)+1, err)
		}
		e, ok := toEntry(hdr, &w)
		if !ok {
			continue
		}
		if len(res.Entries) >= maxEntries {
			res.TarBytes = pos.n
			return res, fmt.Errorf("%w: more than %d in one layer", ErrTooManyEntries, maxEntries)
		}
		e.Offset = pos.n
		if e.Type == File && !e.Sparse && e.Size > 0 {
			sniff := opts.Sniff != nil && opts.Sniff(e.Path, e.Size)
			if opts.HashContent || sniff {
				if buf == nil {
					buf = make([]byte, 32<<10)
				}
				if err := readContent(tr, &e, opts.HashContent, sniff, buf, pos); err != nil {
					res.TarBytes = pos.n
					return res, fmt.Errorf("reading %s: %w", e.Path, err)
				}
			}
		}
		res.Entries = append(roomFor1(res.Entries), e)
	}
	res.TarBytes = pos.n
	return res, nil
}

// sparseSlack is how far the content read may run ahead of the bytes
// consumed from the stream before the entry is taken for a sparse file
// (whose holes archive/tar fills with zeros) and no longer hashed.
const sparseSlack = 1 << 20

// readContent hashes and/or sniffs the current entry's content.
func readContent(tr *tar.Reader, e *Entry, hash, sniff bool, buf []byte, pos *position) error {
	h := xxhash.New()
	start := pos.n
	if sniff {
		n := int64(sniffBytes)
		if e.Size < n {
			n = e.Size
		}
		head := buf[:n]
		if _, err := io.ReadFull(tr, head); err != nil {
			return unexpected(err)
		}
		e.PrivateKey = IsPrivateKey(head)
		_, _ = h.Write(head) // hashes never fail
		if !hash {
			return nil
		}
	}
	var done int64
	for {
		n, err := tr.Read(buf)
		_, _ = h.Write(buf[:n])
		done += int64(n)
		if err == io.EOF {
			break
		}
		if err != nil {
			return unexpected(err)
		}
		if done-(pos.n-start) > sparseSlack {
			e.Sparse = true // holes: stop here, tar skips the rest
			return nil
		}
	}
	e.Hash, e.Hashed = h.Sum64(), true
	return nil
}

func unexpected(err error) error {
	if errors.Is(err, io.EOF) {
		return io.ErrUnexpectedEOF
	}
	return err
}

// IsPrivateKey reports whether the start of a file holds a PEM private key.
func IsPrivateKey(head []byte) bool {
	i := bytes.Index(head, []byte("-----BEGIN "))
	if i < 0 {
		return false
	}
	line := head[i:]
	if j := bytes.IndexByte(line, '\n'); j >= 0 {
		line = line[:j]
	}
	return bytes.Contains(line, []byte("PRIVATE KEY-----"))
}

type warner struct{ res *Result }

// maxWarnings keeps a hostile layer from filling memory with warnings.
const maxWarnings = 100

func (w *warner) add(format string, args ...any) {
	switch n := len(w.res.Warnings); {
	case n < maxWarnings:
		w.res.Warnings = append(w.res.Warnings, fmt.Sprintf(format, args...))
	case n == maxWarnings:
		w.res.Warnings = append(w.res.Warnings, "more warnings suppressed")
	}
}

// toEntry normalizes a header; ok is false for headers that describe no
// file (global PAX headers, AUFS metadata, rejected names).
func toEntry(hdr *tar.Header, w *warner) (Entry, bool) {
	switch hdr.Typeflag {
	case tar.TypeXGlobalHeader, tar.TypeXHeader, tar.TypeGNULongName, tar.TypeGNULongLink:
		return Entry{}, false
	}
	name, problem := cleanName(hdr.Name)
	switch problem {
	case nameEscapes:
		w.add("entry %q escapes the root: skipped", hdr.Name)
		return Entry{}, false
	case nameAbsolute:
		w.add("entry %q has an absolute name: read as %q", hdr.Name, name)
	}
	if name == "" {
		return Entry{}, false // the root directory itself
	}
	e := Entry{Path: name, Mode: uint32(hdr.Mode) & 07777, UID: hdr.Uid, GID: hdr.Gid}
	target, wt, meta := splitWhiteout(name)
	if meta {
		return Entry{}, false
	}
	if wt == Whiteout || wt == Opaque {
		if base := target[strings.LastIndexByte(target, '/')+1:]; base == "." || base == ".." {
			w.add("whiteout %q names no file: skipped", hdr.Name)
			return Entry{}, false
		}
		e.Path, e.Type, e.Mode = target, wt, 0
		if wt == Opaque && target == "" {
			e.Path = "" // opaque root: hides every lower file
		}
		return e, true
	}
	switch hdr.Typeflag {
	case tar.TypeReg, tar.TypeRegA, tar.TypeCont, tar.TypeGNUSparse: //nolint:staticcheck // old archives still use the NUL type flag
		e.Type = File
		e.Size = hdr.Size
		e.Sparse = hdr.Typeflag == tar.TypeGNUSparse || hasSparseRecords(hdr)
	case tar.TypeDir:
		e.Type = Dir
	case tar.TypeSymlink:
		e.Type, e.Link = Symlink, hdr.Linkname
		if escapesRoot(name, hdr.Linkname) {
			w.add("symlink %q points outside the root (%s)", name, hdr.Linkname)
		}
	case tar.TypeLink:
		target, problem := cleanName(hdr.Linkname)
		if problem == nameEscapes || target == "" {
			w.add("hardlink %q has an invalid target %q: read as an empty file", name, hdr.Linkname)
			e.Type = File
			return e, true
		}
		e.Type, e.Link = Hardlink, target
	case tar.TypeChar:
		e.Type = CharDevice
	case tar.TypeBlock:
		e.Type = BlockDevice
	case tar.TypeFifo:
		e.Type = FIFO
	default:
		w.add("entry %q has unknown type %q: read as a file", name, hdr.Typeflag)
		e.Type = File
		e.Size = hdr.Size
	}
	if e.Size < 0 {
		e.Size = 0
	}
	if e.Size > maxAccountedSize {
		w.add("entry %q declares %d bytes: counted as %d", name, e.Size, int64(maxAccountedSize))
		e.Size = maxAccountedSize
		e.Sparse = true // never read it
	}
	return e, true
}

func hasSparseRecords(hdr *tar.Header) bool {
	for k := range hdr.PAXRecords {
		if strings.HasPrefix(k, "GNU.sparse.") {
			return true
		}
	}
	return false
}
