package layer

import (
	"archive/tar"
	"bytes"
	"errors"
	"io"
	"strconv"
	"strings"
)

const (
	fmtV7 = iota + 1
	fmtUSTAR
	fmtSTAR
	fmtGNU
)

// blockFormat checks the checksum and tells the header format, as
// archive/tar does; 0 means not a valid header.
func blockFormat(b []byte) int {
	p := &fieldParser{}
	want := p.octal(b[148:156])
	var unsigned, signed int64
	for i, c := range b {
		if i >= 148 && i < 156 {
			c = ' '
		}
		unsigned += int64(c)
		signed += int64(int8(c))
	}
	if p.err != nil || (want != unsigned && want != signed) {
		return 0
	}
	magic, version, trailer := string(b[257:263]), string(b[263:265]), string(b[508:512])
	switch {
	case magic == "ustar\x00" && trailer == "tar\x00":
		return fmtSTAR
	case magic == "ustar\x00":
		return fmtUSTAR
	case magic == "ustar " && version == " \x00":
		return fmtGNU
	}
	return fmtV7
}

type fieldParser struct{ err error }

func (p *fieldParser) numeric(b []byte) int64 {
	if len(b) > 0 && b[0]&0x80 != 0 {
		// base-256, two's complement, big endian
		var inv byte
		if b[0]&0x40 != 0 {
			inv = 0xff
		}
		var x uint64
		for i, c := range b {
			c ^= inv
			if i == 0 {
				c &= 0x7f
			}
			if x>>56 > 0 {
				p.err = errHeader
				return 0
			}
			x = x<<8 | uint64(c)
		}
		if x>>63 > 0 {
			p.err = errHeader
			return 0
		}
		if inv == 0xff {
			return ^int64(x)
		}
		return int64(x)
	}
	return p.octal(b)
}

func (p *fieldParser) octal(b []byte) int64 {
	b = bytes.Trim(b, " \x00")
	if len(b) == 0 {
		return 0
	}
	x, err := strconv.ParseUint(cstr(b), 8, 64)
	if err != nil || x > 1<<63-1 {
		p.err = errHeader
	}
	return int64(x)
}

// paxRecords keeps the PAX keys that matter here; GNU sparse keys (rare)
// go to a map so that toEntry sees them as archive/tar would show them.
type paxRecords struct {
	path, linkpath, size, uid, gid string
	has                            uint8 // which of the above are set
	sparse                         map[string]string
}

const (
	hasPath = 1 << iota
	hasLinkpath
	hasSize
	hasUID
	hasGID
)

// parsePAX reads "LEN KEY=VALUE\n" records.
func parsePAX(data []byte) (*paxRecords, error) {
	recs := &paxRecords{}
	s := string(data)
	for len(s) > 0 {
		sp := strings.IndexByte(s, ' ')
		if sp < 0 {
			return nil, errHeader
		}
		n, err := strconv.ParseInt(s[:sp], 10, 0)
		if err != nil || n < 5 || n > int64(len(s)) || int64(sp) >= n {
			return nil, errHeader
		}
		rec, rest := s[sp+1:n], s[n:]
		if !strings.HasSuffix(rec, "\n") {
			return nil, errHeader
		}
		k, v, ok := strings.Cut(rec[:len(rec)-1], "=")
		if !ok || k == "" {
			return nil, errHeader
		}
		switch k {
		case "path":
			recs.path, recs.has = v, recs.has|hasPath
		case "linkpath":
			recs.linkpath, recs.has = v, recs.has|hasLinkpath
		case "size":
			recs.size, recs.has = v, recs.has|hasSize
		case "uid":
			recs.uid, recs.has = v, recs.has|hasUID
		case "gid":
			recs.gid, recs.has = v, recs.has|hasGID
		default:
			if strings.HasPrefix(k, "GNU.sparse.") {
				if recs.sparse == nil {
					recs.sparse = map[string]string{}
				}
				recs.sparse[k] = v
			}
		}
		s = rest
	}
	return recs, nil
}

func mergePAX(hdr *tar.Header, pax *paxRecords) error {
	if pax == nil {
		return nil
	}
	num := func(v string) (int64, error) {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 0 {
			return 0, errHeader
		}
		return n, nil
	}
	var err error
	if pax.has&hasPath != 0 {
		hdr.Name = pax.path
	}
	if pax.has&hasLinkpath != 0 {
		hdr.Linkname = pax.linkpath
	}
	if pax.has&hasSize != 0 {
		if hdr.Size, err = num(pax.size); err != nil {
			return err
		}
	}
	if pax.has&hasUID != 0 {
		n, err := num(pax.uid)
		if err != nil {
			return err
		}
		hdr.Uid = int(n)
	}
	if pax.has&hasGID != 0 {
		n, err := num(pax.gid)
		if err != nil {
			return err
		}
		hdr.Gid = int(n)
	}
	hdr.PAXRecords = pax.sparse
	if name, ok := pax.sparse["GNU.sparse.name"]; ok {
		hdr.Name = name
	}
	return nil
}

// sparseSize is the logical size of a PAX (GNU) sparse file.
func sparseSize(recs *paxRecords) (int64, bool) {
	if recs == nil || recs.sparse == nil {
		return 0, false
	}
	pax := recs.sparse
	major, minor := pax["GNU.sparse.major"], pax["GNU.sparse.minor"]
	known := major == "0" && (minor == "0" || minor == "1") || major == "1" && minor == "0" ||
		major == "" && minor == "" && pax["GNU.sparse.map"] != ""
	if !known {
		return 0, false
	}
	v := pax["GNU.sparse.size"]
	if v == "" {
		v = pax["GNU.sparse.realsize"]
	}
	if v == "" {
		return 0, false
	}
	n, err := strconv.ParseInt(v, 10, 64)
	return n, err == nil && n >= 0
}

// blockReader serves 512-byte header blocks from small reads.
type blockReader struct {
	ra      io.ReaderAt
	size    int64
	buf     [4096]byte
	bufOff  int64
	bufLen  int
	lastOff int64
}

func (b *blockReader) block(off int64) ([]byte, error) {
	if off >= b.bufOff && off+512 <= b.bufOff+int64(b.bufLen) {
		b.lastOff = off
		return b.buf[off-b.bufOff : off-b.bufOff+512], nil
	}
	if off >= b.size {
		return nil, io.EOF
	}
	fill := 1024
	if off == b.lastOff+512 {
		fill = len(b.buf) // headers in a row: read ahead
	}
	if rest := b.size - off; int64(fill) > rest {
		fill = int(rest)
	}
	n, err := b.ra.ReadAt(b.buf[:fill], off)
	if n < 512 {
		if err == nil || err == io.EOF {
			err = io.ErrUnexpectedEOF
		}
		return nil, err
	}
	b.bufOff, b.bufLen, b.lastOff = off, n, off
	return b.buf[:512], nil
}

// record reads the content of an extended header.
func (b *blockReader) record(off, n int64) ([]byte, error) {
	if n > maxRecords {
		return nil, errors.New("archive/tar: header field too long")
	}
	if off+n > b.size {
		return nil, io.ErrUnexpectedEOF
	}
	data := make([]byte, n)
	if _, err := b.ra.ReadAt(data, off); err != nil && !(err == io.EOF && off+n == b.size) {
		return nil, err
	}
	return data, nil
}
