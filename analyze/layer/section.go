package layer

import (
	"errors"
	"io"
)

// Section is a buffered io.ReadSeeker over a region of an io.ReaderAt. It
// is what makes reading an uncompressed layer cost only its headers:
// archive/tar seeks over content, and a seek lands in a small read instead
// of a copy of the skipped bytes.
type Section struct {
	ra     io.ReaderAt
	base   int64
	size   int64
	pos    int64
	buf    []byte
	bufOff int64
	bufLen int
	jumped bool
}

// After a seek over content, archive/tar reads the content's last byte
// and then the next header: 1 KiB from that byte always holds the padding
// and the header, so one small read per entry is all skimming costs.
// Sequential reads (headers in a row, PAX records) fill more at a time.
const (
	sectionBuf = 32 << 10 // the buffer; large reads bypass it
	seqFill    = 4 << 10
	jumpFill   = 1 << 10
)

// NewSection returns a reader over ra[base:base+size].
func NewSection(ra io.ReaderAt, base, size int64) *Section {
	return &Section{ra: ra, base: base, size: size, buf: make([]byte, sectionBuf)}
}

// Size is the length of the section.
func (s *Section) Size() int64 { return s.size }

// ReadAt reads from the section without moving the read position.
func (s *Section) ReadAt(p []byte, off int64) (int, error) {
	if off < 0 {
		return 0, errors.New("negative offset")
	}
	if off >= s.size {
		return 0, io.EOF
	}
	if max := s.size - off; int64(len(p)) > max {
		p = p[:max]
		n, err := s.ra.ReadAt(p, s.base+off)
		if err == nil {
			err = io.EOF
		}
		return n, err
	}
	return s.ra.ReadAt(p, s.base+off)
}

func (s *Section) Read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	if s.pos >= s.size {
		return 0, io.EOF
	}
	if s.pos < s.bufOff || s.pos >= s.bufOff+int64(s.bufLen) {
		if len(p) >= sectionBuf {
			n, err := s.ReadAt(p, s.pos)
			s.pos += int64(n)
			if errors.Is(err, io.EOF) && n > 0 {
				err = nil
			}
			return n, err
		}
		if err := s.fill(); err != nil {
			return 0, err
		}
	}
	n := copy(p, s.buf[s.pos-s.bufOff:s.bufLen])
	s.pos += int64(n)
	return n, nil
}

func (s *Section) fill() error {
	want := seqFill
	if s.jumped {
		want = jumpFill
		s.jumped = false
	}
	n, err := s.ReadAt(s.buf[:want], s.pos)
	if n == 0 {
		if err == nil {
			err = io.ErrNoProgress
		}
		return err
	}
	s.bufOff, s.bufLen = s.pos, n
	return nil
}

// Seek implements io.Seeker. Seeking past the end is allowed; the next
// read then reports io.EOF (which archive/tar turns into a truncation).
func (s *Section) Seek(offset int64, whence int) (int64, error) {
	switch whence {
	case io.SeekStart:
	case io.SeekCurrent:
		offset += s.pos
	case io.SeekEnd:
		offset += s.size
	default:
		return 0, errors.New("invalid whence")
	}
	if offset < 0 {
		return 0, errors.New("negative position")
	}
	if offset != s.pos && (offset < s.bufOff || offset >= s.bufOff+int64(s.bufLen)) {
		s.jumped = true
	}
	s.pos = offset
	return offset, nil
}
