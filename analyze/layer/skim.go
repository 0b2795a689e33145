package layer

import (
	"archive/tar"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
)

// Skim reads an uncompressed layer tar held in random-access storage,
// parsing headers itself and never reading content: one small read per
// entry. It understands what archive/tar does (ustar, GNU long names and
// old sparse files, PAX records, base-256 numbers) and records the same
// entries; a differential fuzz test holds it to that.
func Skim(ra io.ReaderAt, size int64, opts Options) (*Result, error) {
	maxEntries := opts.MaxEntries
	if maxEntries <= 0 {
		maxEntries = DefaultMaxEntries
	}
	s := &skimmer{br: blockReader{ra: ra, size: size}}
	res := &Result{}
	w := warner{res: res}
	var hdr tar.Header
	for {
		ok, err := s.next(&hdr)
		res.TarBytes = s.off
		if err != nil {
			return res, fmt.Errorf("reading tar entry %d: %w", len(res.Entries)+1, err)
		}
		if !ok {
			return res, nil
		}
		e, keep := toEntry(&hdr, &w)
		if !keep {
			continue
		}
		if len(res.Entries) >= maxEntries {
			return res, fmt.Errorf("%w: more than %d in one layer", ErrTooManyEntries, maxEntries)
		}
		e.Offset = s.content
		if e.Type == File && !e.Sparse && e.Size > 0 && opts.Sniff != nil && opts.Sniff(e.Path, e.Size) {
			head := make([]byte, min(e.Size, sniffBytes))
			if _, err := ra.ReadAt(head, e.Offset); err != nil && err != io.EOF {
				return res, fmt.Errorf("reading %s: %w", e.Path, err)
			}
			e.PrivateKey = IsPrivateKey(head)
		}
		res.Entries = append(roomFor1(res.Entries), e)
	}
}

var errHeader = tar.ErrHeader

// maxRecords bounds PAX records and GNU long names (archive/tar: 1 MiB).
const maxRecords = 1 << 20

type skimmer struct {
	br      blockReader
	off     int64 // next header
	content int64 // content offset of the last entry
}

// next fills hdr with the next file entry (extended headers merged into
// it); ok is false at the end of the archive.
func (s *skimmer) next(hdr *tar.Header) (bool, error) {
	var pax *paxRecords
	var longName, longLink string
	for {
		blk, err := s.br.block(s.off)
		if errors.Is(err, io.EOF) {
			return false, nil
		}
		if err != nil {
			return false, err
		}
		if isZero(blk) {
			blk2, err := s.br.block(s.off + 512)
			if errors.Is(err, io.EOF) {
				return false, nil
			}
			if err != nil {
				return false, err
			}
			if isZero(blk2) {
				return false, nil
			}
			return false, errHeader
		}
		format := blockFormat(blk)
		if format == 0 {
			return false, errHeader
		}
		p := &fieldParser{}
		*hdr = tar.Header{
			Typeflag: blk[156],
			Name:     cstr(blk[0:100]),
			Linkname: cstr(blk[157:257]),
			Mode:     p.numeric(blk[100:108]),
			Uid:      int(p.numeric(blk[108:116])),
			Gid:      int(p.numeric(blk[116:124])),
			Size:     p.numeric(blk[124:136]),
		}
		if p.err != nil || hdr.Size < 0 {
			return false, errHeader
		}
		switch format {
		case fmtUSTAR:
			if prefix := cstr(blk[345:500]); prefix != "" {
				hdr.Name = prefix + "/" + hdr.Name
			}
		case fmtSTAR:
			if prefix := cstr(blk[345:476]); prefix != "" {
				hdr.Name = prefix + "/" + hdr.Name
			}
		}
		start := s.off + 512
		switch hdr.Typeflag {
		case tar.TypeXHeader, tar.TypeXGlobalHeader, tar.TypeGNULongName, tar.TypeGNULongLink:
			data, err := s.br.record(start, hdr.Size)
			if err != nil {
				return false, err
			}
			s.off = start + padded(hdr.Size)
			switch hdr.Typeflag {
			case tar.TypeXHeader:
				if pax, err = parsePAX(data); err != nil {
					return false, err
				}
			case tar.TypeXGlobalHeader:
				s.content = start
				return true, nil // archive/tar returns it as an entry too
			case tar.TypeGNULongName:
				longName = cstr(data)
			case tar.TypeGNULongLink:
				longLink = cstr(data)
			}
			continue
		}
		if longName != "" {
			hdr.Name = longName
		}
		if longLink != "" {
			hdr.Linkname = longLink
		}
		if err := mergePAX(hdr, pax); err != nil {
			return false, err
		}
		if hdr.Typeflag == tar.TypeRegA { //nolint:staticcheck // old archives still use the NUL type flag
			hdr.Typeflag = tar.TypeReg
			if strings.HasSuffix(hdr.Name, "/") {
				hdr.Typeflag = tar.TypeDir
			}
		}
		physical := hdr.Size
		if isHeaderOnly(hdr.Typeflag) {
			physical = 0
		}
		if n, ok := sparseSize(pax); ok {
			hdr.Size = n // the logical size; physical stays what is stored
		}
		if hdr.Typeflag == tar.TypeGNUSparse && format != fmtGNU {
			return false, errHeader
		}
		if hdr.Typeflag == tar.TypeGNUSparse {
			// Old GNU sparse: extension blocks follow the header.
			real := p.numeric(blk[483:495])
			ext := blk[482] != 0
			for ext {
				b, err := s.br.block(start)
				if err != nil {
					return false, unexpected(err)
				}
				ext = b[504] != 0
				start += 512
			}
			if p.err != nil {
				return false, errHeader
			}
			hdr.Size = real
		}
		end := start + padded(physical)
		if end > s.br.size || end < start {
			if start+physical > s.br.size || end < start {
				return false, io.ErrUnexpectedEOF
			}
			end = s.br.size // the last entry's padding may be missing
		}
		s.content, s.off = start, end
		return true, nil
	}
}

func padded(n int64) int64 { return (n + 511) &^ 511 }

func isHeaderOnly(t byte) bool {
	switch t {
	case tar.TypeLink, tar.TypeSymlink, tar.TypeChar, tar.TypeBlock, tar.TypeDir, tar.TypeFifo:
		return true
	}
	return false
}

func isZero(b []byte) bool {
	for _, c := range b {
		if c != 0 {
			return false
		}
	}
	return true
}

func cstr(b []byte) string {
	if i := bytes.IndexByte(b, 0); i >= 0 {
		b = b[:i]
	}
	return string(b)
}
